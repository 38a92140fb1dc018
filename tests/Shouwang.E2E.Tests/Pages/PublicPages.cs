using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Pages;

/// <summary>The residents' server-rendered pages: file a request, look up its status.</summary>
public static class PublicPages
{
    public sealed record Request(string Kind, string? Need, string Community, string Address, string Name, string Phone, string Description);

    /// <summary>Fills and sends /public/report; returns the reference number shown on the confirmation.</summary>
    public static async Task<string> FileAsync(IPage page, Request request)
    {
        await page.GotoAsync("/public/report");
        await page.Locator("#kind").SelectOptionAsync(request.Kind);
        if (request.Need is not null) await page.Locator("#need").SelectOptionAsync(request.Need);
        await page.Locator("#community").SelectOptionAsync(request.Community);
        await page.Locator("#address").FillAsync(request.Address);
        await page.Locator("#name").FillAsync(request.Name);
        await page.Locator("#phone").FillAsync(request.Phone);
        await page.Locator("#description").FillAsync(request.Description);
        await page.Locator("#submit").ClickAsync();
        await Expect(page.Locator("#reference")).ToBeVisibleAsync();
        return (await page.Locator("#reference").InnerTextAsync()).Trim();
    }

    /// <summary>Looks up a reference on /public/status; returns the status text shown.</summary>
    public static async Task<string> StatusAsync(IPage page, string number, string phoneTail)
    {
        await page.GotoAsync($"/public/status?number={Uri.EscapeDataString(number)}");
        await page.Locator("#phone-tail").FillAsync(phoneTail);
        await page.Locator("#lookup").ClickAsync();
        await Expect(page.Locator("#status")).ToBeVisibleAsync();
        return (await page.Locator("#status").InnerTextAsync()).Trim();
    }
}
