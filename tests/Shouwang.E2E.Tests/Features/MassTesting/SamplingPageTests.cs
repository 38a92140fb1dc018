using Microsoft.EntityFrameworkCore;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Domain.MassTesting;
using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.MassTesting;

/// <summary>
/// The sampler at the site, end to end in Chromium on a phone: a tube is opened by typing its barcode the way a wedge scanner
/// does (text + Enter), ten people are scanned into it, it seals itself at ten, and the community's coverage page counts them;
/// with the connection down the scans wait on the device and reach the server once each when it returns.
/// </summary>
public sealed class SamplingPageTests(ConsoleServer server) : ConsoleTest(server)
{
    /// <summary>石宋路社区: only these tests sample here.</summary>
    private const string Community = "430202005004";

    private sealed record Arranged(Guid RoundId, Guid SiteId, string SiteName, StaffAccount Sampler, List<string> People);

    [Fact]
    public async Task ASampler_FillsATubeOfTen_ItSealsItself_AndTheCoveragePageMoves()
    {
        var a = await ArrangeAsync(10);
        var coverage = await OpenBrowserAsync(StaffRoles.CommunityWorker, Community);
        await coverage.GotoInteractiveAsync($"/testing-rounds/{a.RoundId}/coverage");
        var sampledCell = coverage.Locator("#coverage-totals [data-field=sampled]");
        await Expect(sampledCell).ToHaveTextAsync("0");
        var before = int.Parse(await coverage.Locator("#coverage-totals [data-field=required]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        var page = await OpenBrowserAsync(a.Sampler);
        await page.SetViewportSizeAsync(Viewports.Phone.Width, Viewports.Phone.Height);
        await page.GotoAsync("/sampling");
        await page.Locator($"a.cps-choice[data-site-id='{a.SiteId}'][data-round-id='{a.RoundId}']").ClickAsync();
        await Expect(page.Locator("#site-name")).ToHaveTextAsync(a.SiteName);
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();

        var barcode = $"E2E{Guid.NewGuid():N}"[..14].ToUpperInvariant();
        await page.Keyboard.TypeAsync(barcode);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#tube-barcode")).ToHaveTextAsync(barcode);
        await Expect(page.Locator("#tube-count")).ToHaveTextAsync("0/10");
        for (var i = 0; i < 9; i++)
        {
            await page.Keyboard.TypeAsync(a.People[i]);
            await page.Keyboard.PressAsync("Enter");
        }
        await Expect(page.Locator("#tube-count")).ToHaveTextAsync("9/10");
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "0");
        await Expect(page.Locator("#members li[data-state=ok]")).ToHaveCountAsync(9);
        await Screenshots.TakeAsync(page, "sampling-tube-nine-of-ten", phone: true);

        await page.Keyboard.TypeAsync(a.People[9]);
        await page.Keyboard.PressAsync("Enter");
        // At ten the tube is sealed and the page asks for the next tube.
        await Expect(page.Locator("#tube-current")).ToBeHiddenAsync();
        await Expect(page.Locator("#scan-message")).ToContainTextAsync($"{barcode} 已封管（10 人）");
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "0");
        await Expect(page.Locator("#site-stats")).ToContainTextAsync("已采 10 人，已封管 1 支");

        await using (var db = Server.CreateDbContext())
        {
            var tube = await db.Tubes.IgnoreQueryFilters().SingleAsync(t => t.Barcode == barcode, Ct);
            Assert.Equal(TubeState.Sealed, tube.State);
            Assert.Equal(10, tube.Count);
            Assert.Equal(10, await db.Samples.IgnoreQueryFilters().CountAsync(s => s.TubeId == tube.Id && s.RemovedAt == null, Ct));
        }

        // The coverage page refreshes itself while the round runs: ten more sampled, ten fewer missing.
        await Expect(sampledCell).ToHaveTextAsync("10", new() { Timeout = 40_000 });
        await Expect(coverage.Locator("#coverage-totals [data-field=missing]")).ToHaveTextAsync((before - 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Screenshots.TakeAsync(coverage, "sampling-coverage-moved");
        // Down into the community: its name joins the path and its missing list opens.
        await coverage.Locator($"#coverage-table tr[data-key='{Community}'] a").ClickAsync();
        await Expect(coverage.Locator("#coverage-path")).ToContainTextAsync("石宋路社区居委会");
        await Expect(coverage.Locator("#missing-table")).ToBeVisibleAsync();

        // On a phone the list is a card per person. A masked number is no link (it can't be dialled): revealing it, which is
        // audited, turns it into one.
        await coverage.SetViewportSizeAsync(Viewports.Phone.Width, Viewports.Phone.Height);
        await Expect(coverage.Locator("#missing-table")).ToBeHiddenAsync();
        var first = coverage.Locator("#missing-list .missing-card:has([data-reveal-phone])").First;
        await Expect(first).ToBeVisibleAsync();
        var personId = Guid.Parse((await first.GetAttributeAsync("data-person"))!);
        var card = coverage.Locator($"#missing-list .missing-card[data-person='{personId}']");
        await Expect(card.Locator("a[href^='tel:']")).ToHaveCountAsync(0);
        // The button says whose number it shows (a screen reader would otherwise hear twenty "显示").
        var reveal = card.Locator("[data-reveal-phone^='card:']");
        await Expect(reveal).ToHaveAttributeAsync("aria-label", $"显示{await card.Locator("strong").InnerTextAsync()}的完整电话（记入审计日志）");
        await reveal.ClickAsync();
        await using (var db = Server.CreateDbContext())
        {
            var phone = await db.Persons.IgnoreQueryFilters().Where(p => p.Id == personId).Select(p => p.Phone).SingleAsync(Ct);
            await Expect(card.Locator("a.missing-phone")).ToHaveAttributeAsync("href", $"tel:{phone}");
            await Expect(card.Locator("a.missing-phone")).ToHaveTextAsync(phone!);
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == AuditAction.Reveal && e.EntityId == personId.ToString(), Ct));
        }
        // The table again on a wide screen, with the revealed number in it.
        await coverage.SetViewportSizeAsync(Viewports.Desktop.Width, Viewports.Desktop.Height);
        await Expect(coverage.Locator($"#missing-table a.missing-phone[href='tel:{await card.Locator("a.missing-phone").TextContentAsync()}']")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(coverage, "sampling-coverage-missing", phone: true);
    }

    [Fact]
    public async Task WithTheConnectionDown_ScansWaitOnTheDevice_AndReachTheServerOnceEach()
    {
        var a = await ArrangeAsync(3);
        var page = await OpenBrowserAsync(a.Sampler);
        await page.SetViewportSizeAsync(Viewports.Phone.Width, Viewports.Phone.Height);
        await page.GotoAsync($"/sampling/{a.SiteId}/{a.RoundId}");
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();
        var barcode = $"OFF{Guid.NewGuid():N}"[..14].ToUpperInvariant();

        await page.Context.SetOfflineAsync(true);
        await page.Keyboard.TypeAsync(barcode);
        await page.Keyboard.PressAsync("Enter");
        foreach (var person in a.People)
        {
            await page.Keyboard.TypeAsync(person);
            await page.Keyboard.PressAsync("Enter");
        }
        await Expect(page.Locator("#tube-count")).ToHaveTextAsync("3/10");
        // The tube's opening and the three samples wait, in order.
        await Expect(page.Locator("#pending")).ToHaveTextAsync("4 条待上传");
        await Expect(page.Locator("#net-state")).ToHaveAttributeAsync("data-online", "false");
        await Expect(page.Locator("#members li[data-state=pending]")).ToHaveCountAsync(3);
        await Screenshots.TakeAsync(page, "sampling-offline", phone: true);

        await page.Context.SetOfflineAsync(false);
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "0", new() { Timeout = 40_000 });
        await Expect(page.Locator("#members li[data-state=ok]")).ToHaveCountAsync(3);

        // Sent again (as a device would after a lost answer): still three.
        var ids = await page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('#members li')).map(li => li.dataset.sampleId)");
        var resend = await page.EvaluateAsync<int>(@"async ([ids, barcode, people]) => {
            const response = await fetch('/api/v1/sampling/samples', { method: 'POST', headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ samples: ids.map((id, i) => ({ id, tubeBarcode: barcode, input: people[i], at: new Date().toISOString(), offline: true })) }) });
            const data = await response.json();
            return data.results.filter(r => r.duplicate).length;
        }", new object[] { ids, barcode, a.People.ToArray() });
        Assert.Equal(3, resend);
        await using var db = Server.CreateDbContext();
        var tube = await db.Tubes.IgnoreQueryFilters().SingleAsync(t => t.Barcode == barcode, Ct);
        Assert.Equal(3, tube.Count);
        var samples = await db.Samples.IgnoreQueryFilters().Where(s => s.TubeId == tube.Id).ToListAsync(Ct);
        Assert.Equal(3, samples.Count);
        Assert.All(samples, s => Assert.True(s.WasOffline));
    }

    /// <summary>An open 10:1 round over the community, a site there with a new sampler, and <paramref name="people"/> residents' ID numbers.</summary>
    private async Task<Arranged> ArrangeAsync(int people)
    {
        var sampler = await Server.CreateAccountAsync(StaffRoles.Sampler, Community);
        using var _ = CallerContext.AsSystem();
        var rounds = Server.Get<Rounds>();
        var created = await rounds.CreateAsync(new RoundInput("第9轮全员核酸", DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddHours(20), 10, [Community], null, null), Ct);
        var roundId = Assert.IsType<Outcome<RoundDetails>.Success>(created).Value.Round.Id;
        Assert.IsType<Outcome<RoundDetails>.Success>(await rounds.ChangeStateAsync(roundId, RoundState.Open, Ct));
        var sites = Server.Get<SamplingSites>();
        var name = $"石宋路采样点{Random.Shared.Next(100, 999)}";
        var site = Assert.IsType<Outcome<SamplingSiteItem>.Success>(await sites.CreateAsync(new SamplingSiteInput { Name = name, Address = "石宋路广场", CommunityCode = Community }, Ct)).Value;
        Assert.IsType<Outcome<IReadOnlyList<SamplerItem>>.Success>(await sites.AssignAsync(site.Id, new SamplerInput(sampler.Id), Ct));
        var grid = await Server.Data.GridAsync(Community, $"采样网格{Guid.NewGuid():N}"[..10]);
        var household = await Server.Data.HouseholdAsync(Community, grid.Id);
        var numbers = new List<string>();
        for (var i = 0; i < people; i++) numbers.Add((await Server.Data.PersonAsync(household, $"采样{i}号", relation: Shouwang.Domain.People.RelationToHead.Other)).DocumentNumber);
        return new Arranged(roundId, site.Id, name, sampler, numbers);
    }
}
