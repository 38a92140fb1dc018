using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.WorkOrders;

namespace Shouwang.Web.Tests.Infrastructure;

/// <summary>
/// The real app over a real database of its own, migrated by the app's own start-up (no demo seed). One per test
/// class; the derived types pick the provider so the same suite runs on both.
/// </summary>
public abstract partial class AppFactory : WebApplicationFactory<Program>
{
    private string? _connectionString;

    protected abstract DatabaseProvider Provider { get; }

    protected abstract string CreateConnectionString();

    public string ConnectionString => _connectionString ??= CreateConnectionString();

    /// <summary>
    /// Set by the fake-time factories: the clock the test moves by hand. The once-a-minute escalation timer is off then,
    /// so only the test decides when escalation runs.
    /// </summary>
    public FakeTimeProvider? Clock { get; protected init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Shouwang:Demo", "false");
        builder.UseSetting("Shouwang:Database:Provider", Provider.ToString());
        builder.UseSetting("Shouwang:Database:ConnectionString", ConnectionString);
        if (Clock is { } clock)
        {
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                foreach (var timer in services.Where(d => d.ServiceType == typeof(IHostedService) && (d.ImplementationType == typeof(WorkOrderEscalationService)
                    || d.ImplementationType == typeof(Shouwang.Web.Features.PassCards.PassCardOverdueService))).ToList())
                    services.Remove(timer);
            });
        }
    }

    /// <summary>A context that sees everything (the platform's own view), for arranging and checking data.</summary>
    public AppDbContext CreateDbContext()
    {
        using var _ = CallerContext.AsSystem();
        return Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public const string TestPassword = "Test-password-2022";

    /// <summary>Creates an account (through Identity, like the admin API does) and returns its user name.</summary>
    public async Task<StaffAccount> CreateAccountAsync(StaffRoles roles, string node, Guid? gridId = null, bool mustChangePassword = false, string? userName = null)
    {
        using var _ = CallerContext.AsSystem();
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffAccount>>();
        var account = new StaffAccount
        {
            UserName = userName ?? $"t{Guid.NewGuid():N}"[..16], DisplayName = $"{roles}@{node}", Roles = roles, NodeCode = node,
            MustChangePassword = mustChangePassword, CreatedAt = DateTime.UtcNow,
        };
        account.BindTo(JurisdictionCode.Parse(node), gridId);
        var result = await users.CreateAsync(account, TestPassword);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        return account;
    }

    /// <summary>The token endpoint's answer to these credentials, whatever it is.</summary>
    public async Task<HttpResponseMessage> TokenResponseAsync(string userName, string password)
    {
        using var client = CreateClient();
        return await client.PostAsJsonAsync("/api/v1/auth/token", new { userName, password }, TestContext.Current.CancellationToken);
    }

    public HttpClient ClientWithToken(string? accessToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>A client signed in with a bearer token, as programs use the API.</summary>
    public async Task<HttpClient> ClientForAsync(StaffAccount account)
    {
        using var response = await TokenResponseAsync(account.UserName!, TestPassword);
        response.EnsureSuccessStatusCode();
        return ClientWithToken((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>Posts the console's sign-in form (with its antiforgery token) from this client; the answer is the form's.</summary>
    public static async Task<HttpResponseMessage> ConsoleSignInAsync(HttpClient client, StaffAccount account, string returnUrl = "/")
    {
        var path = $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var page = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = account.UserName!, ["Input.Password"] = TestPassword,
        }), TestContext.Current.CancellationToken);
    }

    /// <summary>A browser that signed in through the console's form: it holds the cookie, not a token.</summary>
    public async Task<HttpClient> ConsoleClientAsync(StaffAccount account, bool followRedirects = false)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = followRedirects, HandleCookies = true });
        using var response = await ConsoleSignInAsync(client, account);
        Assert.Equal(followRedirects ? HttpStatusCode.OK : HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public async Task<HttpClient> ClientForAsync(StaffRoles roles, string node, Guid? gridId = null) =>
        await ClientForAsync(await CreateAccountAsync(roles, node, gridId));
}

public class SqliteAppFactory : AppFactory
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"shouwang-test-{Guid.NewGuid():N}.db");

    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string CreateConnectionString() => $"Data Source={_file}";

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
        GC.SuppressFinalize(this);
    }
}

public class PostgresAppFactory : AppFactory
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string CreateConnectionString() => PostgresServer.CreateDatabase();
}

public sealed class SqliteFakeTimeAppFactory : SqliteAppFactory
{
    public SqliteFakeTimeAppFactory() => Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
}

public sealed class PostgresFakeTimeAppFactory : PostgresAppFactory
{
    public PostgresFakeTimeAppFactory() => Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
}
