using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Demo;
using Shouwang.Web.Features.Registry;
using Shouwang.Web.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(ConsoleServer))]

namespace Shouwang.E2E.Tests.Infrastructure;

/// <summary>A resident the fixture registered itself, so tests know what to search for.</summary>
public sealed record KnownResident(Guid Id, string Name, string DocumentNumber);

/// <summary>
/// The real app on Kestrel at a free loopback port, over a SQLite file of its own: 晏家湾 holds one grid and one known
/// resident, the street's other committees a few hundred generated residents. Plus one headless Chromium for all tests.
/// </summary>
public sealed class ConsoleServer : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const int GeneratedResidents = 300;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly SqliteAppFactory _app = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The only grid of 晏家湾社区, so the import page preselects it.</summary>
    public GridItem Grid { get; private set; } = null!;

    public KnownResident Resident { get; private set; } = null!;

    /// <summary>Builders for more registry data, for tests that change a person in ways others would notice.</summary>
    public TestData Data => new(_app);

    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is "true" or "1";

    public AppDbContext CreateDbContext() => _app.CreateDbContext();

    /// <summary>A new account of the given roles at <paramref name="node"/> (password <see cref="AppFactory.TestPassword"/>).</summary>
    public Task<StaffAccount> CreateAccountAsync(StaffRoles roles, string node, Guid? gridId = null) => _app.CreateAccountAsync(roles, node, gridId);

    public T Get<T>() where T : notnull => _app.Get<T>();

    public async ValueTask InitializeAsync()
    {
        _app.UseKestrel(0);
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        BaseAddress = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));

        var data = new TestData(_app);
        Grid = await data.GridAsync(TestData.Community, "晏家湾第一网格");
        var household = await data.HouseholdAsync(TestData.Community, Grid.Id, "晏家湾小区3栋2单元501室");
        const string name = "司马望舒";
        var (id, document) = await data.PersonAsync(household, name, "13907330001");
        Resident = new KnownResident(id, name, document);
        // After the known resident on purpose: the generator only fills empty committees, so 晏家湾 keeps its one grid.
        await ActivatorUtilities.CreateInstance<DemoSeeder>(_app.Services).SeedAsync(TestData.Street, GeneratedResidents, DemoSeeder.DemoSeed);
        // The street works under the 第九版, as the demo does.
        await _app.PutInForceAsync(TestData.Street, "NHC-9");

        Screenshots.Clear();
        Assertions.SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
        if (File.Exists(ChromiumPath))
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        }
    }

    /// <summary>A fresh browser profile (own cookies, so own language) aimed at the app; skips or fails without Chromium.</summary>
    public async Task<IBrowserContext> NewBrowserContextAsync()
    {
        if (_browser is null)
        {
            var why = $"Chromium not found at {ChromiumPath} (install the chromium package)";
            if (IsCi) throw new InvalidOperationException($"End-to-end tests must run in CI: {why}");
            Assert.Skip(why);
        }
        var context = await _browser.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(), ViewportSize = Viewports.Desktop, Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
        });
        await context.AddInitScriptAsync(Circuit.RememberPrerenderedLayout);
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Timeout.TotalMilliseconds);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await _app.DisposeAsync();
    }
}

public static class Viewports
{
    public static readonly ViewportSize Desktop = new() { Width = 1366, Height = 900 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
}
