using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Policies;
using Shouwang.Web.Features.RiskAreas;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.RiskAreas;

/// <summary>The daily 07:00 (Asia/Shanghai) release evaluation, driven by the factory's fake clock.</summary>
public abstract class ReleaseTimerTests(AppFactory factory) : ApiTestBase(factory)
{
    [Fact]
    public async Task The_evaluation_runs_at_seven_in_the_morning_local_time()
    {
        await Factory.PutInForceAsync(TestData.Community, "NHC-9-20");
        var clock = Factory.Get<LocalClock>();
        var today = clock.Today();
        var place = await Factory.BuildingWithResidentsAsync(households: 1);
        // 二十条: high → low after 5 days without an infection; today is day 4, tomorrow day 5.
        var response = await Client.PostAsJsonAsync("/api/v1/risk-areas",
            new { scope = "Building", buildingId = place.BuildingId, level = "High", startDay = today.AddDays(-3), reason = "楼内发现阳性感染者" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var area = (await response.Content.ReadFromJsonAsync<RiskAreaItem>(Json, Ct))!;

        var tomorrow = today.AddDays(1);
        Factory.Clock!.SetUtcNow(clock.ToUtc(tomorrow.ToDateTime(new TimeOnly(6, 59))));
        await Task.Delay(500, Ct);
        Assert.Equal(0, await ProposalCountAsync(area.Id));

        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await ProposalCountAsync(area.Id) == 0 && DateTime.UtcNow < deadline) await Task.Delay(100, Ct);
        await using var db = Factory.CreateDbContext();
        var proposal = await db.RiskAreaReleaseProposals.SingleAsync(p => p.RiskAreaId == area.Id, Ct);
        Assert.Equal((tomorrow, RiskAreaLevel.High, RiskAreaLevel.Low, 5, "NHC-9-20"),
            (proposal.ProposedOn, proposal.FromLevel, proposal.ToLevel, proposal.DaysWithoutNewInfection, proposal.PolicyCode));
    }

    private async Task<int> ProposalCountAsync(Guid areaId)
    {
        await using var db = Factory.CreateDbContext();
        return await db.RiskAreaReleaseProposals.CountAsync(p => p.RiskAreaId == areaId, Ct);
    }
}

public sealed class ReleaseTimerTests_Sqlite(SqliteFakeTimeAppFactory f) : ReleaseTimerTests(f), IClassFixture<SqliteFakeTimeAppFactory>;
public sealed class ReleaseTimerTests_Postgres(PostgresFakeTimeAppFactory f) : ReleaseTimerTests(f), IClassFixture<PostgresFakeTimeAppFactory>;
