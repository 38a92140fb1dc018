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
    private async Task<Arranged> ArrangeAsync(string scope = Committee)
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
            name = "覆盖测试轮", startsAt = DateTime.UtcNow.AddHours(-1), endsAt = DateTime.UtcNow.AddHours(20), poolSize = 10, scope = new[] { scope },
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
    private async Task<List<Truth>> BruteForceAsync(Guid roundId, long committee = 0)
    {
        committee = committee == 0 ? CommitteeCode : committee;
        await using var db = Factory.CreateDbContext();
        var persons = await db.Persons.Where(p => p.CommunityCode == committee).ToListAsync(Ct);
        var households = await db.Households.Where(h => h.CommunityCode == committee).ToDictionaryAsync(h => h.Id, Ct);
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
    public async Task A_street_round_gives_each_of_its_committees_and_grids_its_brute_force_count()
    {
        // A round over the whole street: this suite's committee, and the street's first committee with two people of its own.
        const string first = "430202005001";
        var arranged = await ArrangeAsync(scope: Committee[..9]);
        var grid = await Data.GridAsync(first);
        var household = await Data.HouseholdAsync(first, grid.Id, $"首社区{Guid.NewGuid():N}"[..12]);
        var theirs = new List<Guid>();
        for (var i = 0; i < 2; i++) theirs.Add((await Data.PersonAsync(household, name: "李两半", relation: RelationToHead.Other)).Id);
        // One of them on a grid of this suite's committee: the summary groups by committee and grid, so that grid's row must add up
        // people whose committee disagrees with it into one row.
        await using (var db = Factory.CreateDbContext())
        {
            var sharedGrid = await db.Persons.IgnoreQueryFilters().Where(p => p.Id == arranged.SampledPerson).Select(p => p.GridId).SingleAsync(Ct);
            Assert.Equal(1, await db.Persons.IgnoreQueryFilters().Where(p => p.Id == theirs[0]).ExecuteUpdateAsync(u => u.SetProperty(p => p.GridId, sharedGrid), Ct));
        }
        var truth = await BruteForceAsync(arranged.RoundId);
        var firstTruth = await BruteForceAsync(arranged.RoundId, long.Parse(first));
        (int, int, int, int) Want(IEnumerable<Truth> group)
        {
            var list = group.ToList();
            var required = list.Count(t => !t.Exempt);
            return (required, list.Count(t => t.Sampled), list.Count(t => t.Exempt), required - list.Count(t => t.Sampled));
        }

        var community = await CoverageAsync(arranged.RoundId, "community");
        Assert.True(community.Rows.Count >= 2, "the street has more than this committee");
        Assert.Equal(community.Rows.Count, community.Rows.Select(r => r.Key).Distinct().Count());
        var row = Assert.Single(community.Rows, r => r.Key == Committee);
        Assert.Equal(Want(truth), (row.Required, row.Sampled, row.Exempt, row.Missing));
        var firstRow = Assert.Single(community.Rows, r => r.Key == first);
        Assert.Equal(Want(firstTruth), (firstRow.Required, firstRow.Sampled, firstRow.Exempt, firstRow.Missing));
        Assert.True(firstRow.Required >= 2);
        Assert.Equal(community.Rows.Sum(r => r.Required), community.Totals.Required);

        var grids = await CoverageAsync(arranged.RoundId, "grid");
        Assert.Equal(grids.Rows.Count, grids.Rows.Select(r => r.Key).Distinct().Count());
        foreach (var byGrid in truth.Concat(firstTruth).Where(t => t.Person.GridId is not null).GroupBy(t => t.Person.GridId!.Value))
        {
            var gridRow = Assert.Single(grids.Rows, r => r.Key == byGrid.Key.ToString());
            Assert.Equal(Want(byGrid), (gridRow.Required, gridRow.Sampled, gridRow.Exempt, gridRow.Missing));
        }
        Assert.Equal(community.Totals.Required, grids.Totals.Required);
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
    public async Task A_big_committees_missing_list_pages_in_address_order_across_households_that_share_an_address()
    {
        // 600 households, three to an address, so the list's reading in address order (256 households first, then more) ends inside
        // an address; one or two people each, about a third sampled; one person without a household (no address: listed first).
        const string committee = "430202006230";
        var code = long.Parse(committee);
        var grids = new[] { (await Data.GridAsync(committee)).Id, (await Data.GridAsync(committee)).Id };
        var random = new Random(608);
        var now = DateTime.UtcNow;
        var roundId = await RoundAsync(committee, now.AddHours(-1), "大村分页轮");
        var address = new Dictionary<Guid, string>();
        var persons = new List<Person>();
        await using (var db = Factory.CreateDbContext())
        {
            var households = Enumerable.Range(0, 600).Select(i => new Household
            {
                CommunityCode = code, GridId = grids[random.Next(2)], Address = $"东园村{i / 3:D3}号", CreatedAt = now, UpdatedAt = now,
            }).ToList();
            db.Households.AddRange(households);
            foreach (var h in households)
            {
                address[h.Id] = h.Address;
                for (var k = random.Next(1, 3); k > 0; k--)
                {
                    var person = NewPerson("刘分页");
                    person.MoveTo(h, RelationToHead.Other);
                    persons.Add(person);
                }
            }
            var stray = NewPerson("刘无户");
            stray.CommunityCode = code;
            stray.GridId = grids[0];
            persons.Add(stray);
            db.Persons.AddRange(persons);
            var site = new SamplingSite { Name = "东园采样点", Address = "村口", CommunityCode = code, CreatedAt = now, UpdatedAt = now };
            var tube = new Tube
            {
                Barcode = $"P{Guid.NewGuid():N}"[..16], RoundId = roundId, SiteId = site.Id, CommunityCode = code, Capacity = 20, State = TubeState.Sealed,
                Count = 10, OpenedAt = now, OpenedByName = "采样员",
            };
            db.SamplingSites.Add(site);
            db.Tubes.Add(tube);
            db.Samples.AddRange(persons.Where(_ => random.Next(3) == 0).Select(p => new Sample
            {
                Id = Guid.NewGuid(), RoundId = roundId, TubeId = tube.Id, PersonId = p.Id, CommunityCode = code, GridId = p.GridId, HouseholdId = p.HouseholdId,
                SampledAt = now, ReceivedAt = now, SamplerName = "采样员",
            }));
            await db.SaveChangesAsync(Ct);
        }
        var truth = await BruteForceAsync(roundId, code);
        // The SQL order: no address first, then by address and by id as text (SQLite's upper case and PostgreSQL's uuid order agree).
        var expected = truth.Where(t => !t.Sampled && !t.Exempt).Select(t => t.Person)
            .OrderBy(p => p.HouseholdId is null ? 0 : 1).ThenBy(p => p.HouseholdId is { } h ? address[h] : "", StringComparer.Ordinal)
            .ThenBy(p => p.Id.ToString(), StringComparer.Ordinal).ToList();
        Assert.True(expected.Count > 500, $"{expected.Count} missing");

        async Task<List<Guid>> AllPagesAsync(string filter, int size)
        {
            var got = new List<Guid>();
            for (var page = 1; ; page++)
            {
                var paged = (await Client.GetFromJsonAsync<Paged<MissingPerson>>(
                    $"/api/v1/testing-rounds/{roundId}/missing?{filter}&page={page}&pageSize={size}", Json, Ct))!;
                got.AddRange(paged.Items.Select(m => m.PersonId));
                if (paged.Items.Count < size) return got;
            }
        }
        Assert.Equal(expected.Select(p => p.Id), await AllPagesAsync($"communityCode={committee}", 45));
        Assert.Equal(expected.Where(p => p.GridId == grids[0]).Select(p => p.Id), await AllPagesAsync($"communityCode={committee}&gridId={grids[0]}", 60));
        // Without a committee the list is one sorted query; it agrees.
        Assert.Equal(expected.Select(p => p.Id), await AllPagesAsync("", 100));
        var beyond = (await Client.GetFromJsonAsync<Paged<MissingPerson>>(
            $"/api/v1/testing-rounds/{roundId}/missing?communityCode={committee}&page=40&pageSize=100", Json, Ct))!;
        Assert.Equal((expected.Count, 0), (beyond.Total, beyond.Items.Count));
    }

    private static Person NewPerson(string name)
    {
        // Random ids, not time-ordered ones: one address's people must sort by id across its households.
        var person = new Person { Id = Guid.NewGuid(), DocumentNumber = "", Name = name, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        person.SetDocument(DocumentType.ResidentIdCard, TestData.NewIdNumber());
        return person;
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

    private async Task<Guid> RoundAsync(string committee, DateTime startsAt, string name, bool open = true)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/testing-rounds", new
        {
            name, startsAt, endsAt = startsAt.AddHours(20), poolSize = 10, scope = new[] { committee },
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<RoundDetails>(Json, Ct))!.Round.Id;
        if (open) Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/v1/testing-rounds/{id}/open", null, Ct)).StatusCode);
        return id;
    }

    private sealed record Generated(string Committee, Guid Earliest, Guid Previous, Guid Current, List<Guid> Persons);

    /// <summary>
    /// 240 people over 3 grids, 24 households (18 in 6 buildings) in a committee only this test uses, and three opened rounds over it:
    /// random samples (some removed) and exemptions in the previous and the current round; nobody sampled in the earliest.
    /// </summary>
    private async Task<Generated> GenerateAsync(string committee, int seed)
    {
        var random = new Random(seed);
        var code = long.Parse(committee);
        var grids = new List<Guid>();
        for (var i = 0; i < 3; i++) grids.Add((await Data.GridAsync(committee)).Id);
        var households = new List<Guid>();
        for (var i = 0; i < 24; i++) households.Add(await Data.HouseholdAsync(committee, grids[i % 3], $"生成小区{i + 1}号-{Guid.NewGuid():N}"[..20]));
        var persons = new List<Guid>();
        for (var i = 0; i < 240; i++)
            persons.Add((await Data.PersonAsync(households[random.Next(households.Count)], name: "赵生成", phone: "13700001111",
                tags: random.Next(20) == 0 ? VulnerabilityTags.Bedridden : VulnerabilityTags.None, relation: RelationToHead.Other)).Id);
        var now = DateTime.UtcNow;
        var earliest = await RoundAsync(committee, now.AddHours(-30), "生成最早轮");
        var previous = await RoundAsync(committee, now.AddHours(-10), "生成上一轮");
        var current = await RoundAsync(committee, now.AddHours(-1), "生成本轮");
        await using var db = Factory.CreateDbContext();
        var compound = new Compound { CommunityCode = code, Name = $"生成小区{Guid.NewGuid():N}"[..12] };
        db.Compounds.Add(compound);
        var buildings = Enumerable.Range(1, 6).Select(i => new Building { CompoundId = compound.Id, CommunityCode = code, Name = $"{i}栋" }).ToList();
        db.Buildings.AddRange(buildings);
        await db.SaveChangesAsync(Ct);
        foreach (var h in await db.Households.Where(h => households.Contains(h.Id)).ToListAsync(Ct))
        {
            var index = households.IndexOf(h.Id);
            if (index < 18) { h.CompoundId = compound.Id; h.BuildingId = buildings[index % 6].Id; }
        }
        var site = new SamplingSite { Name = "生成采样点", Address = "村口", CommunityCode = code, CreatedAt = now, UpdatedAt = now };
        db.SamplingSites.Add(site);
        var people = await db.Persons.Where(p => persons.Contains(p.Id)).ToDictionaryAsync(p => p.Id, Ct);
        foreach (var round in new[] { previous, current })
        {
            var tube = new Tube
            {
                Barcode = $"G{Guid.NewGuid():N}"[..16], RoundId = round, SiteId = site.Id, CommunityCode = code, Capacity = 10, State = TubeState.Sealed,
                Count = 10, OpenedAt = now, OpenedByName = "采样员",
            };
            db.Tubes.Add(tube);
            foreach (var person in persons)
            {
                var p = people[person];
                var roll = random.Next(100);
                if (roll < 6)
                    db.RoundExemptions.Add(new RoundExemption { RoundId = round, PersonId = person, CommunityCode = code, GridId = p.GridId, Reason = ExemptionReason.Away, ByName = "测试", At = now });
                if (roll is >= 3 and < 55 || roll >= 90)
                    db.Samples.Add(new Sample
                    {
                        Id = Guid.NewGuid(), RoundId = round, TubeId = tube.Id, PersonId = person, CommunityCode = code, GridId = p.GridId, HouseholdId = p.HouseholdId,
                        SampledAt = now, ReceivedAt = now, SamplerName = "采样员",
                        RemovedAt = roll >= 90 ? now : null, Removal = roll >= 90 ? SampleRemoval.WrongScan : null,
                    });
            }
        }
        await db.SaveChangesAsync(Ct);
        return new Generated(committee, earliest, previous, current, persons);
    }

    private sealed record Truth2(Person Person, Guid? BuildingId, bool Exempt, bool Sampled, bool MissedTwice);

    /// <summary>The rule written out in memory: missing now, and neither exempt from nor sampled in the previous round.</summary>
    private async Task<List<Truth2>> BruteForceTwoRoundsAsync(Generated g)
    {
        var now = await BruteForceAsync(g.Current, long.Parse(g.Committee));
        var before = (await BruteForceAsync(g.Previous, long.Parse(g.Committee))).ToDictionary(t => t.Person.Id);
        return now.Select(t => new Truth2(t.Person, t.BuildingId, t.Exempt, t.Sampled,
            !t.Exempt && !t.Sampled && !before[t.Person.Id].Exempt && !before[t.Person.Id].Sampled)).ToList();
    }

    private static void AssertRows2(IEnumerable<IGrouping<string?, Truth2>> expected, CoverageReport report)
    {
        var want = expected.Select(g => (g.Key, Required: g.Count(t => !t.Exempt), Sampled: g.Count(t => t.Sampled), Exempt: g.Count(t => t.Exempt),
                Twice: g.Count(t => t.MissedTwice)))
            .Select(x => (x.Key, x.Required, x.Sampled, x.Exempt, Missing: x.Required - x.Sampled, x.Twice)).OrderBy(x => x.Key).ToList();
        var got = report.Rows.Select(r => (r.Key, r.Required, r.Sampled, r.Exempt, r.Missing, r.MissedTwice)).OrderBy(x => x.Key).ToList();
        Assert.Equal(want, got);
        Assert.Equal((want.Sum(w => w.Required), want.Sum(w => w.Sampled), want.Sum(w => w.Exempt), want.Sum(w => w.Missing), want.Sum(w => w.Twice)),
            (report.Totals.Required, report.Totals.Sampled, report.Totals.Exempt, report.Totals.Missing, report.Totals.MissedTwice));
    }

    [Fact]
    public async Task Coverage_on_generated_data_equals_a_brute_force_count_at_every_level_with_the_two_rounds_figure()
    {
        var g = await GenerateAsync("430202006229", 606);
        var truth = await BruteForceTwoRoundsAsync(g);
        Assert.Equal(240, truth.Count);
        Assert.True(truth.Count(t => t.MissedTwice) > 5 && truth.Count(t => t.Exempt) > 5 && truth.Count(t => t.Sampled) > 50);

        AssertRows2(truth.GroupBy(t => (string?)t.Person.CommunityCode.ToString()), await CoverageAsync(g.Current, "community"));
        AssertRows2(truth.GroupBy(t => t.Person.GridId?.ToString()), await CoverageAsync(g.Current, "grid"));
        AssertRows2(truth.GroupBy(t => t.BuildingId?.ToString()), await CoverageAsync(g.Current, "building"));
        AssertRows2(truth.GroupBy(t => t.Person.HouseholdId?.ToString()), await CoverageAsync(g.Current, "household", g.Committee));
        foreach (var grid in truth.Select(t => t.Person.GridId!.Value).Distinct())
            AssertRows2(truth.Where(t => t.Person.GridId == grid).GroupBy(t => t.Person.HouseholdId?.ToString()),
                await CoverageAsync(g.Current, "household", grid.ToString()));

        // The previous round's own figure looks one round further back, where nobody was sampled: all its missing missed twice.
        var previous = await CoverageAsync(g.Previous, "community");
        Assert.Equal(previous.Totals.Missing, previous.Totals.MissedTwice);
        Assert.Equal(0, (await CoverageAsync(g.Earliest, "community")).Totals.MissedTwice);
    }

    [Fact]
    public async Task The_two_rounds_filter_lists_exactly_the_brute_force_set_and_flags_the_items()
    {
        var g = await GenerateAsync("430202006225", 607);
        var truth = await BruteForceTwoRoundsAsync(g);
        var twice = truth.Where(t => t.MissedTwice).Select(t => t.Person.Id).Order().ToList();
        var all = (await Client.GetFromJsonAsync<Paged<MissingPerson>>(
            $"/api/v1/testing-rounds/{g.Current}/missing?communityCode={g.Committee}&pageSize=200", Json, Ct))!;
        Assert.Equal(truth.Count(t => !t.Exempt && !t.Sampled), all.Total);
        Assert.Equal(twice, all.Items.Where(m => m.MissedPreviousRound).Select(m => m.PersonId).Order());
        var filtered = (await Client.GetFromJsonAsync<Paged<MissingPerson>>(
            $"/api/v1/testing-rounds/{g.Current}/missing?communityCode={g.Committee}&twoRounds=true&pageSize=200", Json, Ct))!;
        Assert.Equal(twice.Count, filtered.Total);
        Assert.Equal(twice, filtered.Items.Select(m => m.PersonId).Order());
        Assert.All(filtered.Items, m => Assert.True(m.MissedPreviousRound));
        // Exempt from the previous round: missing now, but not twice.
        Assert.Contains(truth, t => !t.Exempt && !t.Sampled && !t.MissedTwice);
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
    public async Task In_a_round_over_two_communities_each_communitys_worker_counts_and_lists_only_its_own_people()
    {
        // 桐梓坪村 (only this test puts people there) beside this suite's committee.
        const string Neighbour = "430202005204";
        var mine = new List<Guid>();
        var theirs = new List<Guid>();
        var myHousehold = await Data.HouseholdAsync(Committee);
        var theirHousehold = await Data.HouseholdAsync(Neighbour);
        for (var i = 0; i < 3; i++) mine.Add((await Data.PersonAsync(myHousehold, name: "周本村", relation: RelationToHead.Other)).Id);
        for (var i = 0; i < 4; i++) theirs.Add((await Data.PersonAsync(theirHousehold, name: "吴邻村", relation: RelationToHead.Other)).Id);
        var created = await Client.PostAsJsonAsync("/api/v1/testing-rounds", new
        {
            name = "两村一轮", startsAt = DateTime.UtcNow.AddHours(-1), endsAt = DateTime.UtcNow.AddHours(20), poolSize = 10, scope = new[] { Committee, Neighbour },
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var roundId = (await created.Content.ReadFromJsonAsync<RoundDetails>(Json, Ct))!.Round.Id;
        // One exempt on each side: the exempt are counted on a second context, which must carry the worker's jurisdiction too.
        foreach (var person in new[] { mine[0], theirs[0] })
            Assert.Equal(HttpStatusCode.Created,
                (await Client.PostAsJsonAsync($"/api/v1/testing-rounds/{roundId}/exemptions", new { personId = person, reason = "Away" }, Json, Ct)).StatusCode);

        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Committee);
        await using var db = Factory.CreateDbContext();
        var myCount = await db.Persons.CountAsync(p => p.CommunityCode == CommitteeCode, Ct);
        var details = (await worker.GetFromJsonAsync<RoundDetails>($"/api/v1/testing-rounds/{roundId}", Json, Ct))!;
        Assert.True(details.Required <= myCount, $"required {details.Required} of {myCount} people living here");
        var worksHere = await CoverageAsync(roundId, "community", client: worker);
        var rows = worksHere.Rows;
        Assert.Equal(Committee, Assert.Single(rows).Key);
        Assert.Equal(1, rows[0].Exempt);
        Assert.Equal(1, worksHere.Totals.Exempt);
        var missing = (await worker.GetFromJsonAsync<Paged<MissingPerson>>($"/api/v1/testing-rounds/{roundId}/missing?pageSize=200", Json, Ct))!;
        Assert.Equal(details.Required, missing.Total);
        Assert.All(missing.Items, m => Assert.Equal(Committee, m.CommunityCode));
        Assert.DoesNotContain(missing.Items, m => theirs.Contains(m.PersonId));
        Assert.Subset(missing.Items.Select(m => m.PersonId).ToHashSet(), mine.Skip(1).ToHashSet());
        Assert.DoesNotContain(missing.Items, m => m.PersonId == mine[0]);

        // The street sees both.
        var street = await CoverageAsync(roundId, "community");
        Assert.Equal([Committee, Neighbour], street.Rows.Select(r => r.Key).Order().ToList());
        Assert.All(street.Rows, r => Assert.Equal(1, r.Exempt));
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
