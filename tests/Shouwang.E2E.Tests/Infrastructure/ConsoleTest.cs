using Microsoft.Playwright;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.E2E.Tests.Infrastructure;

/// <summary>Base of a console test: one browser profile per test; on failure a screenshot and the browser's errors.</summary>
public abstract class ConsoleTest(ConsoleServer server) : IAsyncDisposable
{
    private readonly List<string> _browserErrors = [];
    private readonly List<IBrowserContext> _contexts = [];
    private IPage? _page;

    protected ConsoleServer Server { get; } = server;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A browser signed in through the sign-in page as a new account (by default an administrator of the street).</summary>
    protected async Task<IPage> OpenBrowserAsync(StaffRoles roles = StaffRoles.Admin, string node = TestData.Street, Guid? gridId = null) =>
        await OpenBrowserAsync(await Server.CreateAccountAsync(roles, node, gridId));

    protected async Task<IPage> OpenBrowserAsync(StaffAccount account)
    {
        var page = await OpenAnonymousBrowserAsync();
        await SignInAsync(page, account);
        return page;
    }

    /// <summary>A browser profile that has not signed in (the residents' pages).</summary>
    protected async Task<IPage> OpenAnonymousBrowserAsync()
    {
        // One profile per person in the test: each signs in on their own, and all stay open until the end.
        var context = await Server.NewBrowserContextAsync();
        _contexts.Add(context);
        _page = await context.NewPageAsync();
        _page.Console += (_, message) => { if (message.Type == "error") _browserErrors.Add($"{message.Text} ({message.Location})"); };
        _page.PageError += (_, error) => _browserErrors.Add(error);
        return _page;
    }

    protected static async Task SignInAsync(IPage page, StaffAccount account)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#username").FillAsync(account.UserName!);
        await page.Locator("#password").FillAsync(AppFactory.TestPassword);
        await page.Locator("#login-submit").ClickAsync();
        // Only that the sign-in went through: the next step navigates (and waits for the circuit) itself. Waiting for the
        // home page's load event as well has timed out on a busy CI machine.
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
    }

    public async ValueTask DisposeAsync()
    {
        if (_page is not null && TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            var test = TestContext.Current.Test?.TestDisplayName ?? "test";
            var safe = string.Concat(test.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' ? c : '-'));
            try { await Screenshots.SaveAsync(_page, $"FAILED-{safe}.png"); }
            catch (PlaywrightException) { }
            TestContext.Current.TestOutputHelper?.WriteLine($"Page: {_page.Url}");
            foreach (var error in _browserErrors) TestContext.Current.TestOutputHelper?.WriteLine($"Browser error: {error}");
        }
        foreach (var context in _contexts) await context.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
