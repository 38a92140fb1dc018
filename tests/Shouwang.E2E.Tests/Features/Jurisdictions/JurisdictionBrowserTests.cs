using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.Jurisdictions;

public sealed class JurisdictionBrowserTests(ConsoleServer server) : ConsoleTest(server)
{
    private const string Liufang = "流芳社区居委会";

    [Fact]
    public async Task BrowseStreet_ShowsCommitteesWithResidents_AndSwitchesToEnglish()
    {
        long liufangCode = long.Parse(TestData.SiblingCommunity);
        int liufangResidents;
        await using (var db = Server.CreateDbContext())
            liufangResidents = await db.Persons.CountAsync(p => p.CommunityCode == liufangCode, Ct);
        Assert.True(liufangResidents > 0, "the generator should have filled 流芳社区");
        var page = await OpenBrowserAsync();

        var street = await JurisdictionPage.OpenAsync(page, TestData.Street);
        await Expect(street.Title).ToContainTextAsync("金山街道");
        await Expect(street.ChildPersons(Liufang)).ToHaveTextAsync(liufangResidents.ToString("N0", CultureInfo.GetCultureInfo("zh-CN")));
        await Expect(street.Navigation).ToContainTextAsync("居民");
        await Screenshots.TakeAsync(page, "jurisdiction-street-zh", phone: true);

        await street.SwitchLanguageAsync("en");
        Assert.EndsWith($"/jurisdictions/{TestData.Street}", page.Url);
        await Expect(street.Navigation).ToContainTextAsync("Residents");
        await Expect(street.ChildPersons(Liufang)).ToHaveTextAsync(liufangResidents.ToString("N0", CultureInfo.GetCultureInfo("en")));
        await Screenshots.TakeAsync(page, "jurisdiction-street-en");
    }
}
