using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Registry;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Features.FollowUps;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

public abstract class CoverageTests(AppFactory factory) : ApiTestBase(factory)
{
    /// <summary>A committee only this suite fills, so brute-force counts stay small.</summary>
    private const string Committee = "430202005202";
    private static readonly long CommitteeCode = long.Parse(Committee);

    private sealed record Arranged(Guid RoundId, List<Guid> Persons, Guid SampledPerson, Guid RemovedOnly, Guid Exempt, Guid Bedridden, string Barcode);

    /// <summary>Two grids, six households (four in two buildings), 30 people; samples for some, one removed sample, one exemption.</summary>
    private async Task<Arranged> ArrangeAsync()
    {
        var grids = new[] { (await Data.GridAsync(Committee)).Id, (await Data.GridAsync(Committee)).Id };
        var households = new List<Guid>();
        for (var i = 0; i < 6; i++) households.Add(await Data.HouseholdAsync(Committee, grids[i % 2], $"覆盖小区{i + 1}栋-{Guid.NewGuid():N}"[..20]));
        var persons = new List<Guid>();
        Guid bedridden = default;
        for (var i = 0; i < 30; i++)
        {
            var tags = i == 29 ? VulnerabilityTags.Bedridden : VulnerabilityTags.None;
            var (id, _) = await Data.PersonAsync(households[i % 6], name: "王覆盖", phone: "13912345678", tags: tags, relation: RelationToHead.Other);
            persons.Add(id);
            if (i == 29) bedridden = id;
        }
        var response = await Client.PostAsJsonAsync("/api/v1/testing-rounds", new
        {
            name = "覆盖测试轮", startsAt = DateTime.UtcNow.AddHours(-1), endsAt = DateTime.UtcNow.AddHours(20), poolSize = 10, scope = new[] { Committee },
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var roundId = (await response.Content.ReadFromJsonAsync<RoundDetails>(Json, Ct))!.Round.Id;
        var exempt = persons[13];
        var exemptResponse = await Client.PostAsJsonAsync($"/api/v1/testing-rounds/{roundId}/exemptions", new { personId = exempt, reason = "Away" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, exemptResponse.StatusCode);

        var barcode = $"T{Guid.NewGuid():N}"[..16];
        await using (var db = Factory.CreateDbContext())
        {
            var compound = new Compound { CommunityCode = CommitteeCode, Name = $"覆盖小区{Guid.NewGuid():N}"[..12] };
            var buildings = new[]
            {
                new Building { CompoundId = compound.Id, CommunityCode = CommitteeCode, Name = "1栋" },
                new Building { CompoundId = compound.Id, CommunityCode = CommitteeCode, Name = "2栋" },
            };
            db.Compounds.Add(compound);
            db.Buildings.AddRange(buildings);
            await db.SaveChangesAsync(Ct);
            var stored = await db.Households.Where(h => households.Contains(h.Id)).ToListAsync(Ct);
            foreach (var h in stored)
            {
                var index = households.IndexOf(h.Id);
                if (index < 4) { h.CompoundId = compound.Id; h.BuildingId = buildings[index % 2].Id; }
            }
            var site = new SamplingSite { Name = "覆盖采样点", Address = "广场", CommunityCode = CommitteeCode, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
            db.SamplingSites.Add(site);
            var tube = new Tube
            {
                Barcode = barcode, RoundId = roundId, SiteId = site.Id, CommunityCode = CommitteeCode, Capacity = 20, State = TubeState.Sealed,
                Count = 12, OpenedAt = DateTime.UtcNow, OpenedByName = "采样员", Result = TubeResult.Negative, ResultAt = DateTime.UtcNow,
            };
            db.Tubes.Add(tube);
            var people = await db.Persons.Where(p => persons.Contains(p.Id)).ToDictionaryAsync(p => p.Id, Ct);
            Sample SampleOf(Guid personId, bool removed = false) => new()
            {
                Id = Guid.NewGuid(), RoundId = roundId, TubeId = tube.Id, PersonId = personId, CommunityCode = people[personId].CommunityCode,
                GridId = people[personId].GridId, HouseholdId = people[personId].HouseholdId, SampledAt = DateTime.UtcNow, ReceivedAt = DateTime.UtcNow,
                SamplerName = "采样员", RemovedAt = removed ? DateTime.UtcNow : null, Removal = removed ? SampleRemoval.WrongScan : null,
            };
            // 0–11 sampled (person 3 twice: counts once), 12 only a removed sample, 13 exempt and sampled (counts as exempt).
            db.Samples.AddRange(persons.Take(12).Select(p => SampleOf(p)));
            db.Samples.Add(SampleOf(persons[3]));
            db.Samples.Add(SampleOf(persons[12], removed: true));
            db.Samples.Add(SampleOf(exempt));
            await db.SaveChangesAsync(Ct);
        }
        return new Arranged(roundId, persons, persons[0], persons[12], exempt, bedridden, barcode);
    }

    private sealed record Truth(Person Person, Guid? BuildingId, bool Exempt, bool Sampled);

    /// <summary>Every person of the committee with the round's rule written out in memory.</summary>
    private async Task<List<Truth>> BruteForceAsync(Guid roundId)
    {
        await using var db = Factory.CreateDbContext();
        var persons = await db.Persons.Where(p => p.CommunityCode == CommitteeCode).ToListAsync(Ct);
        var households = await db.Households.Where(h => h.CommunityCode == CommitteeCode).ToDictionaryAsync(h => h.Id, Ct);
        var exempt = (await db.RoundExemptions.Where(e => e.RoundId == roundId).Select(e => e.PersonId).ToListAsync(Ct)).ToHashSet();
        var sampled = (await db.Samples.Where(s => s.RoundId == roundId && s.RemovedAt == null).Select(s => s.PersonId).ToListAsync(Ct)).ToHashSet();
        return persons.Select(p => new Truth(p, p.HouseholdId is { } h && households.TryGetValue(h, out var hh) ? hh.BuildingId : null,
            exempt.Contains(p.Id), !exempt.Contains(p.Id) && sampled.Contains(p.Id))).ToList();
    }

    private static void AssertRows(IEnumerable<IGrouping<string?, Truth>> expected, CoverageReport report)
    {
        var want = expected.Select(g => (g.Key, Required: g.Count(t => !t.Exempt), Sampled: g.Count(t => t.Sampled), Exempt: g.Count(t => t.Exempt)))
            .Select(x => (x.Key, x.Required, x.Sampled, x.Exempt, Missing: x.Required - x.Sampled)).OrderBy(x => x.Key).ToList();
        var got = report.Rows.Select(r => (r.Key, r.Required, r.Sampled, r.Exempt, r.Missing)).OrderBy(x => x.Key).ToList();
        Assert.Equal(want, got);
        Assert.Equal((want.Sum(w => w.Required), want.Sum(w => w.Sampled), want.Sum(w => w.Exempt), want.Sum(w => w.Missing)),
            (report.Totals.Required, report.Totals.Sampled, report.Totals.Exempt, report.Totals.Missing));
    }

    private async Task<CoverageReport> CoverageAsync(Guid roundId, string level, string? node = null, HttpClient? client = null)
    {
        var url = $"/api/v1/testing-rounds/{roundId}/coverage?level={level}" + (node is null ? "" : $"&node={node}");
        var response = await (client ?? Client).GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CoverageReport>(Json, Ct))!;
    }

    [Fact]
    public async Task Coverage_at_every_level_equals_a_brute_force_count()
    {
        var arranged = await ArrangeAsync();
        var truth = await BruteForceAsync(arranged.RoundId);
        Assert.Contains(truth, t => t.Person.Id == arranged.Exempt && t.Exempt);
        Assert.Contains(truth, t => t.Person.Id == arranged.RemovedOnly && !t.Sampled);

        var community = await CoverageAsync(arranged.RoundId, "community");
        AssertRows(truth.GroupBy(t => (string?)t.Person.CommunityCode.ToString()), community);
        var row = Assert.Single(community.Rows);
        Assert.False(string.IsNullOrEmpty(row.Name));
        Assert.True(row.Sampled >= 11 && row.Exempt >= 1);

        AssertRows(truth.GroupBy(t => t.Person.GridId?.ToString()), await CoverageAsync(arranged.RoundId, "grid"));
        AssertRows(truth.GroupBy(t => t.BuildingId?.ToString()), await CoverageAsync(arranged.RoundId, "building"));
        var households = await CoverageAsync(arranged.RoundId, "household", Committee);
        AssertRows(truth.GroupBy(t => t.Person.HouseholdId?.ToString()), households);
        Assert.All(households.Rows, r => Assert.False(string.IsNullOrEmpty(r.Name)));

        var grid = truth.First(t => t.Person.Id == arranged.SampledPerson).Person.GridId!.Value;
        AssertRows(truth.Where(t => t.Person.GridId == grid).GroupBy(t => t.Person.HouseholdId?.ToString()),
            await CoverageAsync(arranged.RoundId, "household", grid.ToString()));
    }

    [Fact]
    public async Task Bad_level_or_household_without_a_node_is_400_naming_the_field()
    {
        var arranged = await ArrangeAsync();
        foreach (var (query, field) in new[] { ("level=street", "level"), ("level=household", "level"), ("level=household&node=430202005", "level"), ("level=grid&node=nonsense", "node") })
        {
            var response = await Client.GetAsync($"/api/v1/testing-rounds/{arranged.RoundId}/coverage?{query}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct);
            Assert.Contains(field, problem!.Errors.Keys);
        }
        var missing = await Client.GetAsync($"/api/v1/testing-rounds/{arranged.RoundId}/missing?communityCode=12x", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("communityCode", (await missing.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct))!.Errors.Keys);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/testing-rounds/{Guid.NewGuid()}/coverage", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_missing_list_is_exactly_the_brute_force_missing_set_masked_with_a_door_to_door_hint()
    {
        var arranged = await ArrangeAsync();
        var truth = await BruteForceAsync(arranged.RoundId);
        var expected = truth.Where(t => !t.Exempt && !t.Sampled).Select(t => t.Person.Id).ToHashSet();

        var got = new List<MissingPerson>();
        for (var page = 1; ; page++)
        {
            var paged = (await Client.GetFromJsonAsync<Paged<MissingPerson>>(
                $"/api/v1/testing-rounds/{arranged.RoundId}/missing?communityCode={Committee}&page={page}&pageSize=7", Json, Ct))!;
            Assert.Equal(expected.Count, paged.Total);
            got.AddRange(paged.Items);
            if (paged.Items.Count < 7) break;
        }
        Assert.Equal(expected.OrderBy(x => x), got.Select(m => m.PersonId).OrderBy(x => x));
        Assert.Contains(arranged.RemovedOnly, got.Select(m => m.PersonId));
        Assert.DoesNotContain(arranged.Exempt, got.Select(m => m.PersonId));
        Assert.Equal(got.Select(m => m.Address).Order(StringComparer.Ordinal), got.Select(m => m.Address), StringComparer.Ordinal);
        Assert.All(got, m =>
        {
            Assert.DoesNotContain("王覆盖", m.Name);
            Assert.DoesNotContain("13912345678", m.Phone);
            Assert.False(string.IsNullOrEmpty(m.Address));
        });
        var bedridden = Assert.Single(got, m => m.PersonId == arranged.Bedridden);
        Assert.Equal(MissingReason.DoorToDoor, bedridden.ReasonCode);
        Assert.False(string.IsNullOrEmpty(bedridden.Reason));
        Assert.False(string.IsNullOrEmpty(bedridden.GridName));

        var grid = truth.First(t => t.Person.Id == arranged.RemovedOnly).Person.GridId!.Value;
        var inGrid = (await Client.GetFromJsonAsync<Paged<MissingPerson>>(
            $"/api/v1/testing-rounds/{arranged.RoundId}/missing?gridId={grid}&pageSize=100", Json, Ct))!;
        Assert.Equal(truth.Where(t => !t.Exempt && !t.Sampled && t.Person.GridId == grid).Select(t => t.Person.Id).Order(),
            inGrid.Items.Select(m => m.PersonId).Order());
    }

    [Fact]
    public async Task Someone_under_home_quarantine_is_missing_with_a_door_to_door_hint_and_an_ended_measure_gives_none()
    {
        var arranged = await ArrangeAsync();
        var today = Factory.Get<LocalClock>().Today();
        var quarantined = arranged.Persons[20];
        var released = arranged.Persons[26]; // same household, so same grid
        await Factory.CourseAsync(quarantined, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, today.AddDays(-2), today.AddDays(5)));
        await Factory.CourseAsync(released, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, today.AddDays(-9), today.AddDays(-2)));

        Guid grid;
        await using (var db = Factory.CreateDbContext())
            grid = (await db.Persons.SingleAsync(p => p.Id == quarantined, Ct)).GridId!.Value;
        var missing = (await Client.GetFromJsonAsync<Paged<MissingPerson>>(
            $"/api/v1/testing-rounds/{arranged.RoundId}/missing?gridId={grid}&pageSize=50", Json, Ct))!;
        var item = Assert.Single(missing.Items, m => m.PersonId == quarantined);
        Assert.Equal(MissingReason.HomeQuarantine, item.ReasonCode);
        Assert.False(string.IsNullOrEmpty(item.Reason));
        Assert.Null(Assert.Single(missing.Items, m => m.PersonId == released).ReasonCode);
    }

    [Fact]
    public async Task The_missing_list_exports_as_xlsx_and_an_observer_cannot_export()
    {
        var arranged = await ArrangeAsync();
        var response = await Client.GetAsync($"/api/v1/testing-rounds/{arranged.RoundId}/missing/export?communityCode={Committee}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExcelExport.ContentType, response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(bytes.Length > 100);
        Assert.Equal((byte)'P', bytes[0]);
        Assert.Equal((byte)'K', bytes[1]);
        await using (var db = Factory.CreateDbContext())
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityId == arranged.RoundId.ToString(), Ct));

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.GetAsync($"/api/v1/testing-rounds/{arranged.RoundId}/missing/export", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_sibling_community_worker_sees_neither_the_round_nor_its_people()
    {
        var arranged = await ArrangeAsync();
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/testing-rounds/{arranged.RoundId}/coverage", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/testing-rounds/{arranged.RoundId}/missing", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/persons/{arranged.SampledPerson}/testing-results", Ct)).StatusCode);

        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Committee);
        var own = await CoverageAsync(arranged.RoundId, "community", client: worker);
        Assert.Equal(Committee, Assert.Single(own.Rows).Key);
    }

    [Fact]
    public async Task A_persons_results_list_the_sample_with_its_tube_result()
    {
        var arranged = await ArrangeAsync();
        var results = (await Client.GetFromJsonAsync<List<PersonTestingResult>>($"/api/v1/persons/{arranged.SampledPerson}/testing-results", Json, Ct))!;
        var result = Assert.Single(results);
        Assert.Equal((arranged.RoundId, "覆盖测试轮", arranged.Barcode, TubeResult.Negative), (result.RoundId, result.RoundName, result.TubeBarcode, result.Result));
        Assert.NotNull(result.ResultAt);
        Assert.Empty((await Client.GetFromJsonAsync<List<PersonTestingResult>>($"/api/v1/persons/{arranged.RemovedOnly}/testing-results", Json, Ct))!);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/persons/{Guid.NewGuid()}/testing-results", Ct)).StatusCode);
    }
}

public sealed class CoverageTests_Sqlite(SqliteAppFactory f) : CoverageTests(f), IClassFixture<SqliteAppFactory>;
public sealed class CoverageTests_Postgres(PostgresAppFactory f) : CoverageTests(f), IClassFixture<PostgresAppFactory>;
