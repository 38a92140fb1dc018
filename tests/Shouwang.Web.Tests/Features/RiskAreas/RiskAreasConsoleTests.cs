using System.Net;
using System.Net.Http.Json;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.RiskAreas;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.RiskAreas;

/// <summary>The console pages render (server prerendering) with the right actions for the right people.</summary>
public sealed class RiskAreasConsoleTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    private async Task<RiskAreaItem> ProposedAreaAsync()
    {
        await Factory.PutInForceAsync(TestData.Street, "NHC-9");
        var today = Factory.Get<LocalClock>().Today();
        var place = await Factory.BuildingWithResidentsAsync();
        var response = await Client.PostAsJsonAsync("/api/v1/risk-areas",
            new { scope = "Building", buildingId = place.BuildingId, level = "High", startDay = today.AddDays(-6), reason = "控制台测试的划定事由" }, Json, Ct);
        var area = (await response.Content.ReadFromJsonAsync<RiskAreaItem>(Json, Ct))!;
        await Client.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/screenings", new { day = today, sampled = 2, positive = 0 }, Json, Ct);
        await Client.PostAsync("/api/v1/risk-areas/evaluate", null, Ct);
        return area;
    }

    [Fact]
    public async Task The_command_sees_areas_and_proposals_with_actions()
    {
        var area = await ProposedAreaAsync();
        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        var html = await command.GetStringAsync("/risk-areas", Ct);
        Assert.Contains(area.Name, html);
        Assert.Contains("proposals-table", html);
        Assert.Contains("designate-open", html);
        Assert.Contains("封控", html);
        Assert.Contains("同意", html);

        var detail = await command.GetStringAsync($"/risk-areas/{area.Id}", Ct);
        Assert.Contains("控制台测试的划定事由", detail);
        Assert.Contains("pending-proposal", detail);
        Assert.Contains("record-screening", detail);
        Assert.Contains("禁止外出", detail);
        Assert.Contains("residents-count", detail);
    }

    [Fact]
    public async Task An_observer_reads_without_actions_and_the_sibling_sees_nothing()
    {
        var area = await ProposedAreaAsync();
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        var html = await observer.GetStringAsync("/risk-areas", Ct);
        Assert.Contains(area.Name, html);
        Assert.DoesNotContain("designate-open", html);
        Assert.DoesNotContain("evaluate-now", html);
        var detail = await observer.GetStringAsync($"/risk-areas/{area.Id}", Ct);
        Assert.Contains(area.Name, detail);
        Assert.DoesNotContain("record-infection", detail);
        Assert.DoesNotContain("end-area", detail);

        using var sibling = await Factory.ClientForAsync(StaffRoles.Admin, TestData.SiblingCommunity);
        Assert.DoesNotContain(area.Name, await sibling.GetStringAsync("/risk-areas", Ct));
        var hidden = await sibling.GetAsync($"/risk-areas/{area.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);
        var body = await hidden.Content.ReadAsStringAsync(Ct);
        Assert.Contains("not-found", body);
        Assert.DoesNotContain("控制台测试的划定事由", body);
    }
}
