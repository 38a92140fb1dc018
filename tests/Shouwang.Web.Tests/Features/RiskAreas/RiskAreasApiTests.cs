using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.RiskAreas;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.RiskAreas;

public abstract class RiskAreasApiTests(AppFactory factory) : ApiTestBase(factory)
{
    /// <summary>第十版 (no risk areas) is in force in this committee of the test street; 二十条 in the sibling; 第九版 in the rest.</summary>
    private const string TenthCommunity = "430202005003";

    private DateOnly Today => Factory.Get<LocalClock>().Today();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Factory.PutInForceAsync(TestData.Street, "NHC-9");
        await Factory.PutInForceAsync(TestData.SiblingCommunity, "NHC-9-20");
        await Factory.PutInForceAsync(TenthCommunity, "NHC-10");
    }

    private static object Building(Guid buildingId, string level = "High", DateOnly? startDay = null, string reason = "楼内发现阳性感染者") =>
        new { scope = "Building", buildingId, level, startDay, reason };

    private async Task<RiskAreaItem> DesignateAsync(Guid buildingId, string level = "High", DateOnly? startDay = null, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/api/v1/risk-areas", Building(buildingId, level, startDay), Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RiskAreaItem>(Json, Ct))!;
    }

    private async Task<RiskAreaDetails> DetailsAsync(Guid id, HttpClient? client = null) =>
        (await (client ?? Client).GetFromJsonAsync<RiskAreaDetails>($"/api/v1/risk-areas/{id}", Json, Ct))!;

    private async Task<HttpResponseMessage> ScreenAsync(Guid id, DateOnly day, int sampled, int positive = 0, int? required = null) =>
        await Client.PostAsJsonAsync($"/api/v1/risk-areas/{id}/screenings", new { day, sampled, positive, required }, Json, Ct);

    private async Task<EvaluationSummary> EvaluateAsync(HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsync("/api/v1/risk-areas/evaluate", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<EvaluationSummary>(Json, Ct))!;
    }

    private async Task<List<RiskAreaReleaseProposal>> ProposalsInDatabaseAsync(Guid areaId)
    {
        await using var db = Factory.CreateDbContext();
        return await db.RiskAreaReleaseProposals.Where(p => p.RiskAreaId == areaId).ToListAsync(Ct);
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct);
        Assert.Contains(field, problem!.Errors.Keys);
        Assert.All(problem.Errors[field], m => Assert.False(string.IsNullOrWhiteSpace(m)));
    }

    private async Task<int> AreaCountAsync()
    {
        await using var db = Factory.CreateDbContext();
        return await db.RiskAreas.CountAsync(Ct);
    }

    [Fact]
    public async Task Designating_a_building_confines_its_residents_and_starts_the_history()
    {
        var place = await Factory.BuildingWithResidentsAsync();
        var area = await DesignateAsync(place.BuildingId);

        Assert.Equal((RiskAreaLevel.High, RiskAreaScope.Building, RiskAreaState.Active, Today), (area.Level, area.Scope, area.State, area.StartDay));
        Assert.Equal(TestData.Community, area.CommunityCode);
        Assert.Equal(1, area.DaysWithoutNewInfection);
        var details = await DetailsAsync(area.Id);
        Assert.Equal(2, details.Residents);
        Assert.Equal(new AreaEffects(true, true, true, true), details.Effects);
        var designated = Assert.Single(details.Events);
        Assert.Equal((RiskAreaEventKind.Designated, (RiskAreaLevel?)RiskAreaLevel.High, "楼内发现阳性感染者"), (designated.Kind, designated.ToLevel, designated.Note));

        // The lookup checkpoints and the status colour use: a resident is confined, someone elsewhere is not.
        await using var db = Factory.CreateDbContext();
        var cover = await RiskAreaCover.ForPersonAsync(db, place.Residents[0], Ct);
        Assert.NotNull(cover);
        Assert.True(cover.DeniesExit);
        Assert.Equal(area.Id, cover.RiskAreaId);
        var elsewhere = await Factory.BuildingWithResidentsAsync(households: 1);
        Assert.Null(await RiskAreaCover.ForPersonAsync(db, elsewhere.Residents[0], Ct));
    }

    [Fact]
    public async Task Designating_a_compound_and_a_whole_community_names_the_place_and_covers_the_people_in_it()
    {
        var place = await Factory.BuildingWithResidentsAsync();
        var data = new TestData(Factory);
        var neighbour = (await data.PersonAsync(await data.HouseholdAsync())).Id;
        var elsewhere = (await data.PersonAsync(await data.HouseholdAsync("430202005004"))).Id;
        var compound = await Client.PostAsJsonAsync("/api/v1/risk-areas", new { scope = "Compound", compoundId = place.CompoundId, level = "Medium", reason = "小区出现病例活动轨迹" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, compound.StatusCode);
        var item = (await compound.Content.ReadFromJsonAsync<RiskAreaItem>(Json, Ct))!;
        Assert.StartsWith("小区", item.Name);
        var details = await DetailsAsync(item.Id);
        Assert.Equal(2, details.Residents);
        Assert.Equal(new AreaEffects(true, false, false, true), details.Effects);

        var community = await Client.PostAsJsonAsync("/api/v1/risk-areas", new { scope = "Community", communityCode = "430202005004", level = "Low", reason = "全域防范" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, community.StatusCode);
        Assert.Equal(RiskAreaScope.Community, (await community.Content.ReadFromJsonAsync<RiskAreaItem>(Json, Ct))!.Scope);

        // Households' buildings and compounds are read only for committees with such an area; both kinds in one call.
        await using var db = Factory.CreateDbContext();
        var covers = await RiskAreaCover.ForPersonsAsync(db, [place.Residents[0], neighbour, elsewhere], Ct);
        Assert.Equal((item.Id, RiskAreaScope.Compound), (covers[place.Residents[0]].RiskAreaId, covers[place.Residents[0]].Scope));
        Assert.NotEqual(item.Id, covers.GetValueOrDefault(neighbour)?.RiskAreaId);
        Assert.Equal(RiskAreaScope.Community, covers[elsewhere].Scope);
    }

    [Fact]
    public async Task Designating_with_bad_input_names_the_field_and_creates_nothing()
    {
        var place = await Factory.BuildingWithResidentsAsync(households: 1);
        var before = await AreaCountAsync();
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/risk-areas", new { level = "High", buildingId = place.BuildingId, reason = "楼内发现阳性" }, Json, Ct), "Scope");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/risk-areas", new { scope = "Building", level = "High", reason = "楼内发现阳性" }, Json, Ct), "BuildingId");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/risk-areas", new { scope = "Building", buildingId = place.BuildingId, reason = "楼内发现阳性" }, Json, Ct), "Level");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/risk-areas", Building(place.BuildingId, reason: "短"), Json, Ct), "Reason");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/risk-areas", Building(place.BuildingId, startDay: Today.AddDays(1)), Json, Ct), "StartDay");
        Assert.Equal(before, await AreaCountAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync("/api/v1/risk-areas", Building(Guid.NewGuid()), Json, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_policy_in_force_decides_which_levels_can_be_designated()
    {
        // 二十条 draws only high (by building) and low: no medium.
        var twenty = await Factory.BuildingWithResidentsAsync(TestData.SiblingCommunity, households: 1);
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/risk-areas", Building(twenty.BuildingId, "Medium"), Json, Ct), "Level");
        Assert.Equal(RiskAreaLevel.High, (await DesignateAsync(twenty.BuildingId, "High")).Level);

        // 第十版 draws none at all.
        var tenth = await Factory.BuildingWithResidentsAsync(TenthCommunity, households: 1);
        var response = await Client.PostAsJsonAsync("/api/v1/risk-areas", Building(tenth.BuildingId, "High"), Json, Ct);
        await AssertInvalidAsync(response, "Level");
    }

    [Fact]
    public async Task A_place_has_one_active_designation_at_a_time()
    {
        var place = await Factory.BuildingWithResidentsAsync(households: 1);
        var area = await DesignateAsync(place.BuildingId);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync("/api/v1/risk-areas", Building(place.BuildingId, "Medium"), Json, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/end", new { reason = "经评估提前解除" }, Json, Ct)).StatusCode);
        Assert.Equal(RiskAreaLevel.Medium, (await DesignateAsync(place.BuildingId, "Medium")).Level);
    }

    [Fact]
    public async Task The_list_filters_by_state_level_and_jurisdiction()
    {
        var place = await Factory.BuildingWithResidentsAsync(households: 1);
        var area = await DesignateAsync(place.BuildingId, "Medium");
        var list = await Client.GetFromJsonAsync<Paged<RiskAreaItem>>($"/api/v1/risk-areas?state=Active&level=Medium&jurisdiction={TestData.Community}&pageSize=200", Json, Ct);
        Assert.Contains(list!.Items, a => a.Id == area.Id);
        Assert.All(list.Items, a => Assert.Equal((RiskAreaState.Active, RiskAreaLevel.Medium, TestData.Community), (a.State, a.Level, a.CommunityCode)));
        var released = await Client.GetFromJsonAsync<Paged<RiskAreaItem>>("/api/v1/risk-areas?state=Released&pageSize=200", Json, Ct);
        Assert.DoesNotContain(released!.Items, a => a.Id == area.Id);
        var elsewhere = await Client.GetFromJsonAsync<Paged<RiskAreaItem>>($"/api/v1/risk-areas?jurisdiction={TestData.SiblingCommunity}&pageSize=200", Json, Ct);
        Assert.DoesNotContain(elsewhere!.Items, a => a.Id == area.Id);
        await AssertInvalidAsync(await Client.GetAsync("/api/v1/risk-areas?jurisdiction=abc", Ct), "Jurisdiction");
    }

    [Fact]
    public async Task The_residents_list_shows_each_residents_flags_with_the_phone_masked()
    {
        var place = await Factory.BuildingWithResidentsAsync(households: 3);
        var area = await DesignateAsync(place.BuildingId);
        var page = await Client.GetFromJsonAsync<Paged<AreaResidentItem>>($"/api/v1/risk-areas/{area.Id}/residents?page=1&pageSize=2", Json, Ct);
        Assert.Equal(3, page!.Total);
        Assert.Equal(2, page.Items.Count);
        Assert.All(page.Items, r =>
        {
            Assert.True(r.DeniesExit && r.DoorToDoorSupply && r.DoorToDoorSampling && r.SingleTubeSampling);
            Assert.Equal("139****5678", r.MaskedPhone);
            Assert.Equal(area.Id, r.CoveringAreaId);
            Assert.Contains(r.Id, place.Residents);
        });
        var second = await Client.GetFromJsonAsync<Paged<AreaResidentItem>>($"/api/v1/risk-areas/{area.Id}/residents?page=2&pageSize=2", Json, Ct);
        Assert.Single(second!.Items);
        Assert.DoesNotContain(second.Items[0].Id, page.Items.Select(i => i.Id));

        // Ended, the designation no longer does anything to them.
        await Client.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/end", new { reason = "经评估提前解除" }, Json, Ct);
        var after = await Client.GetFromJsonAsync<Paged<AreaResidentItem>>($"/api/v1/risk-areas/{area.Id}/residents", Json, Ct);
        Assert.All(after!.Items, r => Assert.False(r.DeniesExit || r.DoorToDoorSupply || r.DoorToDoorSampling || r.SingleTubeSampling));
    }

    [Fact]
    public async Task Evaluation_proposes_on_day_7_with_a_complete_negative_screening_and_not_on_day_6()
    {
        var day7 = await DesignateAsync((await Factory.BuildingWithResidentsAsync()).BuildingId, startDay: Today.AddDays(-6));
        var day6 = await DesignateAsync((await Factory.BuildingWithResidentsAsync()).BuildingId, startDay: Today.AddDays(-5));
        var incomplete = await DesignateAsync((await Factory.BuildingWithResidentsAsync()).BuildingId, startDay: Today.AddDays(-6));
        Assert.Equal(HttpStatusCode.OK, (await ScreenAsync(day7.Id, Today, sampled: 2)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ScreenAsync(day6.Id, Today, sampled: 2)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ScreenAsync(incomplete.Id, Today, sampled: 1)).StatusCode);

        var summary = await EvaluateAsync();
        Assert.Equal(Today, summary.Day);
        Assert.True(summary.Proposed >= 1);

        var proposal = Assert.Single(await ProposalsInDatabaseAsync(day7.Id));
        Assert.Equal((RiskAreaLevel.High, RiskAreaLevel.Medium, 7, Today, 2, 2, 0, "NHC-9"),
            (proposal.FromLevel, proposal.ToLevel, proposal.DaysWithoutNewInfection, proposal.ScreeningDay, proposal.ScreeningRequired, proposal.ScreeningSampled, proposal.ScreeningPositive, proposal.PolicyCode));
        Assert.Empty(await ProposalsInDatabaseAsync(day6.Id));
        Assert.Empty(await ProposalsInDatabaseAsync(incomplete.Id));
        await using (var db = Factory.CreateDbContext())
        {
            var alert = await db.Alerts.SingleAsync(a => a.SubjectId == proposal.Id, Ct);
            Assert.Equal((AlertKind.ReleaseProposed, long.Parse(TestData.Community)), (alert.Kind, alert.CommunityCode));
        }

        // Running again the same day proposes nothing new.
        await EvaluateAsync();
        Assert.Single(await ProposalsInDatabaseAsync(day7.Id));
        var details = await DetailsAsync(day7.Id);
        Assert.Equal(proposal.Id, details.Area.PendingProposalId);
        Assert.Equal([RiskAreaEventKind.Designated, RiskAreaEventKind.ScreeningRecorded, RiskAreaEventKind.ReleaseProposed], details.Events.Select(e => e.Kind));
        var pending = await Client.GetFromJsonAsync<Paged<ProposalItem>>("/api/v1/risk-areas/release-proposals?state=Proposed&pageSize=200", Json, Ct);
        Assert.Contains(pending!.Items, p => p.Id == proposal.Id && p.AreaName == day7.Name);
    }

    [Fact]
    public async Task A_positive_in_the_screening_blocks_the_release()
    {
        var area = await DesignateAsync((await Factory.BuildingWithResidentsAsync()).BuildingId, startDay: Today.AddDays(-6));
        await ScreenAsync(area.Id, Today, sampled: 2, positive: 1);
        await EvaluateAsync();
        Assert.Empty(await ProposalsInDatabaseAsync(area.Id));
    }

    [Fact]
    public async Task Approving_steps_the_area_down_from_today_and_approving_again_at_the_bottom_releases_it()
    {
        var area = await DesignateAsync((await Factory.BuildingWithResidentsAsync()).BuildingId, startDay: Today.AddDays(-6));
        await ScreenAsync(area.Id, Today, sampled: 2);
        await EvaluateAsync();
        var proposal = Assert.Single(await ProposalsInDatabaseAsync(area.Id));

        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        var approved = await command.PostAsJsonAsync($"/api/v1/risk-areas/release-proposals/{proposal.Id}/approve", new { note = "同意降为管控区" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(ReleaseProposalState.Approved, (await approved.Content.ReadFromJsonAsync<ProposalItem>(Json, Ct))!.State);
        var details = await DetailsAsync(area.Id);
        Assert.Equal((RiskAreaLevel.Medium, (RiskAreaLevel?)RiskAreaLevel.High, Today, RiskAreaState.Active), (details.Area.Level, details.Area.DowngradedFrom, details.Area.LevelSince, details.Area.State));
        Assert.Equal(new AreaEffects(true, false, false, true), details.Effects);
        var downgraded = details.Events[^1];
        Assert.Equal((RiskAreaEventKind.Downgraded, (RiskAreaLevel?)RiskAreaLevel.High, (RiskAreaLevel?)RiskAreaLevel.Medium, "同意降为管控区"), (downgraded.Kind, downgraded.FromLevel, downgraded.ToLevel, downgraded.Note));
        Assert.Null(details.Area.PendingProposalId);
        await using (var db = Factory.CreateDbContext())
        {
            Assert.NotNull((await db.Alerts.SingleAsync(a => a.SubjectId == proposal.Id, Ct)).AcknowledgedAt);
        }
        // Decided once only.
        Assert.Equal(HttpStatusCode.Conflict, (await command.PostAsJsonAsync($"/api/v1/risk-areas/release-proposals/{proposal.Id}/approve", new { }, Json, Ct)).StatusCode);

        // A medium area (designated as such) 7 days clear with a negative screening goes to low: released.
        var medium = await DesignateAsync((await Factory.BuildingWithResidentsAsync()).BuildingId, "Medium", Today.AddDays(-6));
        await ScreenAsync(medium.Id, Today, sampled: 2);
        await EvaluateAsync();
        var toLow = Assert.Single(await ProposalsInDatabaseAsync(medium.Id));
        Assert.Equal(RiskAreaLevel.Low, toLow.ToLevel);
        Assert.Equal(HttpStatusCode.OK, (await command.PostAsync($"/api/v1/risk-areas/release-proposals/{toLow.Id}/approve", null, Ct)).StatusCode);
        var released = await DetailsAsync(medium.Id);
        Assert.Equal((RiskAreaState.Released, (DateOnly?)Today, RiskAreaLevel.Low), (released.Area.State, released.Area.EndDay, released.Area.Level));
        Assert.Equal(RiskAreaEventKind.Released, released.Events[^1].Kind);
        Assert.Equal(AreaEffects.None, released.Effects);
    }

    [Fact]
    public async Task Rejecting_needs_a_note_and_leaves_the_level()
    {
        var area = await DesignateAsync((await Factory.BuildingWithResidentsAsync()).BuildingId, startDay: Today.AddDays(-6));
        await ScreenAsync(area.Id, Today, sampled: 2);
        await EvaluateAsync();
        var proposal = Assert.Single(await ProposalsInDatabaseAsync(area.Id));
        await AssertInvalidAsync(await Client.PostAsJsonAsync($"/api/v1/risk-areas/release-proposals/{proposal.Id}/reject", new { note = " " }, Json, Ct), "Note");
        Assert.Equal(ReleaseProposalState.Proposed, Assert.Single(await ProposalsInDatabaseAsync(area.Id)).State);

        var rejected = await Client.PostAsJsonAsync($"/api/v1/risk-areas/release-proposals/{proposal.Id}/reject", new { note = "周边仍有散发病例" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var details = await DetailsAsync(area.Id);
        Assert.Equal(RiskAreaLevel.High, details.Area.Level);
        Assert.Equal((RiskAreaEventKind.ReleaseRejected, "周边仍有散发病例"), (details.Events[^1].Kind, details.Events[^1].Note));
        Assert.Equal(ReleaseProposalState.Rejected, Assert.Single(details.Proposals).State);
        // Not proposed again the same day.
        await EvaluateAsync();
        Assert.Single(await ProposalsInDatabaseAsync(area.Id));
    }

    [Fact]
    public async Task A_new_infection_restarts_the_count_and_withdraws_the_open_proposal()
    {
        var area = await DesignateAsync((await Factory.BuildingWithResidentsAsync()).BuildingId, startDay: Today.AddDays(-6));
        await ScreenAsync(area.Id, Today, sampled: 2);
        await EvaluateAsync();
        Assert.Single(await ProposalsInDatabaseAsync(area.Id));

        await AssertInvalidAsync(await Client.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/infections", new { day = Today.AddDays(1) }, Json, Ct), "Day");
        await AssertInvalidAsync(await Client.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/infections", new { day = Today.AddDays(-7) }, Json, Ct), "Day");
        var recorded = await Client.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/infections", new { day = Today, note = "3单元新增1例" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var item = (await recorded.Content.ReadFromJsonAsync<RiskAreaItem>(Json, Ct))!;
        Assert.Equal((Today, 0, (Guid?)null), (item.LastInfectionDay, item.DaysWithoutNewInfection, item.PendingProposalId));
        Assert.Equal(ReleaseProposalState.Withdrawn, Assert.Single(await ProposalsInDatabaseAsync(area.Id)).State);
        Assert.Equal(RiskAreaEventKind.InfectionRecorded, (await DetailsAsync(area.Id)).Events[^1].Kind);
    }

    [Fact]
    public async Task Screenings_are_validated_default_to_the_residents_and_are_replaced_per_day()
    {
        var area = await DesignateAsync((await Factory.BuildingWithResidentsAsync(households: 3)).BuildingId, startDay: Today.AddDays(-2));
        await AssertInvalidAsync(await ScreenAsync(area.Id, Today, sampled: 4), "Sampled");
        await AssertInvalidAsync(await ScreenAsync(area.Id, Today, sampled: 2, positive: 3), "Positive");
        await AssertInvalidAsync(await ScreenAsync(area.Id, Today, sampled: -1), "Sampled");
        await AssertInvalidAsync(await ScreenAsync(area.Id, Today.AddDays(1), sampled: 1), "Day");
        await AssertInvalidAsync(await ScreenAsync(area.Id, Today.AddDays(-3), sampled: 1), "Day");
        await AssertInvalidAsync(await ScreenAsync(area.Id, Today, sampled: 0, required: 0), "Required");

        var first = await ScreenAsync(area.Id, Today, sampled: 2);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var screening = (await first.Content.ReadFromJsonAsync<ScreeningItem>(Json, Ct))!;
        Assert.Equal((3, 2, 0, false), (screening.Required, screening.Sampled, screening.Positive, screening.AllNegative));
        var again = (await (await ScreenAsync(area.Id, Today, sampled: 3)).Content.ReadFromJsonAsync<ScreeningItem>(Json, Ct))!;
        Assert.Equal((screening.Id, 3, true), (again.Id, again.Sampled, again.AllNegative));
        var details = await DetailsAsync(area.Id);
        Assert.Single(details.Screenings);
        Assert.Equal(2, details.Events.Count(e => e.Kind == RiskAreaEventKind.ScreeningRecorded));
        Assert.Equal(again.Id, details.Area.LatestScreening!.Id);
    }

    [Fact]
    public async Task Ending_needs_a_reason_and_happens_once()
    {
        var area = await DesignateAsync((await Factory.BuildingWithResidentsAsync(households: 1)).BuildingId);
        await AssertInvalidAsync(await Client.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/end", new { reason = "" }, Json, Ct), "Reason");
        Assert.Equal(RiskAreaState.Active, (await DetailsAsync(area.Id)).Area.State);
        var ended = await Client.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/end", new { reason = "经流调排除风险" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal((RiskAreaState.Released, (DateOnly?)Today), ((await ended.Content.ReadFromJsonAsync<RiskAreaItem>(Json, Ct))!.State, (await DetailsAsync(area.Id)).Area.EndDay));
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/end", new { reason = "经流调排除风险" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ScreenAsync(area.Id, Today, sampled: 1)).StatusCode);
    }

    [Fact]
    public async Task The_sibling_community_sees_and_changes_nothing()
    {
        var place = await Factory.BuildingWithResidentsAsync();
        var area = await DesignateAsync(place.BuildingId, startDay: Today.AddDays(-6));
        await ScreenAsync(area.Id, Today, sampled: 2);
        await EvaluateAsync();
        var proposal = Assert.Single(await ProposalsInDatabaseAsync(area.Id));

        using var sibling = await Factory.ClientForAsync(StaffRoles.Admin, TestData.SiblingCommunity);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/risk-areas/{area.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/risk-areas/{area.Id}/residents", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync("/api/v1/risk-areas", Building(place.BuildingId, "Low"), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync("/api/v1/risk-areas", new { scope = "Community", communityCode = TestData.Community, level = "High", reason = "全域封控测试" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/infections", new { day = Today }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/screenings", new { sampled = 1, positive = 0 }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/end", new { reason = "越权解除测试" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/risk-areas/release-proposals/{proposal.Id}/approve", new { }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/risk-areas/release-proposals/{proposal.Id}/reject", new { note = "越权" }, Json, Ct)).StatusCode);
        var list = await sibling.GetFromJsonAsync<Paged<RiskAreaItem>>("/api/v1/risk-areas?pageSize=200", Json, Ct);
        Assert.All(list!.Items, a => Assert.Equal(TestData.SiblingCommunity, a.CommunityCode));
        var proposals = await sibling.GetFromJsonAsync<Paged<ProposalItem>>("/api/v1/risk-areas/release-proposals?pageSize=200", Json, Ct);
        Assert.DoesNotContain(proposals!.Items, p => p.Id == proposal.Id);

        var details = await DetailsAsync(area.Id);
        Assert.Equal((RiskAreaState.Active, RiskAreaLevel.High, (DateOnly?)null), (details.Area.State, details.Area.Level, details.Area.LastInfectionDay));
        Assert.Single(details.Screenings);
        Assert.Equal(ReleaseProposalState.Proposed, Assert.Single(details.Proposals).State);
    }

    [Fact]
    public async Task An_observer_reads_but_cannot_write()
    {
        var place = await Factory.BuildingWithResidentsAsync(households: 1);
        var area = await DesignateAsync(place.BuildingId, startDay: Today.AddDays(-6));
        await ScreenAsync(area.Id, Today, sampled: 1);
        await EvaluateAsync();
        var proposal = Assert.Single(await ProposalsInDatabaseAsync(area.Id));

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync($"/api/v1/risk-areas/{area.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync($"/api/v1/risk-areas/{area.Id}/residents", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync("/api/v1/risk-areas/release-proposals", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync("/api/v1/risk-areas", Building((await Factory.BuildingWithResidentsAsync(households: 1)).BuildingId), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/infections", new { day = Today }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/screenings", new { sampled = 1, positive = 1 }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/risk-areas/{area.Id}/end", new { reason = "观察员不能解除" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsync("/api/v1/risk-areas/evaluate", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/risk-areas/release-proposals/{proposal.Id}/approve", new { }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/risk-areas/release-proposals/{proposal.Id}/reject", new { note = "不同意" }, Json, Ct)).StatusCode);

        var details = await DetailsAsync(area.Id);
        Assert.Equal((RiskAreaState.Active, (DateOnly?)null, 1), (details.Area.State, details.Area.LastInfectionDay, details.Screenings[0].Sampled));
        Assert.Equal(ReleaseProposalState.Proposed, Assert.Single(details.Proposals).State);
    }

    [Fact]
    public async Task The_command_may_run_the_evaluation_a_community_worker_may_not()
    {
        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        await EvaluateAsync(command);
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.PostAsync("/api/v1/risk-areas/evaluate", null, Ct)).StatusCode);
    }
}

public sealed class RiskAreasApiTests_Sqlite(SqliteAppFactory f) : RiskAreasApiTests(f), IClassFixture<SqliteAppFactory>;
public sealed class RiskAreasApiTests_Postgres(PostgresAppFactory f) : RiskAreasApiTests(f), IClassFixture<PostgresAppFactory>;
