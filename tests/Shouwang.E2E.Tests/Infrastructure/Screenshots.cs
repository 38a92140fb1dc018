using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Shouwang.E2E.Tests.Infrastructure;

/// <summary>
/// Full-page screenshots kept as test artefacts: under the test output's TestResults/screenshots, and copied to
/// $SHOUWANG_ARTIFACTS/screenshots when CI sets it.
/// </summary>
public static class Screenshots
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>Empties this run's folder, so a stale failure screenshot can't pass for a new one.</summary>
    public static void Clear()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Saves <c>{name}.desktop.png</c>; with <paramref name="phone"/> also <c>{name}.phone.png</c> at 390×844.</summary>
    public static async Task TakeAsync(IPage page, string name, bool phone = false)
    {
        await SaveAsync(page, $"{name}.desktop.png");
        if (!phone) return;
        var (width, height) = page.ViewportSize is { } size ? (size.Width, size.Height) : (Viewports.Desktop.Width, Viewports.Desktop.Height);
        var drawer = page.Locator(".mud-drawer");
        if (await drawer.CountAsync() == 0)
        {
            // A server-rendered page (sign-in, residents' pages): no drawer to wait for.
            await page.SetViewportSizeAsync(Viewports.Phone.Width, Viewports.Phone.Height);
            await SaveAsync(page, $"{name}.phone.png");
            await page.SetViewportSizeAsync(width, height);
            return;
        }
        var wasOpen = (await drawer.GetAttributeAsync("class"))?.Contains("mud-drawer--open", StringComparison.Ordinal) == true;
        await ResizeAsync(page, Viewports.Phone.Width, Viewports.Phone.Height, drawerOpen: false);
        await SaveAsync(page, $"{name}.phone.png");
        // Back to where the test was, or its next click lands where the drawer is still sliding in.
        await ResizeAsync(page, width, height, wasOpen);
    }

    /// <summary>
    /// The responsive drawer opens or closes after a round trip to the server, then slides: wait for both, so the page
    /// is laid out for the new size.
    /// </summary>
    private static async Task ResizeAsync(IPage page, int width, int height, bool drawerOpen)
    {
        await page.SetViewportSizeAsync(width, height);
        await Assertions.Expect(page.Locator(".mud-drawer")).ToHaveClassAsync(new Regex(drawerOpen ? @"\bmud-drawer--open\b" : @"\bmud-drawer--closed\b"));
        await page.EvaluateAsync("() => Promise.allSettled(document.getAnimations().filter(a => a instanceof CSSTransition).map(a => a.finished))");
    }

    public static async Task SaveAsync(IPage page, string fileName)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, fileName);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        if (Environment.GetEnvironmentVariable("SHOUWANG_ARTIFACTS") is { Length: > 0 } artifacts)
        {
            var copy = Path.Combine(artifacts, "screenshots");
            Directory.CreateDirectory(copy);
            File.Copy(path, Path.Combine(copy, fileName), overwrite: true);
        }
    }
}
