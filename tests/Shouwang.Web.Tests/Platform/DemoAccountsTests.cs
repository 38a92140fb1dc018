using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Platform;

public sealed class DemoAccountsTests : IAsyncLifetime
{
    private readonly SqliteAppFactory _factory = new();

    private static IConfiguration Settings(bool demo) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Shouwang:Demo"] = demo ? "true" : "false" }).Build();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _ = _factory.Server; // starts the app: migrated, no demo data
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task ProductionStart_RefusesWhileDemoAccountsExist_AndRunsOnceTheyAreRemoved()
    {
        var demo = ActivatorUtilities.CreateInstance<DemoAccounts>(_factory.Services);
        await demo.SeedAsync(Ct);

        Assert.False(await Startup.PrepareDatabaseAsync(_factory.Services, Settings(demo: false), Ct));

        Assert.Equal(DemoAccounts.All.Count, await demo.RemoveAsync(Ct));
        Assert.True(await Startup.PrepareDatabaseAsync(_factory.Services, Settings(demo: false), Ct));
    }

    [Fact]
    public async Task DemoSeed_MakesOneAccountPerRole_AllUsableWithTheDemoPassword()
    {
        var demo = ActivatorUtilities.CreateInstance<DemoAccounts>(_factory.Services);
        await demo.SeedAsync(Ct);
        await demo.SeedAsync(Ct); // a second start adds nothing

        await using var db = _factory.CreateDbContext();
        var accounts = await db.Users.Where(a => a.IsDemo).ToListAsync(Ct);
        Assert.Equal(DemoAccounts.All.Count, accounts.Count);
        foreach (var role in RolePermissions.Each(RolePermissions.All)) Assert.Contains(accounts, a => a.Roles.HasFlag(role));
        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffAccount>>();
        foreach (var account in accounts) Assert.True(await users.CheckPasswordAsync(account, DemoAccounts.DefaultPassword), account.UserName);
        Assert.All(accounts, a => Assert.False(a.MustChangePassword));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
