using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;
using Shouwang.Domain.WorkOrders;
using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.Control;

/// <remarks>
/// These tests work in 湘华社区 (430202005003), in grids of their own: the referrals and orders they open must not show in
/// other tests' queues, and 晏家湾 must keep its one grid for the import test.
/// </remarks>
public sealed class EpidemicControlFlowTests(ConsoleServer server) : ConsoleTest(server)
{
    private const string Community = "430202005003";

    private DateOnly Today => Server.Get<LocalClock>().Today();

    /// <summary>
    /// A clerk issues a close contact's quarantine from the person page (previewing the schedule first), the command approves it,
    /// and at night the grid worker records a fever on a phone: the person turns red and a fever referral is opened.
    /// </summary>
    [Fact]
    public async Task CloseContact_IssuedWithPreview_Approved_ThenAFeverAtTheFollowUpOpensAReferral()
    {
        // A grid of its own: the fever referral this test opens must not show in other tests' grid queues.
        var grid = await Server.Data.GridAsync(Community, "湘华随访网格");
        var household = await Server.Data.HouseholdAsync(Community, grid.Id, "湘华小区5栋1单元302室");
        var (personId, _) = await Server.Data.PersonAsync(household, "欧阳晨曦", "13907330088");

        var clerk = await OpenBrowserAsync(StaffRoles.CommunityWorker, Community);
        await clerk.GotoInteractiveAsync($"/persons/{personId}");
        var anchor = clerk.Locator("#input-anchor").Locator("xpath=descendant-or-self::input").First;
        await anchor.FillAsync(Today.AddDays(-1).ToString("yyyy-MM-dd"));
        await anchor.PressAsync("Tab");
        await clerk.Locator("#measure-reason").FillAsync("与确诊病例同一餐馆就餐，流调判定为密接");
        await clerk.Locator("#preview-measure").ClickAsync();
        var preview = clerk.Locator("#measure-preview");
        await Expect(preview).ToContainTextAsync("集中隔离");
        await Expect(preview).ToContainTextAsync("居家健康监测");
        await Screenshots.TakeAsync(clerk, "measure-preview");
        await clerk.Locator("#confirm-measure").ClickAsync();
        await Expect(clerk.Locator("#measure-timeline")).ToContainTextAsync("待审批");

        var command = await OpenBrowserAsync(StaffRoles.Command, TestData.Street);
        await command.GotoInteractiveAsync("/restrictions");
        await command.Locator("#pending-table tr", new() { HasText = "欧阳晨曦" }).Locator("button", new() { HasText = "批准" }).ClickAsync();
        await Expect(command.Locator("#active-table")).ToContainTextAsync("欧阳晨曦");

        var worker = await OpenBrowserAsync(await Server.CreateAccountAsync(StaffRoles.GridWorker, Community, grid.Id));
        await worker.SetViewportSizeAsync(Viewports.Phone.Width, Viewports.Phone.Height);
        await worker.GotoInteractiveAsync("/follow-ups");
        var card = worker.Locator("#follow-up-list > *", new() { HasText = "欧阳晨曦" }).First;
        await Expect(card).ToContainTextAsync("第1天");
        await card.Locator("[data-record]").ClickAsync();
        await worker.Locator("#input-temperature").FillAsync("38.2");
        await worker.Locator("#save-follow-up").ClickAsync();
        // The list shows what is still due; the recorded check is under 已随访.
        await Expect(worker.Locator("#follow-up-list > *", new() { HasText = "欧阳晨曦" })).ToHaveCountAsync(1);
        await worker.Locator("[data-count=done]").ClickAsync();
        await Expect(worker.Locator("#follow-up-list")).ToContainTextAsync("38.2");
        await Screenshots.TakeAsync(worker, "follow-up-fever", phone: true);

        await using (var db = Server.CreateDbContext())
        {
            Assert.True(await db.WorkOrders.AnyAsync(w => w.PersonId == personId && w.Source == WorkOrderSource.FeverReferral, Ct));
            Assert.Equal(MeasureKind.CentralisedQuarantine, (await db.ControlMeasures.FirstAsync(m => m.PersonId == personId && m.StageIndex == 0, Ct)).Kind);
        }
        await clerk.GotoInteractiveAsync($"/persons/{personId}");
        await Expect(clerk.Locator("#status-colour")).ToHaveAttributeAsync("data-colour", "Red");
        await Expect(clerk.Locator("#measure-timeline")).ToContainTextAsync("38.2");
        await Screenshots.TakeAsync(clerk, "person-measure-timeline");
    }

