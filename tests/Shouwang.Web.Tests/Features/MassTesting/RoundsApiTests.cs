using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.People;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Features.RiskAreas;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

public abstract class RoundsApiTests(AppFactory factory) : ApiTestBase(factory)
{
    /// <summary>Committees nobody else in this suite's database fills, so brute-force counts stay small.</summary>
    private const string Committee = "430202005203";
    private const string OtherCommittee = "430202005204";

    private DateOnly Today => Factory.Get<LocalClock>().Today();

    private static object Round(string[] scope, int poolSize = 10, string name = "第1轮全员核酸", DateTime? startsAt = null, DateTime? endsAt = null,
        string[]? types = null, int? infantsUnderYears = 3)
    {
        var starts = startsAt ?? DateTime.UtcNow.AddHours(1);
        return new { name, startsAt = starts, endsAt = endsAt ?? starts.AddHours(24), poolSize, scope, requiredResidenceTypes = types, infantsUnderYears };
    }

    private async Task<RoundDetails> CreateAsync(object round, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/api/v1/testing-rounds", round, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RoundDetails>(Json, Ct))!;
    }

    private async Task<RoundDetails> GetAsync(Guid id, HttpClient? client = null) =>
        (await (client ?? Client).GetFromJsonAsync<RoundDetails>($"/api/v1/testing-rounds/{id}", Json, Ct))!;

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct);
        Assert.Contains(field, problem!.Errors.Keys);
        Assert.All(problem.Errors[field], m => Assert.False(string.IsNullOrWhiteSpace(m)));
    }

    private async Task<Guid> PersonAsync(Guid householdId, ResidenceType type = ResidenceType.Registered, DateOnly? birth = null)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/persons", new
        {
            documentNumber = TestData.NewIdNumber(birth: birth ?? new DateOnly(1980, 5, 1)), name = "李核酸", householdId, residenceType = type,
            relationToHead = "Other",
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<IdOnly>(Json, Ct))!.Id;
    }

    private sealed record IdOnly(Guid Id);

    /// <summary>The rule written out over every person of the committees: in scope, type required, old enough, not exempt.</summary>
    private async Task<(int Required, int Exempt)> BruteForceAsync(Guid roundId, long[] committees, ResidenceType[] types, int? infantsUnderYears)
    {
        await using var db = Factory.CreateDbContext();
        var persons = await db.Persons.Where(p => committees.Contains(p.CommunityCode)).ToListAsync(Ct);
        var exempt = (await db.RoundExemptions.Where(e => e.RoundId == roundId).Select(e => e.PersonId).ToListAsync(Ct)).ToHashSet();
        var candidates = persons.Where(p => types.Contains(p.ResidenceType) && (infantsUnderYears is not { } y || p.AgeOn(Today) is not { } age || age >= y)).ToList();
        return (candidates.Count(p => !exempt.Contains(p.Id)), candidates.Count(p => exempt.Contains(p.Id)));
    }

    [Fact]
    public async Task A_round_is_created_with_scope_names_and_its_required_count_equals_a_brute_force_count()
    {
        var household = await Data.HouseholdAsync(Committee);
        await PersonAsync(household);
        await PersonAsync(household, ResidenceType.Temporary);
        var floating = await PersonAsync(household, ResidenceType.Floating);
        var infant = await PersonAsync(household, birth: Today.AddYears(-1));
        var six = await PersonAsync(household, birth: Today.AddYears(-6));

        var types = new[] { ResidenceType.Registered, ResidenceType.Resident, ResidenceType.Temporary };
        var round = await CreateAsync(Round([Committee], poolSize: 10, types: types.Select(t => t.ToString()).ToArray(), infantsUnderYears: 3));
        Assert.Equal(RoundState.Planned, round.Round.State);
        Assert.Equal(10, round.Round.PoolSize);
        Assert.Equal(types, round.Round.RequiredResidenceTypes);
        var node = Assert.Single(round.Round.Scope);
        Assert.Equal(Committee, node.Code);
        Assert.False(string.IsNullOrEmpty(node.Name));

        var (required, exempt) = await BruteForceAsync(round.Round.Id, [long.Parse(Committee)], types, 3);
        Assert.True(required >= 3);
        Assert.Equal((required, exempt), (round.Required, round.Exempt));

        await using (var db = Factory.CreateDbContext())
        {
            var stored = await db.TestingRoundScopes.SingleAsync(s => s.RoundId == round.Round.Id, Ct);
            Assert.Equal((long.Parse(Committee), long.Parse(Committee)), (stored.Min, stored.Max));
            var ids = await Rounds.Required(db, await db.TestingRounds.SingleAsync(r => r.Id == round.Round.Id, Ct), Today).Select(p => p.Id).ToListAsync(Ct);
            Assert.DoesNotContain(floating, ids);
            Assert.DoesNotContain(infant, ids);
            Assert.Contains(six, ids);
        }

        // All residence types by default and no age limit: the floating resident and the infant count too.
        var everyone = await CreateAsync(Round([Committee], poolSize: 1, infantsUnderYears: null));
        Assert.Equal(Enum.GetValues<ResidenceType>(), everyone.Round.RequiredResidenceTypes);
        Assert.Equal((await BruteForceAsync(everyone.Round.Id, [long.Parse(Committee)], Enum.GetValues<ResidenceType>(), null)).Required, everyone.Required);
        Assert.Equal(round.Required + 2, everyone.Required);

        var list = await Client.GetFromJsonAsync<Paged<RoundItem>>("/api/v1/testing-rounds?pageSize=200", Json, Ct);
        var ids2 = list!.Items.Select(r => r.Id).ToList();
        Assert.True(ids2.IndexOf(everyone.Round.Id) < ids2.IndexOf(round.Round.Id));
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field_and_nothing_is_stored()
    {
        await using var before = Factory.CreateDbContext();
        var count = await before.TestingRounds.CountAsync(Ct);
        var start = DateTime.UtcNow;
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/testing-rounds", Round([Committee], poolSize: 8), Json, Ct), "poolSize");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/testing-rounds", Round([Committee], startsAt: start, endsAt: start.AddHours(-1)), Json, Ct), "endsAt");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/testing-rounds", Round([Committee], startsAt: start, endsAt: start.AddDays(8)), Json, Ct), "endsAt");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/testing-rounds", Round([]), Json, Ct), "scope");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/testing-rounds", Round(["430202999999"]), Json, Ct), "scope");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/testing-rounds", Round(["12ab"]), Json, Ct), "scope");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/testing-rounds", Round([Committee], name: " "), Json, Ct), "name");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/testing-rounds", Round([Committee], infantsUnderYears: 7), Json, Ct), "infantsUnderYears");
        await AssertInvalidAsync(await Client.PostAsJsonAsync("/api/v1/testing-rounds", Round([.. Enumerable.Range(0, 51).Select(i => $"4302020052{i:00}")]), Json, Ct), "scope");

        // A committee worker may only test their own committee.
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        await AssertInvalidAsync(await worker.PostAsJsonAsync("/api/v1/testing-rounds", Round([TestData.SiblingCommunity]), Json, Ct), "scope");
        await AssertInvalidAsync(await worker.PostAsJsonAsync("/api/v1/testing-rounds", Round([TestData.Street]), Json, Ct), "scope");

        await using var after = Factory.CreateDbContext();
        Assert.Equal(count, await after.TestingRounds.CountAsync(Ct));
        Assert.Equal(HttpStatusCode.Created, (await worker.PostAsJsonAsync("/api/v1/testing-rounds", Round([TestData.Community]), Json, Ct)).StatusCode);
    }

    [Fact]
    public async Task People_who_move_into_scope_become_required()
    {
        var inside = await Data.HouseholdAsync(Committee);
        var outside = await Data.HouseholdAsync(OtherCommittee);
        var document = TestData.NewIdNumber(birth: new DateOnly(1990, 1, 1));
        var created = await Client.PostAsJsonAsync("/api/v1/persons", new { documentNumber = document, name = "王搬家", householdId = outside, relationToHead = "Other" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var personId = (await created.Content.ReadFromJsonAsync<IdOnly>(Json, Ct))!.Id;

        var round = await CreateAsync(Round([Committee], infantsUnderYears: null));
        var moved = await Client.PutAsJsonAsync($"/api/v1/persons/{personId}", new { documentNumber = document, name = "王搬家", householdId = inside, relationToHead = "Other" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        var after = await GetAsync(round.Round.Id);
        Assert.Equal(round.Required + 1, after.Required);
        Assert.Equal((await BruteForceAsync(round.Round.Id, [long.Parse(Committee)], Enum.GetValues<ResidenceType>(), null)).Required, after.Required);
    }

    [Fact]
    public async Task An_exemption_is_added_once_listed_masked_and_removed()
    {
        var household = await Data.HouseholdAsync(Committee);
        var personId = await PersonAsync(household);
        var round = await CreateAsync(Round([Committee]));

        var url = $"/api/v1/testing-rounds/{round.Round.Id}/exemptions";
        await AssertInvalidAsync(await Client.PostAsJsonAsync(url, new { personId }, Json, Ct), "reason");
        await AssertInvalidAsync(await Client.PostAsJsonAsync(url, new { personId, reason = "Other" }, Json, Ct), "note");
        var added = await Client.PostAsJsonAsync(url, new { personId, reason = "Away", note = "外出务工" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync(url, new { personId, reason = "Infant" }, Json, Ct)).StatusCode);

        var details = await GetAsync(round.Round.Id);
        Assert.Equal((round.Required - 1, round.Exempt + 1), (details.Required, details.Exempt));
        var list = await Client.GetFromJsonAsync<Paged<ExemptionItem>>(url, Json, Ct);
        var item = Assert.Single(list!.Items, e => e.PersonId == personId);
        Assert.Equal((ExemptionReason.Away, "外出务工"), (item.Reason, item.Note));
        Assert.NotEqual("李核酸", item.Name);
        Assert.Contains("*", item.Name);
        Assert.Contains("*", item.DocumentNumber);

        // Someone outside the round's scope can't be exempted from it.
        var elsewhere = await PersonAsync(await Data.HouseholdAsync(OtherCommittee));
        await AssertInvalidAsync(await Client.PostAsJsonAsync(url, new { personId = elsewhere, reason = "Away" }, Json, Ct), "personId");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync(url, new { personId = Guid.NewGuid(), reason = "Away" }, Json, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"{url}/{personId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"{url}/{personId}", Ct)).StatusCode);
        Assert.Equal((round.Required, round.Exempt), ((await GetAsync(round.Round.Id)).Required, (await GetAsync(round.Round.Id)).Exempt));
    }

    [Fact]
    public async Task A_round_is_edited_opened_and_closed_and_a_closed_round_is_not_edited()
    {
        var round = await CreateAsync(Round([Committee]));
        var edited = await Client.PutAsJsonAsync($"/api/v1/testing-rounds/{round.Round.Id}", Round([Committee, OtherCommittee], poolSize: 20, name: "第2轮"), Json, Ct);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var details = (await edited.Content.ReadFromJsonAsync<RoundDetails>(Json, Ct))!;
        Assert.Equal(("第2轮", 20, 2), (details.Round.Name, details.Round.PoolSize, details.Round.Scope.Count));
        await AssertInvalidAsync(await Client.PutAsJsonAsync($"/api/v1/testing-rounds/{round.Round.Id}", Round([Committee], poolSize: 3), Json, Ct), "poolSize");

        Assert.Equal(RoundState.Open, (await (await Client.PostAsync($"/api/v1/testing-rounds/{round.Round.Id}/open", null, Ct)).Content.ReadFromJsonAsync<RoundDetails>(Json, Ct))!.Round.State);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsync($"/api/v1/testing-rounds/{round.Round.Id}/open", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/v1/testing-rounds/{round.Round.Id}/close", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PutAsJsonAsync($"/api/v1/testing-rounds/{round.Round.Id}", Round([Committee]), Json, Ct)).StatusCode);
        Assert.Equal(RoundState.Closed, (await GetAsync(round.Round.Id)).Round.State);
    }

    [Fact]
    public async Task A_sibling_committee_sees_nothing_of_a_round_of_another_committee()
    {
        var household = await Data.HouseholdAsync(Committee);
        var personId = await PersonAsync(household);
        var round = await CreateAsync(Round([Committee]));
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);

        var list = await sibling.GetFromJsonAsync<Paged<RoundItem>>("/api/v1/testing-rounds?pageSize=200", Json, Ct);
        Assert.DoesNotContain(list!.Items, r => r.Id == round.Round.Id);
        var id = round.Round.Id;
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/testing-rounds/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/testing-rounds/{id}/exemptions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/testing-rounds/{id}/recent-positive-rate", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/testing-rounds/pooling?positiveRate=0.01&roundId={id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/testing-rounds/{id}/exemptions", new { personId, reason = "Away" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PutAsJsonAsync($"/api/v1/testing-rounds/{id}", Round([TestData.SiblingCommunity]), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsync($"/api/v1/testing-rounds/{id}/close", null, Ct)).StatusCode);
        Assert.Equal(RoundState.Planned, (await GetAsync(id)).Round.State);

        // A committee worker inside one node of a two-committee round sees it but may not change it for the other.
        var wide = await CreateAsync(Round([TestData.Community, TestData.SiblingCommunity]));
        var seen = await sibling.GetFromJsonAsync<RoundDetails>($"/api/v1/testing-rounds/{wide.Round.Id}", Json, Ct);
        Assert.NotNull(seen);
        Assert.Equal(HttpStatusCode.Forbidden, (await sibling.PostAsync($"/api/v1/testing-rounds/{wide.Round.Id}/open", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task An_observer_cannot_create_or_change_rounds()
    {
        var round = await CreateAsync(Round([Committee]));
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync("/api/v1/testing-rounds", Round([Committee]), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PutAsJsonAsync($"/api/v1/testing-rounds/{round.Round.Id}", Round([Committee]), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsync($"/api/v1/testing-rounds/{round.Round.Id}/open", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/testing-rounds/{round.Round.Id}/exemptions", new { personId = Guid.NewGuid(), reason = "Away" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.DeleteAsync($"/api/v1/testing-rounds/{round.Round.Id}/exemptions/{Guid.NewGuid()}", Ct)).StatusCode);
        Assert.Equal(RoundState.Planned, (await GetAsync(round.Round.Id)).Round.State);
    }

    [Fact]
    public async Task Residents_of_a_lockdown_building_are_counted_for_single_tubes()
    {
        await Factory.PutInForceAsync(OtherCommittee, "NHC-9");
        var place = await Factory.BuildingWithResidentsAsync(OtherCommittee, households: 3);
        var round = await CreateAsync(Round([OtherCommittee], infantsUnderYears: null));
        Assert.Equal(0, round.SingleTube);
        var designated = await Client.PostAsJsonAsync("/api/v1/risk-areas",
            new { scope = "Building", buildingId = place.BuildingId, level = "High", reason = "楼内发现阳性感染者" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, designated.StatusCode);
        var details = await GetAsync(round.Round.Id);
        Assert.Equal(place.Residents.Count, details.SingleTube);

        // An exempted resident is not sampled at all, so not in a single tube either.
        var exempted = await Client.PostAsJsonAsync($"/api/v1/testing-rounds/{round.Round.Id}/exemptions", new { personId = place.Residents[0], reason = "RecentlyPositive" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, exempted.StatusCode);
        Assert.Equal(place.Residents.Count - 1, (await GetAsync(round.Round.Id)).SingleTube);
    }

    [Fact]
    public async Task The_pooling_advisor_gives_the_Dorfman_figures_and_tubes_for_a_round()
    {
        foreach (var rate in new[] { 0.0, 0.001, 0.01, 0.05, 0.2, 1.0 })
        {
            var advice = await Client.GetFromJsonAsync<PoolingAdvice>(FormattableString.Invariant($"/api/v1/testing-rounds/pooling?positiveRate={rate}"), Json, Ct);
            var expected = Pooling.Advise(rate);
            Assert.Equal(expected.Select(o => (o.Size, Math.Round(o.TestsPerPerson, 3), o.Recommended)), advice!.Options.Select(o => (o.Size, o.TestsPerPerson, o.Recommended)));
            Assert.Equal(Pooling.OptimalSize(rate), advice.OptimalSize);
            Assert.All(advice.Options, o => Assert.Null(o.Tubes));
        }
        var tenFold = await Client.GetFromJsonAsync<PoolingAdvice>("/api/v1/testing-rounds/pooling?positiveRate=0.01", Json, Ct);
        Assert.Equal(10, Assert.Single(tenFold!.Options, o => o.Recommended).Size);

        var household = await Data.HouseholdAsync(Committee);
        await PersonAsync(household);
        var round = await CreateAsync(Round([Committee]));
        var withRound = await Client.GetFromJsonAsync<PoolingAdvice>($"/api/v1/testing-rounds/pooling?positiveRate=0.01&roundId={round.Round.Id}", Json, Ct);
        Assert.Equal(round.Required, withRound!.Required);
        Assert.Equal(new[] { 1, 5, 10, 20 }.Select(k => (int?)Pooling.TubesFor(round.Required, k)), withRound.Options.Select(o => o.Tubes));

        await AssertInvalidAsync(await Client.GetAsync("/api/v1/testing-rounds/pooling?positiveRate=1.5", Ct), "positiveRate");
        await AssertInvalidAsync(await Client.GetAsync("/api/v1/testing-rounds/pooling?positiveRate=-0.1", Ct), "positiveRate");
        await AssertInvalidAsync(await Client.GetAsync("/api/v1/testing-rounds/pooling?positiveRate=abc", Ct), "positiveRate");
        await AssertInvalidAsync(await Client.GetAsync("/api/v1/testing-rounds/pooling", Ct), "positiveRate");

        var recent = await Client.GetFromJsonAsync<PositiveRate>($"/api/v1/testing-rounds/{round.Round.Id}/recent-positive-rate", Json, Ct);
        Assert.Equal((0.0, 0, 0), (recent!.Rate, recent.Sampled, recent.Positive));
    }
}

public sealed class RoundsApiTests_Sqlite(SqliteAppFactory f) : RoundsApiTests(f), IClassFixture<SqliteAppFactory>;
public sealed class RoundsApiTests_Postgres(PostgresAppFactory f) : RoundsApiTests(f), IClassFixture<PostgresAppFactory>;
