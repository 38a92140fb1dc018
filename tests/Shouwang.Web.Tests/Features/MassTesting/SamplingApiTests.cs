using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Registry;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Features.FollowUps;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

public abstract class SamplingApiTests(AppFactory factory) : ApiTestBase(factory)
{
    /// <summary>新市村委会: only this suite samples here.</summary>
    private const string Committee = "430202005205";
    private const string Elsewhere = "430202005204";

    private sealed record Arranged(Guid RoundId, Guid SiteId, StaffAccount Sampler, HttpClient Client, Guid HouseholdId);

    private readonly List<HttpClient> _clients = [];

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>An open round over the committee, a site there and a sampler assigned to it, signed in.</summary>
    private async Task<Arranged> ArrangeAsync(int poolSize = 10)
    {
        var roundId = await OpenRoundAsync(poolSize);
        using (var site = await Client.PostAsJsonAsync("/api/v1/sampling-sites", new { name = $"采样点{Guid.NewGuid():N}"[..10], address = "村部广场", communityCode = Committee }, Json, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, site.StatusCode);
            var siteId = (await site.Content.ReadFromJsonAsync<SamplingSiteItem>(Json, Ct))!.Id;
            var sampler = await Factory.CreateAccountAsync(StaffRoles.Sampler, Committee);
            using var assign = await Client.PostAsJsonAsync($"/api/v1/sampling-sites/{siteId}/samplers", new { accountId = sampler.Id }, Json, Ct);
            Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
            var client = await Factory.ClientForAsync(sampler);
            _clients.Add(client);
            return new Arranged(roundId, siteId, sampler, client, await Data.HouseholdAsync(Committee));
        }
    }

