using System.Net;
using System.Net.Http.Json;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.Policies;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Arrivals;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Arrivals;

/// <summary>The console pages render (server prerendering) the reports and regions, with the forms only for those who may act.</summary>
public sealed class ArrivalsConsoleTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task ArrivalsPage_ListsTheReportWithItsRisk_AndOpensTheReview()
    {
        await Data.GridAsync();
        await Factory.PutInForceAsync(TestData.Street, "NHC-9");
        var today = Factory.Get<LocalClock>().Today();
        await using (var db = Factory.CreateDbContext())
        {
            db.ExternalRiskRegions.Add(new ExternalRiskRegion { DivisionCode = "440303", Name = "广东省深圳市罗湖区", Level = RiskAreaLevel.High, FromDay = today.AddDays(-10), UpdatedByName = "test" });
            await db.SaveChangesAsync(Ct);
        }
        var response = await Client.PostAsJsonAsync("/api/v1/arrivals", new
        {
            documentNumber = TestData.NewIdNumber(), name = "孙控制台", phone = "13912345678", originCode = "440303", transport = "Plane",
            leftOn = today.AddDays(-1).ToString("yyyy-MM-dd"), arrivedOn = today.ToString("yyyy-MM-dd"), communityCode = TestData.Community, stayAddress = "晏家湾小区1栋",
        }, Json, Ct);
        var created = (await response.Content.ReadFromJsonAsync<SubmittedArrival>(Json, Ct))!;

        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var html = WebUtility.HtmlDecode(await worker.GetStringAsync("/arrivals", Ct));
        Assert.Contains(created.Number, html);
        Assert.Contains("广东省深圳市罗湖区", html);
        Assert.Contains("data-risk=\"High\"", html);
        Assert.Contains("高风险区来返人员", html);
        Assert.Contains("id=\"new-arrival\"", html);

        var review = WebUtility.HtmlDecode(await worker.GetStringAsync($"/arrivals?id={created.Id}", Ct));
        Assert.Contains("id=\"confirm\"", review);
        Assert.Contains("id=\"dismiss\"", review);

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        var observed = await observer.GetStringAsync($"/arrivals?id={created.Id}", Ct);
        Assert.Contains(created.Number, observed);
        Assert.DoesNotContain("id=\"confirm\"", observed);
        Assert.DoesNotContain("id=\"new-arrival\"", observed);
    }

    [Fact]
    public async Task NewArrivalPage_RendersTheForm()
    {
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var html = await worker.GetStringAsync("/arrivals/new", Ct);
        foreach (var id in new[] { "document-number", "name", "phone", "province", "community", "stay-address", "submit" })
            Assert.Contains($"id=\"{id}\"", html);
    }

    [Fact]
    public async Task RiskRegionsPage_ShowsTheList_AndTheFormsOnlyToThoseWhoDesignate()
    {
        await using (var db = Factory.CreateDbContext())
        {
            db.ExternalRiskRegions.Add(new ExternalRiskRegion
            {
                DivisionCode = "440304", Name = "广东省深圳市福田区", Level = RiskAreaLevel.Medium, FromDay = Factory.Get<LocalClock>().Today().AddDays(-1), UpdatedByName = "test",
            });
            await db.SaveChangesAsync(Ct);
        }
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var html = WebUtility.HtmlDecode(await worker.GetStringAsync("/risk-regions", Ct));
        Assert.Contains("广东省深圳市福田区", html);
        Assert.DoesNotContain("id=\"region-form\"", html);

        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        var commandHtml = await command.GetStringAsync("/risk-regions", Ct);
        Assert.Contains("id=\"region-form\"", commandHtml);
        Assert.Contains("id=\"import-file\"", commandHtml);
    }
}
