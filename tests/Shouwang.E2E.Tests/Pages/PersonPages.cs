using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shouwang.Domain.People;

namespace Shouwang.E2E.Tests.Pages;

/// <summary>/persons: search box and results.</summary>
public sealed partial class PersonSearchPage(IPage page)
{
    public ILocator ResultCount => page.Locator("#result-count");

    public ILocator Results => page.Locator("#persons-table");

    public static async Task<PersonSearchPage> OpenAsync(IPage page)
    {
        await page.GotoInteractiveAsync("/persons");
        return new PersonSearchPage(page);
    }

    public async Task SearchAsync(string text)
    {
        await page.Locator("#person-query").FillAsync(text);
        await page.Locator("#person-search-button").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(SearchUrl());
    }

    public async Task<PersonPage> OpenResultAsync(string name)
    {
        await Results.Locator(".person-link", new() { HasText = name }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(DetailUrl());
        return new PersonPage(page);
    }

    [GeneratedRegex(@"/persons/[0-9a-f-]{36}$")]
    internal static partial Regex DetailUrl();

    [GeneratedRegex(@"/persons\?(.*&)?q=")]
    private static partial Regex SearchUrl();
}

/// <summary>/persons/{id}: one resident.</summary>
public sealed partial class PersonPage(IPage page)
{
    public ILocator Name => page.Locator("#person-name");

    public ILocator Tags => page.Locator("#person-tags");

    public async Task<PersonEditPage> EditAsync()
    {
        await page.Locator("#edit-person").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(EditUrl());
        await page.Locator("#input-tags").WaitForAsync();
        return new PersonEditPage(page);
    }

    [GeneratedRegex(@"/persons/[0-9a-f-]{36}/edit$")]
    private static partial Regex EditUrl();
}

/// <summary>/persons/{id}/edit: the resident form.</summary>
public sealed class PersonEditPage(IPage page)
{
    /// <summary>The check box of <paramref name="tag"/>: MudCheckBox passes data-tag on to its (transparent) input.</summary>
    public ILocator Tag(VulnerabilityTags tag) => page.Locator($"#input-tags input[type=checkbox][data-tag='{tag}']");

    public async Task TickAsync(VulnerabilityTags tag)
    {
        await Tag(tag).CheckAsync();
        await Assertions.Expect(Tag(tag)).ToBeCheckedAsync();
    }

    public async Task<PersonPage> SaveAsync()
    {
        await page.Locator("#save-person").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(PersonSearchPage.DetailUrl());
        return new PersonPage(page);
    }
}
