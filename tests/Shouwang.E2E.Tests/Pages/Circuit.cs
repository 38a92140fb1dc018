using Microsoft.Playwright;
using Shouwang.E2E.Tests.Infrastructure;

namespace Shouwang.E2E.Tests.Pages;

/// <summary>
/// Waiting for Blazor Server to make a prerendered page interactive. It looks the same before and after, but the circuit
/// replaces the prerendered elements rather than adopting them: once the layout element the server sent is detached,
/// the interactive copy (with its event handlers) is in place. Acting earlier loses typed text and clicks.
/// </summary>
public static class Circuit
{
    /// <summary>Runs in every document before its scripts: remembers the prerendered layout as soon as it is parsed.</summary>
    public const string RememberPrerenderedLayout =
        "document.addEventListener('DOMContentLoaded', () => { window.__swPrerendered = document.querySelector('.mud-layout'); });";

    public static async Task GotoInteractiveAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        try
        {
            await page.WaitForFunctionAsync("() => window.__swPrerendered != null && !window.__swPrerendered.isConnected");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{path} did not become interactive within {ConsoleServer.Timeout.TotalSeconds} s", e);
        }
    }
}
