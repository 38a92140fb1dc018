using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.People;
using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.Registry;

public sealed class PersonEditTests(ConsoleServer server) : ConsoleTest(server)
{
    [Fact]
    public async Task SearchResident_EditTags_SavesAndShowsThem()
    {
        var resident = Server.Resident;
        var page = await OpenBrowserAsync();

        var search = await PersonSearchPage.OpenAsync(page);
        await search.SearchAsync(resident.Name);
        await Expect(search.ResultCount).ToHaveTextAsync("共 1 条");
        // The list masks ID numbers but keeps the last four digits.
        await Expect(search.Results).ToContainTextAsync(resident.DocumentNumber[^4..]);
        await Screenshots.TakeAsync(page, "person-search-results", phone: true);

        var detail = await search.OpenResultAsync(resident.Name);
        await Expect(detail.Name).ToHaveTextAsync(resident.Name);
        var edit = await detail.EditAsync();
        await edit.TickAsync(VulnerabilityTags.Bedridden);
        await edit.TickAsync(VulnerabilityTags.LimitedMobility);
        await Screenshots.TakeAsync(page, "person-edit-tags-ticked");

        detail = await edit.SaveAsync();
        Assert.EndsWith($"/persons/{resident.Id}", page.Url);
        await Expect(detail.Tags).ToHaveTextAsync("卧床、行动不便");
        await Screenshots.TakeAsync(page, "person-detail-saved", phone: true);

        await using var db = Server.CreateDbContext();
        var saved = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == resident.Id, Ct);
        Assert.Equal(VulnerabilityTags.Bedridden | VulnerabilityTags.LimitedMobility, saved.Tags);
    }
}