    private async Task<Guid> OpenRoundAsync(int poolSize = 10)
    {
        using var created = await Client.PostAsJsonAsync("/api/v1/testing-rounds", new
        {
            name = "采样测试轮", startsAt = DateTime.UtcNow.AddHours(-1), endsAt = DateTime.UtcNow.AddHours(20), poolSize, scope = new[] { Committee },
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var roundId = (await created.Content.ReadFromJsonAsync<RoundDetails>(Json, Ct))!.Round.Id;
        using var open = await Client.PostAsync($"/api/v1/testing-rounds/{roundId}/open", null, Ct);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        return roundId;
    }

    private static string NewBarcode() => $"T{Guid.NewGuid():N}"[..14];

    private async Task<HttpResponseMessage> OpenTubeAsync(Arranged a, string barcode, bool single = false, HttpClient? client = null, Guid? roundId = null) =>
        await (client ?? a.Client).PostAsJsonAsync("/api/v1/sampling/tubes", new { roundId = roundId ?? a.RoundId, siteId = a.SiteId, barcode, single }, Json, Ct);

    private async Task<TubeView> TubeAsync(Arranged a, bool single = false)
    {
        using var response = await OpenTubeAsync(a, NewBarcode(), single);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TubeView>(Json, Ct))!;
    }

    private async Task<(Guid Id, string Document)> PersonAsync(Guid householdId, string name = "刘采样") =>
        await Data.PersonAsync(householdId, name: name, relation: RelationToHead.Other);

    private static object Row(string barcode, string input, Guid? id = null) =>
        new { id = id ?? Guid.NewGuid(), tubeBarcode = barcode, input, at = DateTimeOffset.UtcNow.AddMinutes(-1), offline = false };

    private async Task<HttpResponseMessage> PostSamplesAsync(HttpClient client, params object[] rows) =>
        await client.PostAsJsonAsync("/api/v1/sampling/samples", new { samples = rows }, Json, Ct);

    private async Task<List<SampleResult>> SampleAsync(Arranged a, params object[] rows)
    {
        using var response = await PostSamplesAsync(a.Client, rows);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<SamplesResult>(Json, Ct))!.Results.ToList();
    }

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
    }

    private async Task<int> SampledAsync(Guid roundId)
    {
        var report = await Client.GetFromJsonAsync<CoverageReport>($"/api/v1/testing-rounds/{roundId}/coverage?level=community&node={Committee}", Json, Ct);
        return report!.Totals.Sampled;
    }

    [Fact]
    public async Task Opening_a_tube_twice_is_the_same_tube_and_its_barcode_in_another_round_is_a_conflict()
    {
        var a = await ArrangeAsync();
        var barcode = NewBarcode();
        TubeView first;
        using (var created = await OpenTubeAsync(a, barcode))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            first = (await created.Content.ReadFromJsonAsync<TubeView>(Json, Ct))!;
            Assert.Equal((barcode, 10, TubeState.Open, 0, a.RoundId, a.SiteId), (first.Barcode, first.Capacity, first.State, first.Count, first.RoundId, first.SiteId));
        }
        using (var again = await OpenTubeAsync(a, barcode))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(first.Id, (await again.Content.ReadFromJsonAsync<TubeView>(Json, Ct))!.Id);
        }
        var other = await OpenRoundAsync();
        using (var conflict = await OpenTubeAsync(a, barcode, roundId: other)) Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        using (var single = await OpenTubeAsync(a, NewBarcode(), single: true))
            Assert.Equal(1, (await single.Content.ReadFromJsonAsync<TubeView>(Json, Ct))!.Capacity);
        using (var bad = await a.Client.PostAsJsonAsync("/api/v1/sampling/tubes", new { siteId = a.SiteId, barcode = " " }, Json, Ct))
        {
            var errors = await ErrorsAsync(bad);
            Assert.True(errors.TryGetProperty("barcode", out _));
            Assert.True(errors.TryGetProperty("roundId", out _));
        }
        var got = await a.Client.GetFromJsonAsync<TubeView>($"/api/v1/sampling/tubes/{barcode}", Json, Ct);
        Assert.Equal(first.Id, got!.Id);
        await using var db = Factory.CreateDbContext();
        Assert.Equal(1, await db.Tubes.CountAsync(t => t.Barcode == barcode, Ct));
        Assert.Equal(a.Sampler.Id, (await db.Tubes.SingleAsync(t => t.Barcode == barcode, Ct)).OpenedBy);
    }

    [Fact]
    public async Task Ten_samples_fill_and_seal_a_pool_of_ten_a_resent_id_counts_once_and_the_eleventh_is_refused()
    {
        var a = await ArrangeAsync();
        var tube = await TubeAsync(a);
        var people = new List<(Guid Id, string Document)>();
        for (var i = 0; i < 11; i++) people.Add(await PersonAsync(a.HouseholdId));
        var firstId = Guid.NewGuid();
        var first = (await SampleAsync(a, Row(tube.Barcode, people[0].Document, firstId))).Single();
        Assert.Equal((false, people[0].Id, 1, 10, false), (first.Duplicate, first.PersonId, first.TubeCount, first.TubeCapacity, first.TubeSealed));
        Assert.Contains("*", first.Name);
        var resent = (await SampleAsync(a, Row(tube.Barcode, people[0].Document, firstId))).Single();
        Assert.Equal((true, 1), (resent.Duplicate, resent.TubeCount));
        Assert.Empty(resent.Warnings);

        var results = await SampleAsync(a, people.Skip(1).Take(9).Select(p => Row(tube.Barcode, p.Document)).ToArray());
        Assert.Equal(10, results[^1].TubeCount);
        Assert.True(results[^1].TubeSealed);
        Assert.All(results, r => Assert.DoesNotContain(r.Warnings, w => w.Code == SampleWarning.AlreadySampled));

        using (var eleventh = await PostSamplesAsync(a.Client, Row(tube.Barcode, people[10].Document)))
            Assert.True((await ErrorsAsync(eleventh)).TryGetProperty("Samples[0].TubeBarcode", out _));
        var view = await a.Client.GetFromJsonAsync<TubeView>($"/api/v1/sampling/tubes/{tube.Barcode}", Json, Ct);
        Assert.Equal((TubeState.Sealed, 10, 10), (view!.State, view.Count, view.Members.Count));
        await using var db = Factory.CreateDbContext();
        Assert.Equal(10, await db.Samples.CountAsync(s => s.TubeId == tube.Id, Ct));
        var stored = await db.Samples.SingleAsync(s => s.Id == firstId, Ct);
        Assert.Equal((long.Parse(Committee), a.HouseholdId, a.Sampler.Id), (stored.CommunityCode, stored.HouseholdId, stored.SamplerId));
        Assert.Equal(10, await SampledAsync(a.RoundId));
    }

    [Fact]
    public async Task Warnings_say_already_sampled_out_of_scope_exempt_under_measure_and_single_tube_but_keep_the_sample()
    {
        var a = await ArrangeAsync(poolSize: 20);
        var tube = await TubeAsync(a);
        var plain = await PersonAsync(a.HouseholdId);
        var outside = await PersonAsync(await Data.HouseholdAsync(Elsewhere));
        var exempt = await PersonAsync(a.HouseholdId);
        var quarantined = await PersonAsync(a.HouseholdId);
        var areaHousehold = await Data.HouseholdAsync(Committee);
        var inArea = await PersonAsync(areaHousehold);
        using (var exemption = await Client.PostAsJsonAsync($"/api/v1/testing-rounds/{a.RoundId}/exemptions", new { personId = exempt.Id, reason = "Away" }, Json, Ct))
            Assert.Equal(HttpStatusCode.Created, exemption.StatusCode);
        var today = Factory.Get<LocalClock>().Today();
        await Factory.CourseAsync(quarantined.Id, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, today.AddDays(-2), today.AddDays(5)));
        await using (var db = Factory.CreateDbContext())
        {
            var code = long.Parse(Committee);
            var compound = new Compound { CommunityCode = code, Name = $"封控小区{Guid.NewGuid():N}"[..12] };
            var building = new Building { CompoundId = compound.Id, CommunityCode = code, Name = "9栋" };
            db.Compounds.Add(compound);
            db.Buildings.Add(building);
            await db.SaveChangesAsync(Ct);
            var household = await db.Households.SingleAsync(h => h.Id == areaHousehold, Ct);
            household.CompoundId = compound.Id;
            household.BuildingId = building.Id;
            db.RiskAreas.Add(new RiskArea
            {
                CommunityCode = code, Scope = RiskAreaScope.Building, CompoundId = compound.Id, BuildingId = building.Id, Name = "9栋", Level = RiskAreaLevel.Medium,
                StartDay = today, LevelSince = today, Reason = "测试", State = RiskAreaState.Active, CreatedByName = "test", CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }

        var results = await SampleAsync(a,
            Row(tube.Barcode, plain.Document), Row(tube.Barcode, outside.Document), Row(tube.Barcode, exempt.Document),
            Row(tube.Barcode, quarantined.Document), Row(tube.Barcode, inArea.Document), Row(tube.Barcode, plain.Document));
        SampleWarning[] Codes(int i) => results[i].Warnings.Select(w => w.Code).Order().ToArray();
        Assert.Empty(Codes(0));
        Assert.Equal([SampleWarning.OutOfScope], Codes(1));
        Assert.Equal([SampleWarning.Exempt], Codes(2));
        Assert.Equal([SampleWarning.UnderMeasure, SampleWarning.SingleTubeRequired], Codes(3));
        Assert.Equal([SampleWarning.SingleTubeRequired], Codes(4));
        Assert.Equal([SampleWarning.AlreadySampled], Codes(5));
        Assert.All(results.SelectMany(r => r.Warnings), w => Assert.False(string.IsNullOrWhiteSpace(w.Label)));
        Assert.Equal(6, results[^1].TubeCount);
        await using var check = Factory.CreateDbContext();
        // Counted where they live: the person from the other committee carries that committee.
        Assert.Equal(long.Parse(Elsewhere), (await check.Samples.SingleAsync(s => s.Id == results[1].Id, Ct)).CommunityCode);

        // In a single tube, nobody needs one.
        var single = await TubeAsync(a, single: true);
        var alone = (await SampleAsync(a, Row(single.Barcode, inArea.Document))).Single();
        Assert.Equal([SampleWarning.AlreadySampled], alone.Warnings.Select(w => w.Code).ToArray());
    }

    [Fact]
    public async Task A_resent_sample_warns_already_sampled_only_when_another_live_sample_of_that_person_exists()
    {
        var a = await ArrangeAsync();
        var tube = await TubeAsync(a);
        var person = await PersonAsync(a.HouseholdId);
        var firstId = Guid.NewGuid();
        var first = (await SampleAsync(a, Row(tube.Barcode, person.Document, firstId))).Single();
        Assert.Empty(first.Warnings);
        // Its own stored sample is not "another".
        var resent = (await SampleAsync(a, Row(tube.Barcode, person.Document, firstId))).Single();
        Assert.Equal((true, 0), (resent.Duplicate, resent.Warnings.Count));

        // Sampled again (a second swab): both that scan and a later resend of the first now warn.
        var second = (await SampleAsync(a, Row(tube.Barcode, person.Document))).Single();
        Assert.Equal([SampleWarning.AlreadySampled], second.Warnings.Select(w => w.Code).ToArray());
        var resentAgain = (await SampleAsync(a, Row(tube.Barcode, person.Document, firstId))).Single();
        Assert.True(resentAgain.Duplicate);
        Assert.Equal([SampleWarning.AlreadySampled], resentAgain.Warnings.Select(w => w.Code).ToArray());

        // The second swab removed as a wrong scan: the first is alone again, and its resend no longer warns.
        using (var removed = await a.Client.PostAsJsonAsync($"/api/v1/sampling/samples/{second.Id}/remove", new { reason = "重复" }, Json, Ct))
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Empty((await SampleAsync(a, Row(tube.Barcode, person.Document, firstId))).Single().Warnings);
        // A resend of the removed one: the first is a live sample other than it.
        var removedResent = (await SampleAsync(a, Row(tube.Barcode, person.Document, second.Id))).Single();
        Assert.True(removedResent.Duplicate);
        Assert.Equal([SampleWarning.AlreadySampled], removedResent.Warnings.Select(w => w.Code).ToArray());
        Assert.Equal(1, await SampledAsync(a.RoundId));
    }

    [Fact]
    public async Task Removing_and_moving_record_who_did_it_and_coverage_follows()
    {
        var a = await ArrangeAsync();
        var from = await TubeAsync(a);
        var to = await TubeAsync(a);
        var people = new List<(Guid Id, string Document)>();
        for (var i = 0; i < 3; i++) people.Add(await PersonAsync(a.HouseholdId));
        var samples = await SampleAsync(a, people.Select(p => Row(from.Barcode, p.Document)).ToArray());
        Assert.Equal(3, await SampledAsync(a.RoundId));

        using (var removed = await a.Client.PostAsJsonAsync($"/api/v1/sampling/samples/{samples[0].Id}/remove", new { reason = "扫错了" }, Json, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            var view = (await removed.Content.ReadFromJsonAsync<TubeView>(Json, Ct))!;
            Assert.Equal(2, view.Count);
            Assert.DoesNotContain(view.Members, m => m.SampleId == samples[0].Id);
        }
        using (var again = await a.Client.PostAsJsonAsync($"/api/v1/sampling/samples/{samples[0].Id}/remove", new { }, Json, Ct))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(2, await SampledAsync(a.RoundId));

        using (var moved = await a.Client.PostAsJsonAsync($"/api/v1/sampling/samples/{samples[1].Id}/move", new { toTubeBarcode = to.Barcode }, Json, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
            var both = (await moved.Content.ReadFromJsonAsync<SampleMoved>(Json, Ct))!;
            Assert.Equal((1, 1), (both.From.Count, both.To.Count));
            Assert.Equal(people[1].Id, both.To.Members.Single().PersonId);
        }
        using (var bad = await a.Client.PostAsJsonAsync($"/api/v1/sampling/samples/{samples[2].Id}/move", new { toTubeBarcode = "NOPE-1" }, Json, Ct))
            Assert.True((await ErrorsAsync(bad)).TryGetProperty("toTubeBarcode", out _));
        Assert.Equal(2, await SampledAsync(a.RoundId));

        await using (var db = Factory.CreateDbContext())
        {
            var wrong = await db.Samples.SingleAsync(s => s.Id == samples[0].Id, Ct);
            Assert.Equal((SampleRemoval.WrongScan, a.Sampler.Id, a.Sampler.DisplayName), (wrong.Removal, wrong.RemovedBy, wrong.RemovedByName));
            Assert.NotNull(wrong.RemovedAt);
            var old = await db.Samples.SingleAsync(s => s.Id == samples[1].Id, Ct);
            Assert.Equal((SampleRemoval.Moved, to.Id, a.Sampler.Id), (old.Removal, old.MovedToTubeId, old.RemovedBy));
            var moved = await db.Samples.SingleAsync(s => s.TubeId == to.Id && s.RemovedAt == null, Ct);
            Assert.Equal((people[1].Id, old.SampledAt), (moved.PersonId, moved.SampledAt));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.EntityType == "Sample" && e.EntityId == samples[0].Id.ToString() && e.AccountId == a.Sampler.Id, Ct));
        }

        // A tube that sealed itself at capacity opens again when someone is taken out.
        var single = await TubeAsync(a, single: true);
        var one = (await SampleAsync(a, Row(single.Barcode, people[0].Document))).Single();
        Assert.True(one.TubeSealed);
        using (var reopened = await a.Client.PostAsJsonAsync($"/api/v1/sampling/samples/{one.Id}/remove", new { }, Json, Ct))
        {
            var view = (await reopened.Content.ReadFromJsonAsync<TubeView>(Json, Ct))!;
            Assert.Equal((TubeState.Open, 0), (view.State, view.Count));
        }

        var session = await a.Client.GetFromJsonAsync<SiteSessionView>($"/api/v1/sampling/sites/{a.SiteId}/rounds/{a.RoundId}", Json, Ct);
        Assert.Equal(2, session!.Samples);
        Assert.Contains(session.OpenTubes, t => t.Id == to.Id && t.Members.Count == 1);
        Assert.Contains(session.OpenTubes, t => t.Id == single.Id);
    }

    [Fact]
    public async Task Boxes_take_only_sealed_tubes_and_the_lab_count_is_reconciled()
    {
        var a = await ArrangeAsync();
        var person = await PersonAsync(a.HouseholdId);
        var sealedTubes = new List<TubeView>();
        for (var i = 0; i < 2; i++)
        {
            var tube = await TubeAsync(a, single: true);
            await SampleAsync(a, Row(tube.Barcode, person.Document));
            sealedTubes.Add(tube);
        }
        var open = await TubeAsync(a);
        var number = $"BOX{Guid.NewGuid():N}"[..12];
        using (var created = await a.Client.PostAsJsonAsync("/api/v1/sampling/boxes", new { roundId = a.RoundId, siteId = a.SiteId, number }, Json, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(BoxState.Packing, (await created.Content.ReadFromJsonAsync<BoxView>(Json, Ct))!.State);
        }
        using (var notSealed = await a.Client.PostAsJsonAsync($"/api/v1/sampling/boxes/{number}/tubes", new { barcodes = new[] { sealedTubes[0].Barcode, open.Barcode } }, Json, Ct))
            Assert.True((await ErrorsAsync(notSealed)).TryGetProperty("barcodes[1]", out _));
        using (var empty = await a.Client.PostAsJsonAsync($"/api/v1/sampling/boxes/{number}/hand-over", new { lab = "金域检验" }, Json, Ct))
            Assert.Equal(HttpStatusCode.Conflict, empty.StatusCode);
        using (var packed = await a.Client.PostAsJsonAsync($"/api/v1/sampling/boxes/{number}/tubes", new { barcodes = sealedTubes.Select(t => t.Barcode) }, Json, Ct))
        {
            var box = (await packed.Content.ReadFromJsonAsync<BoxView>(Json, Ct))!;
            Assert.Equal((2, 2), (box.TubeCount, box.Tubes.Count));
        }
        var boxed = await a.Client.GetFromJsonAsync<TubeView>($"/api/v1/sampling/tubes/{sealedTubes[0].Barcode}", Json, Ct);
        Assert.Equal((TubeState.Boxed, number), (boxed!.State, boxed.BoxNumber));
        using (var remove = await a.Client.PostAsJsonAsync($"/api/v1/sampling/samples/{boxed.Members[0].SampleId}/remove", new { }, Json, Ct))
            Assert.Equal(HttpStatusCode.Conflict, remove.StatusCode);
        using (var handed = await a.Client.PostAsJsonAsync($"/api/v1/sampling/boxes/{number}/hand-over", new { lab = "金域检验" }, Json, Ct))
            Assert.Equal(BoxState.HandedOver, (await handed.Content.ReadFromJsonAsync<BoxView>(Json, Ct))!.State);
        using (var bySampler = await a.Client.PostAsJsonAsync($"/api/v1/sampling/boxes/{number}/receive", new { receivedCount = 2 }, Json, Ct))
            Assert.Equal(HttpStatusCode.Forbidden, bySampler.StatusCode);
        using (var mismatch = await Client.PostAsJsonAsync($"/api/v1/sampling/boxes/{number}/receive", new { receivedCount = 1 }, Json, Ct))
        {
            var box = (await mismatch.Content.ReadFromJsonAsync<BoxView>(Json, Ct))!;
            Assert.Equal((BoxState.Received, 2, (int?)1, (bool?)false), (box.State, box.TubeCount, box.ReceivedCount, box.Reconciled));
        }

        // A second box, counted right.
        var third = await TubeAsync(a, single: true);
        await SampleAsync(a, Row(third.Barcode, person.Document));
        var second = $"BOX{Guid.NewGuid():N}"[..12];
        (await a.Client.PostAsJsonAsync("/api/v1/sampling/boxes", new { roundId = a.RoundId, siteId = a.SiteId, number = second }, Json, Ct)).Dispose();
        (await a.Client.PostAsJsonAsync($"/api/v1/sampling/boxes/{second}/tubes", new { barcodes = new[] { third.Barcode } }, Json, Ct)).Dispose();
        (await a.Client.PostAsJsonAsync($"/api/v1/sampling/boxes/{second}/hand-over", new { lab = "金域检验" }, Json, Ct)).Dispose();
        using (var match = await Client.PostAsJsonAsync($"/api/v1/sampling/boxes/{second}/receive", new { receivedCount = 1 }, Json, Ct))
            Assert.Equal((bool?)true, (await match.Content.ReadFromJsonAsync<BoxView>(Json, Ct))!.Reconciled);
        await using var db = Factory.CreateDbContext();
        Assert.Equal(1, (await db.TransferBoxes.SingleAsync(b => b.Number == number, Ct)).ReceivedCount);
        Assert.Equal(TubeState.Received, (await db.Tubes.SingleAsync(t => t.Id == sealedTubes[1].Id, Ct)).State);
        Assert.Equal(TubeState.Open, (await db.Tubes.SingleAsync(t => t.Id == open.Id, Ct)).State);
    }

    [Fact]
    public async Task An_unassigned_sampler_is_refused_the_sibling_community_sees_nothing_and_an_observer_cannot_write()
    {
        var a = await ArrangeAsync();
        var tube = await TubeAsync(a);
        var person = await PersonAsync(a.HouseholdId);

        var stranger = await Factory.CreateAccountAsync(StaffRoles.Sampler, Committee);
        using var strangerClient = await Factory.ClientForAsync(stranger);
        using (var open = await OpenTubeAsync(a, NewBarcode(), client: strangerClient)) Assert.Equal(HttpStatusCode.Forbidden, open.StatusCode);
        using (var post = await PostSamplesAsync(strangerClient, Row(tube.Barcode, person.Document))) Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        using (var seal = await strangerClient.PostAsync($"/api/v1/sampling/tubes/{tube.Barcode}/seal", null, Ct)) Assert.Equal(HttpStatusCode.Forbidden, seal.StatusCode);

        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        using (var get = await sibling.GetAsync($"/api/v1/sampling/tubes/{tube.Barcode}", Ct)) Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using (var open = await OpenTubeAsync(a, NewBarcode(), client: sibling)) Assert.Equal(HttpStatusCode.NotFound, open.StatusCode);
        using (var session = await sibling.GetAsync($"/api/v1/sampling/sites/{a.SiteId}/rounds/{a.RoundId}", Ct)) Assert.Equal(HttpStatusCode.NotFound, session.StatusCode);
        using (var post = await PostSamplesAsync(sibling, Row(tube.Barcode, person.Document)))
            Assert.True((await ErrorsAsync(post)).TryGetProperty("Samples[0].TubeBarcode", out _));

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, Committee);
        using (var open = await OpenTubeAsync(a, NewBarcode(), client: observer)) Assert.Equal(HttpStatusCode.Forbidden, open.StatusCode);
        using (var post = await PostSamplesAsync(observer, Row(tube.Barcode, person.Document))) Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        using (var get = await observer.GetAsync($"/api/v1/sampling/tubes/{tube.Barcode}", Ct)) Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);

        await using var db = Factory.CreateDbContext();
        Assert.Equal(0, await db.Samples.CountAsync(s => s.TubeId == tube.Id, Ct));
        Assert.Equal(1, await db.Tubes.CountAsync(t => t.SiteId == a.SiteId, Ct));
    }

    [Fact]
    public async Task Bad_rows_are_named_and_nothing_of_the_request_is_written()
    {
        var a = await ArrangeAsync();
        var tube = await TubeAsync(a);
        var person = await PersonAsync(a.HouseholdId);
        using (var bad = await PostSamplesAsync(a.Client,
            Row(tube.Barcode, person.Document),
            new { id = Guid.Empty, tubeBarcode = tube.Barcode, input = person.Document, at = DateTimeOffset.UtcNow },
            new { id = Guid.NewGuid(), tubeBarcode = tube.Barcode, input = person.Document, at = DateTimeOffset.UtcNow.AddDays(-40) },
            new { id = Guid.NewGuid(), tubeBarcode = "", input = "", at = DateTimeOffset.UtcNow }))
        {
            var errors = await ErrorsAsync(bad);
            foreach (var field in new[] { "Samples[1].Id", "Samples[2].At", "Samples[3].TubeBarcode", "Samples[3].Input" }) Assert.True(errors.TryGetProperty(field, out _), field);
            Assert.False(errors.TryGetProperty("Samples[0].Input", out _));
        }
        using (var unknown = await PostSamplesAsync(a.Client, Row(tube.Barcode, person.Document), Row("NO-SUCH-TUBE", person.Document)))
            Assert.True((await ErrorsAsync(unknown)).TryGetProperty("Samples[1].TubeBarcode", out _));
        using (var unreadable = await PostSamplesAsync(a.Client, Row(tube.Barcode, person.Document), Row(tube.Barcode, "hello"), Row(tube.Barcode, TestData.NewIdNumber())))
        {
            var errors = await ErrorsAsync(unreadable);
            Assert.True(errors.TryGetProperty("Samples[1].Input", out _));
            Assert.True(errors.TryGetProperty("Samples[2].Input", out _));
        }
        using (var none = await a.Client.PostAsJsonAsync("/api/v1/sampling/samples", new { samples = Array.Empty<object>() }, Json, Ct))
            Assert.True((await ErrorsAsync(none)).TryGetProperty("Samples", out _));
        using (var many = await PostSamplesAsync(a.Client, Enumerable.Range(0, 501).Select(_ => Row(tube.Barcode, person.Document)).ToArray()))
            Assert.True((await ErrorsAsync(many)).TryGetProperty("Samples", out _));
        await using var db = Factory.CreateDbContext();
        Assert.Equal(0, await db.Samples.CountAsync(s => s.TubeId == tube.Id, Ct));
        Assert.Equal(0, (await db.Tubes.SingleAsync(t => t.Id == tube.Id, Ct)).Count);
    }

    [Fact]
    public async Task A_batch_may_mix_id_numbers_person_codes_and_phones_and_a_bad_row_is_named_at_its_own_index()
    {
        var a = await ArrangeAsync();
        var tube = await TubeAsync(a);
        var byNumber = await PersonAsync(a.HouseholdId, "赵身份证");
        var byCode = await PersonAsync(a.HouseholdId, "钱二维码");
        var phone = $"139{Random.Shared.Next(10_000_000, 99_999_999)}";
        var byPhone = await Data.PersonAsync(a.HouseholdId, name: "孙手机", phone: phone, relation: RelationToHead.Other);
        await using (var db = Factory.CreateDbContext())
        {
            db.PersonCodes.Add(new PersonCode { PersonId = byCode.Id, Serial = 1, IssuedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
        }
        var code = await Factory.Get<CodeSigner>().CodeAsync(CodeKind.Person, byCode.Id, 1, Ct);

        // ID numbers are read apart from codes and phones: an error still names the row it is in, and nothing is written.
        using (var bad = await PostSamplesAsync(a.Client, Row(tube.Barcode, byNumber.Document), Row(tube.Barcode, code), Row(tube.Barcode, "hello"),
                   Row(tube.Barcode, phone), Row(tube.Barcode, TestData.NewIdNumber())))
            Assert.Equal(["Samples[2].Input", "Samples[4].Input"], (await ErrorsAsync(bad)).EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());
        var results = await SampleAsync(a, Row(tube.Barcode, $" {byNumber.Document} "), Row(tube.Barcode, code), Row(tube.Barcode, phone));
        Assert.Equal([byNumber.Id, byCode.Id, byPhone.Id], results.Select(r => r.PersonId).ToArray());
        Assert.Equal(3, results[^1].TubeCount);
    }

    [Fact]
    public async Task Twenty_devices_adding_at_once_to_a_pool_of_ten_fill_it_exactly()
    {
        var a = await ArrangeAsync();
        var tube = await TubeAsync(a);
        var people = new List<(Guid Id, string Document)>();
        for (var i = 0; i < 20; i++) people.Add(await PersonAsync(a.HouseholdId));
        var responses = await Task.WhenAll(people.Select(async p =>
        {
            using var response = await PostSamplesAsync(a.Client, Row(tube.Barcode, p.Document));
            return response.StatusCode;
        }));
        Assert.Equal(10, responses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(10, responses.Count(s => s == HttpStatusCode.BadRequest));
        await using var db = Factory.CreateDbContext();
        var stored = await db.Tubes.SingleAsync(t => t.Id == tube.Id, Ct);
        Assert.Equal((10, TubeState.Sealed), (stored.Count, stored.State));
        Assert.Equal(10, await db.Samples.CountAsync(s => s.TubeId == tube.Id && s.RemovedAt == null, Ct));
    }
}

public sealed class SamplingApiTests_Sqlite(SqliteAppFactory f) : SamplingApiTests(f), IClassFixture<SqliteAppFactory>;

public sealed class SamplingApiTests_Postgres(PostgresAppFactory f) : SamplingApiTests(f), IClassFixture<PostgresAppFactory>;
