using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Demo;

namespace Shouwang.Web.Features.Accounts;

/// <summary>
/// One demo account for every role in the demo street, all with the demo password (Shouwang:DemoPassword), which is
/// printed at start-up in demo mode only. A production start refuses to run while any of them exist.
/// </summary>
public sealed class DemoAccounts(IServiceScopeFactory scopes, IDbContextFactory<AppDbContext> dbFactory, IConfiguration configuration, TimeProvider time)
{
    public const string DefaultPassword = "Shouwang2022";
    public const string Community = DemoSeeder.DemoStreet + "001";
    public const string SiblingCommunity = DemoSeeder.DemoStreet + "002";

    public static readonly IReadOnlyList<(string UserName, string DisplayName, StaffRoles Roles, string Node, bool Grid)> All =
    [
        ("admin", "街道管理员", StaffRoles.Admin, DemoSeeder.DemoStreet, false),
        ("command", "指挥部值班", StaffRoles.Command, DemoSeeder.DemoStreet, false),
        ("shequ", "晏家湾社区工作人员", StaffRoles.CommunityWorker, Community, false),
        ("shequ2", "流芳社区工作人员", StaffRoles.CommunityWorker, SiblingCommunity, false),
        ("wangge", "网格员", StaffRoles.GridWorker, Community, true),
        ("kakou", "卡口值守", StaffRoles.CheckpointGuard, Community, false),
        ("caiyang", "采样员", StaffRoles.Sampler, DemoSeeder.DemoStreet, false),
        ("geli", "隔离点管理员", StaffRoles.QuarantineManager, DemoSeeder.DemoStreet, false),
        ("wuzi", "物资管理员", StaffRoles.SuppliesManager, DemoSeeder.DemoStreet, false),
        ("liudiao", "流调员", StaffRoles.Tracer, DemoSeeder.DemoStreet, false),
        ("guancha", "观察员", StaffRoles.Observer, DemoSeeder.DemoStreet, false),
    ];

    public string Password => configuration["Shouwang:DemoPassword"] is { Length: > 0 } p ? p : DefaultPassword;

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateSystemContextAsync(cancellationToken);
        return await db.Users.AnyAsync(a => a.IsDemo, cancellationToken);
    }

    /// <summary>Creates the demo accounts that don't exist yet.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        using var _ = CallerContext.AsSystem();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffAccount>>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var firstGrid = await db.Grids.Where(g => g.CommunityCode == long.Parse(Community)).OrderBy(g => g.Name).Select(g => (Guid?)g.Id).FirstOrDefaultAsync(cancellationToken);
        foreach (var (userName, displayName, roles, node, grid) in All)
        {
            if (await users.FindByNameAsync(userName) is not null) continue;
            var account = new StaffAccount { UserName = userName, DisplayName = displayName, Roles = roles, NodeCode = node, IsDemo = true, CreatedAt = time.GetUtcNow().UtcDateTime };
            account.BindTo(JurisdictionCode.Parse(node), grid ? firstGrid : null);
            var result = await users.CreateAsync(account, Password);
            if (!result.Succeeded) throw new InvalidOperationException($"Demo account {userName}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    public async Task<int> RemoveAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateSystemContextAsync(cancellationToken);
        var demo = await db.Users.Where(a => a.IsDemo).ToListAsync(cancellationToken);
        db.Users.RemoveRange(demo);
        await db.SaveChangesAsync(cancellationToken);
        return demo.Count;
    }

    public void Print(TextWriter output)
    {
        output.WriteLine("演示账号 Demo accounts (demo mode only) — password / 密码: " + Password);
        foreach (var (userName, displayName, _, node, _) in All) output.WriteLine($"  {userName,-10} {displayName} ({node})");
    }
}
