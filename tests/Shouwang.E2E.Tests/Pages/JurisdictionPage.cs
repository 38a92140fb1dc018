using Microsoft.Playwright;

namespace Shouwang.E2E.Tests.Pages;

/// <summary>/jurisdictions/{code}: a division with its counts and its children.</summary>
public sealed class JurisdictionPage(IPage page)
{
    public ILocator Title => page.Locator("#node-title");

    public ILocator Navigation => page.Locator(".mud-drawer");

    public static async Task<JurisdictionPage> OpenAsync(IPage page, string code)
    {
        await page.GotoInteractiveAsync($"/jurisdictions/{code}");
        return new JurisdictionPage(page);
    }

    /// <summary>The persons cell of the child row named <paramref name="name"/>.</summary>
    public ILocator ChildPersons(string name) =>
        page.Locator("#children-table tbody tr").Filter(new() { HasText = name }).Locator("td").Nth(3);

    /// <summary>Follows the language button; it reloads the page through /culture, which sets the cookie.</summary>
    public async Task SwitchLanguageAsync(string expectedLang)
    {
        await page.Locator("#culture-switch").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", expectedLang);
    }
}
