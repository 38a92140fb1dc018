using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Shouwang.E2E.Tests.Pages;

/// <summary>/import: choose a committee and a roster file, preview, then commit.</summary>
public sealed class RosterImportPage(IPage page)
{
    /// <summary>MudSelect's hidden input: holds the chosen grid's id.</summary>
    public ILocator Grid => page.Locator("#import-grid");

    public ILocator Issues => page.Locator("#import-issues");

    public ILocator Done => page.Locator("#import-done");

    public static async Task<RosterImportPage> OpenAsync(IPage page)
    {
        await page.GotoInteractiveAsync("/import");
        return new RosterImportPage(page);
    }

    /// <summary>Types part of the committee's name into the autocomplete and picks the option that offers it.</summary>
    public async Task ChooseCommunityAsync(string typed, string optionText)
    {
        var input = page.Locator("#import-community");
        await input.ClickAsync();
        await input.PressSequentiallyAsync(typed);
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = optionText }).ClickAsync();
        await Assertions.Expect(input).ToHaveValueAsync(new Regex(Regex.Escape(optionText)));
    }

    public Task ChooseFileAsync(string name, byte[] content) =>
        page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = name, MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = content,
        });

    public async Task PreviewAsync()
    {
        var button = page.Locator("#import-preview");
        // Enabled once the circuit holds the file.
        await Assertions.Expect(button).ToBeEnabledAsync();
        await button.ClickAsync();
    }

    public Task ImportValidRowsAsync() => page.Locator("#import-valid").ClickAsync();

    /// <summary>The issue lines reported for one row of the sheet.</summary>
    public ILocator IssuesOfRow(int row) =>
        Issues.Locator("tbody tr").Filter(new() { Has = page.Locator("td:first-child", new() { HasTextRegex = new($"^{row}$") }) });
}