    /// <summary>Someone back from a high-risk district reports on a phone; the community confirms and the policy's quarantine is issued.</summary>
    [Fact]
    public async Task ArrivalFromAHighRiskRegion_ReportedOnAPhone_ConfirmedByTheCommunity_IssuesTheQuarantine()
    {
        var grid = await Server.Data.GridAsync(Community, "湘华来返网格");
        var household = await Server.Data.HouseholdAsync(Community, grid.Id, "湘华小区7栋2单元601室");
        var (personId, document) = await Server.Data.PersonAsync(household, "诸葛远行", "13907330077");
        await using (var db = Server.CreateDbContext())
        {
            if (!await db.ExternalRiskRegions.AnyAsync(r => r.DivisionCode == "310115", Ct))
            {
                db.ExternalRiskRegions.Add(new ExternalRiskRegion
                {
                    DivisionCode = "310115", Name = "上海市浦东新区", Level = RiskAreaLevel.High, FromDay = Today.AddDays(-10), UpdatedByName = "test", UpdatedAt = DateTime.UtcNow,
                });
                await db.SaveChangesAsync(Ct);
            }
        }

        var phone = await OpenAnonymousBrowserAsync();
        await phone.SetViewportSizeAsync(Viewports.Phone.Width, Viewports.Phone.Height);
        await phone.GotoAsync("/arrival");
        await phone.Locator("#document-number").FillAsync(document);
        await phone.Locator("#name").FillAsync("诸葛远行");
        await phone.Locator("#phone").FillAsync("13907330077");
        // Each level asks the server for the next one; what was typed stays.
        await phone.Locator("#province").SelectOptionAsync(new SelectOptionValue { Label = "上海市" });
        await phone.Locator("#city").SelectOptionAsync(new SelectOptionValue { Label = "市辖区" });
        await phone.Locator("#county").SelectOptionAsync(new SelectOptionValue { Label = "浦东新区" });
        await Expect(phone.Locator("#name")).ToHaveValueAsync("诸葛远行");
        await phone.Locator("#route").FillAsync("上海虹桥 → 株洲西，高铁");
        await phone.Locator("#transport-detail").FillAsync("G1343");
        await phone.Locator("#left-on").FillAsync(Today.AddDays(-1).ToString("yyyy-MM-dd"));
        await phone.Locator("#arrived-on").FillAsync(Today.ToString("yyyy-MM-dd"));
        await phone.Locator("#community").SelectOptionAsync(new SelectOptionValue { Value = Community });
        await phone.Locator("#stay-address").FillAsync("湘华小区7栋2单元601室");
        await Screenshots.TakeAsync(phone, "arrival-public-form", phone: true);
        await phone.Locator("#submit").ClickAsync();
        var reference = (await phone.Locator("#reference").InnerTextAsync()).Trim();
        Assert.StartsWith("LF", reference);
        await Screenshots.TakeAsync(phone, "arrival-filed", phone: true);

        var clerk = await OpenBrowserAsync(StaffRoles.CommunityWorker, Community);
        await clerk.GotoInteractiveAsync("/arrivals");
        await clerk.Locator("#arrivals-table tr", new() { HasText = "诸葛远行" }).ClickAsync();
        var drawer = clerk.Locator("#review-drawer");
        await Expect(drawer).ToContainTextAsync("高风险");
        // The drawer slides in: photograph it once it has arrived.
        await clerk.WaitForFunctionAsync("() => document.querySelector('#review-drawer').getBoundingClientRect().right <= window.innerWidth + 1");
        await Screenshots.TakeAsync(clerk, "arrival-review");
        await clerk.Locator("#confirm").ClickAsync();

        await using (var db = Server.CreateDbContext())
        {
            var report = await db.ArrivalReports.SingleAsync(a => a.Number == reference, Ct);
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (report.State != ArrivalState.MeasureIssued && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, Ct);
                await db.Entry(report).ReloadAsync(Ct);
            }
            Assert.Equal((ArrivalState.MeasureIssued, personId), (report.State, report.PersonId));
            var stage = await db.ControlMeasures.SingleAsync(m => m.CourseId == report.CourseId, Ct);
            // 第九版: left a high-risk area → 7 days centralised quarantine counted from leaving.
            Assert.Equal((PersonCategory.HighRiskAreaArrival, MeasureKind.CentralisedQuarantine, Today, Today.AddDays(6)),
                (stage.Category, stage.Kind, stage.StartDay, stage.EndDay));
        }
    }

    /// <summary>A lockdown building with seven clean days and a negative day-7 screening is proposed for release, and the command approves.</summary>
    [Fact]
    public async Task LockdownBuilding_AfterSevenCleanDays_IsProposedForRelease_AndTheCommandApproves()
    {
        Guid areaId;
        await using (var db = Server.CreateDbContext())
        {
            var compound = new Domain.Registry.Compound { CommunityCode = long.Parse(Community), Name = "解封测试小区" };
            var building = new Domain.Registry.Building { CompoundId = compound.Id, CommunityCode = compound.CommunityCode, Name = "9栋" };
            db.Compounds.Add(compound);
            db.Buildings.Add(building);
            var since = Today.AddDays(-7);
            var area = new RiskArea
            {
                CommunityCode = compound.CommunityCode, Scope = RiskAreaScope.Building, BuildingId = building.Id, CompoundId = compound.Id, Name = "解封测试小区9栋",
                Level = RiskAreaLevel.High, StartDay = since, LevelSince = since, Reason = "确诊病例居住楼栋", State = RiskAreaState.Active,
                CreatedByName = "指挥部", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            };
            db.RiskAreas.Add(area);
            db.RiskAreaScreenings.Add(new RiskAreaScreening
            {
                RiskAreaId = area.Id, CommunityCode = area.CommunityCode, Day = Today.AddDays(-1), Required = 36, Sampled = 36, Positive = 0,
                RecordedByName = "采样队", RecordedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
            areaId = area.Id;
        }

        var command = await OpenBrowserAsync(StaffRoles.Command, TestData.Street);
        await command.GotoInteractiveAsync("/risk-areas");
        await command.Locator("#evaluate-now").ClickAsync();
        var proposal = command.Locator("#proposals-table tr", new() { HasText = "解封测试小区9栋" });
        await Expect(proposal).ToBeVisibleAsync();
        await Screenshots.TakeAsync(command, "risk-area-release-proposed");
        await proposal.GetByRole(AriaRole.Button, new() { Name = "同意", Exact = true }).ClickAsync();
        await Expect(command.Locator("#areas-table tr", new() { HasText = "解封测试小区9栋" })).ToContainTextAsync("管控");

        await command.GotoInteractiveAsync($"/risk-areas/{areaId}");
        await Screenshots.TakeAsync(command, "risk-area-history");
    }
}
