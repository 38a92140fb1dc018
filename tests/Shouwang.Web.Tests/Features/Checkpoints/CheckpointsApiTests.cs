using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.PassCards;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Checkpoints;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Features.FollowUps;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Checkpoints;

public abstract class CheckpointsApiTests(AppFactory factory) : ApiTestBase(factory)
{
    private const string Community = "430202005003";
    private DateOnly Today => Factory.Get<LocalClock>().Today();

    private sealed record Reason(ReasonCode Code, PassageVerdict Verdict, string Label, string? Detail, string? Basis, bool Alerts);
    private sealed record Scan(bool Found, PassageSource Source, Guid? PersonId, Guid? HouseholdId, string? NameMasked, string? DocumentMasked, bool LivesHere,
        StatusColour Colour, PassageVerdict Verdict, List<Reason> Reasons, JsonElement? Pass, bool AskOrigin, string Ticket);
    private sealed record Result(Guid Id, bool Duplicate, PassageVerdict Verdict, List<Reason> Reasons, string? WorkOrderNumber);

    private async Task<CheckpointItem> CheckpointAsync(string community = Community, object? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = $"卡口{Guid.NewGuid():N}"[..10], ["kind"] = "CompoundGate", ["communityCode"] = community, ["location"] = "东门",
        };
        if (extra is not null) foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
        using var response = await Client.PostAsJsonAsync("/api/v1/checkpoints", body, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CheckpointItem>(Json, Ct))!;
    }

    private async Task<(Guid Person, Guid Household, Guid Grid, string Document)> ResidentAsync(string community = Community, Guid? household = null)
    {
        var grid = (await Data.GridAsync(community)).Id;
        var home = household ?? await Data.HouseholdAsync(community, grid);
        await using var db = Factory.CreateDbContext();
        var (id, document) = await Data.PersonAsync(home, name: "张三丰");
        var gridOf = await db.Households.Where(h => h.Id == home).Select(h => h.GridId).FirstAsync(Ct);
        return (id, home, gridOf, document);
    }

    private async Task<string> PersonCodeAsync(Guid personId, int serial = 1)
    {
        await using var db = Factory.CreateDbContext();
        db.PersonCodes.Add(new PersonCode { PersonId = personId, Serial = serial, IssuedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(Ct);
        return await Factory.Get<CodeSigner>().CodeAsync(CodeKind.Person, personId, serial, Ct);
    }

    private async Task<HttpResponseMessage> ScanResponseAsync(Guid checkpoint, string input, PassageKind kind = PassageKind.Exit, HttpClient? client = null) =>
        await (client ?? Client).PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint}/scan", new { input, kind }, Json, Ct);

    private async Task<Scan> ScanAsync(Guid checkpoint, string input, PassageKind kind = PassageKind.Exit)
    {
        using var response = await ScanResponseAsync(checkpoint, input, kind);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Scan>(Json, Ct))!;
    }

    private async Task<HttpResponseMessage> PassagesResponseAsync(Guid checkpoint, IEnumerable<object> passages, HttpClient? client = null) =>
        await (client ?? Client).PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint}/passages", new { passages }, Json, Ct);

    private async Task<List<Result>> PassagesAsync(Guid checkpoint, params object[] passages)
    {
        using var response = await PassagesResponseAsync(checkpoint, passages);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        return json.GetProperty("results").Deserialize<List<Result>>(Json)!;
    }

    private static object Passage(Guid? id = null, PassageKind kind = PassageKind.Exit, string? ticket = null, Guid? personId = null, Guid? householdId = null,
        string? input = null, object? visitor = null, decimal? temperature = 36.5m, bool offline = false, int? doses = null) =>
        new { id = id ?? Guid.CreateVersion7(), at = DateTimeOffset.UtcNow, kind, ticket, personId, householdId, input, visitor, temperature, mask = true, offline, vaccinationDoses = doses };

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<T>(Json, TestContext.Current.CancellationToken))!;

    [Fact]
    public async Task Checkpoints_AreCreatedWithDefaults_Validated_Scoped_AndDutyIsSignedInOnce()
    {
        var created = await CheckpointAsync();
        Assert.Equal((YellowCodeAction.Allow, 37.3m, 7, Community, true), (created.YellowCode, created.FeverThreshold, created.RiskWindowDays, created.GuardedCode, created.IsActive));
        var highway = await CheckpointAsync(extra: new { kind = "TrafficHealthPoint", guardedCode = TestData.Street });
        Assert.Equal((YellowCodeAction.TurnBack, TestData.Street), (highway.YellowCode, highway.GuardedCode));

        using (var bad = await Client.PostAsJsonAsync("/api/v1/checkpoints", new
        {
            name = "", kind = "CompoundGate", communityCode = Community, guardedCode = "430202006", location = "x", feverThreshold = 39.5m, riskWindowDays = 0,
            vaccinationDosesRequired = 5,
        }, Json, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
            foreach (var field in new[] { "Name", "GuardedCode", "FeverThreshold", "RiskWindowDays", "VaccinationDosesRequired" }) Assert.True(errors.TryGetProperty(field, out _), field);
            Assert.Contains("发热阈值", errors.GetProperty("FeverThreshold")[0].GetString());
        }

        using (var put = await Client.PutAsJsonAsync($"/api/v1/checkpoints/{created.Id}", new
        {
            name = "湘华东门", kind = "CompoundGate", communityCode = Community, location = "东门", yellowCode = "Hold", feverThreshold = 37.5m, riskWindowDays = 14, vaccinationDosesRequired = 2,
        }, Json, Ct))
        {
            var changed = await ReadAsync<CheckpointItem>(put);
            Assert.Equal(("湘华东门", YellowCodeAction.Hold, 37.5m, 14, 2), (changed.Name, changed.YellowCode, changed.FeverThreshold, changed.RiskWindowDays, changed.VaccinationDosesRequired));
        }

        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        using (var get = await sibling.GetAsync($"/api/v1/checkpoints/{created.Id}", Ct)) Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.DoesNotContain(await sibling.GetFromJsonAsync<List<CheckpointItem>>("/api/v1/checkpoints", Json, Ct) ?? [], c => c.Id == created.Id);
        using (var put = await sibling.PutAsJsonAsync($"/api/v1/checkpoints/{created.Id}", new { name = "x", kind = "CompoundGate", communityCode = Community, location = "x" }, Json, Ct))
            Assert.NotEqual(HttpStatusCode.OK, put.StatusCode);
        using (var create = await sibling.PostAsJsonAsync("/api/v1/checkpoints", new { name = "x", kind = "CompoundGate", communityCode = Community, location = "x" }, Json, Ct))
            Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        using (var scan = await ScanResponseAsync(created.Id, TestData.NewIdNumber(), client: sibling)) Assert.Equal(HttpStatusCode.NotFound, scan.StatusCode);

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, Community);
        using (var write = await observer.PostAsJsonAsync("/api/v1/checkpoints", new { name = "x", kind = "CompoundGate", communityCode = Community, location = "x" }, Json, Ct))
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        using (var scan = await ScanResponseAsync(created.Id, TestData.NewIdNumber(), client: observer)) Assert.Equal(HttpStatusCode.Forbidden, scan.StatusCode);
        using (var passages = await PassagesResponseAsync(created.Id, [Passage(input: TestData.NewIdNumber())], observer)) Assert.Equal(HttpStatusCode.Forbidden, passages.StatusCode);

        using var guard = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, Community);
        (await guard.PostAsync($"/api/v1/checkpoints/{created.Id}/duty", null, Ct)).EnsureSuccessStatusCode();
        var onDuty = await ReadAsync<List<DutyItem>>(await guard.PostAsync($"/api/v1/checkpoints/{created.Id}/duty", null, Ct));
        Assert.Single(onDuty);
        Assert.Single((await guard.GetFromJsonAsync<List<CheckpointItem>>("/api/v1/checkpoints", Json, Ct))!.Single(c => c.Id == created.Id).OnDuty);
        Assert.Empty(await ReadAsync<List<DutyItem>>(await guard.DeleteAsync($"/api/v1/checkpoints/{created.Id}/duty", Ct)));
        Assert.Empty((await guard.GetFromJsonAsync<List<DutyItem>>($"/api/v1/checkpoints/{created.Id}/duty", Json, Ct))!);
    }

    [Fact]
    public async Task PersonCodes_Valid_Forged_Altered_Revoked()
    {
        var checkpoint = await CheckpointAsync();
        var (person, _, _, document) = await ResidentAsync();
        var (other, _, _, _) = await ResidentAsync();
        var code = await PersonCodeAsync(person);
        await PersonCodeAsync(other);

        var scan = await ScanAsync(checkpoint.Id, code);
        Assert.Equal((true, PassageSource.PersonCode, person, "张*丰", PassageVerdict.Allow, true), (scan.Found, scan.Source, scan.PersonId, scan.NameMasked, scan.Verdict, scan.LivesHere));
        Assert.DoesNotContain(document, JsonSerializer.Serialize(scan, Json));
        Assert.Equal(person, (await ScanAsync(checkpoint.Id, document.ToLowerInvariant())).PersonId);

        var forged = code[..10] + (code[10] == 'A' ? 'B' : 'A') + code[11..];
        // Altered: another person's id with this code's serial and tag.
        var otherCode = await Factory.Get<CodeSigner>().CodeAsync(CodeKind.Person, other, 1, Ct);
        var altered = otherCode[..37] + code[37..];
        foreach (var bad in new[] { forged, altered, "SWP1:XYZ", "hello" })
        {
            using var response = await ScanResponseAsync(checkpoint.Id, bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("Input", out _));
        }
        using (var response = await ScanResponseAsync(checkpoint.Id, forged))
            Assert.Contains("个人码无效或已作废", await response.Content.ReadAsStringAsync(Ct));

        await using (var db = Factory.CreateDbContext())
        {
            (await db.PersonCodes.SingleAsync(c => c.PersonId == person, Ct)).Serial = 2;
            await db.SaveChangesAsync(Ct);
        }
        using (var bumped = await ScanResponseAsync(checkpoint.Id, code)) Assert.Equal(HttpStatusCode.BadRequest, bumped.StatusCode);
        var reissued = await Factory.Get<CodeSigner>().CodeAsync(CodeKind.Person, person, 2, Ct);
        Assert.Equal(person, (await ScanAsync(checkpoint.Id, reissued)).PersonId);
        await using (var db = Factory.CreateDbContext())
        {
            (await db.PersonCodes.SingleAsync(c => c.PersonId == person, Ct)).RevokedAt = DateTime.UtcNow;
            await db.SaveChangesAsync(Ct);
        }
        using (var revoked = await ScanResponseAsync(checkpoint.Id, reissued)) Assert.Equal(HttpStatusCode.BadRequest, revoked.StatusCode);
    }

    [Fact]
    public async Task Decisions_Green_Red_Quarantine_Fever_WithAlertsAndWorkOrder()
    {
        var checkpoint = await CheckpointAsync();
        var green = await ResidentAsync();
        var scan = await ScanAsync(checkpoint.Id, green.Document);
        var allowed = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(ticket: scan.Ticket, personId: green.Person)));
        Assert.Equal((PassageVerdict.Allow, false), (allowed.Verdict, allowed.Duplicate));

        var red = await ResidentAsync();
        await using (var db = Factory.CreateDbContext())
        {
            db.Restrictions.Add(new Restriction
            {
                PersonId = red.Person, CommunityCode = long.Parse(Community), Kind = RestrictionKind.StatusColour, Colour = StatusColour.Red,
                Reason = "流调判定", Basis = RestrictionBasis.Other, State = RestrictionState.Active, RequestedByName = "t", RequestedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }
        scan = await ScanAsync(checkpoint.Id, red.Document);
        Assert.Equal((StatusColour.Red, PassageVerdict.TurnBack), (scan.Colour, scan.Verdict));
        Assert.Contains(scan.Reasons, r => r.Code == ReasonCode.RedCode && r.Label == "红码" && r.Alerts);
        var turned = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(ticket: scan.Ticket, personId: red.Person)));
        Assert.Equal(PassageVerdict.TurnBack, turned.Verdict);
        await using (var db = Factory.CreateDbContext())
            Assert.Equal(AlertKind.CheckpointStop, (await db.Alerts.SingleAsync(a => a.SubjectId == turned.Id, Ct)).Kind);

        var quarantined = await ResidentAsync();
        await Factory.CourseAsync(quarantined.Person, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, Today.AddDays(-2), Today.AddDays(5)));
        scan = await ScanAsync(checkpoint.Id, quarantined.Document);
        Assert.Contains(scan.Reasons, r => r.Code == ReasonCode.Quarantined && r.Basis!.StartsWith("restriction:", StringComparison.Ordinal));
        var stopped = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(ticket: scan.Ticket, personId: quarantined.Person)));
        Assert.Equal(PassageVerdict.TurnBack, stopped.Verdict);
        await using (var db = Factory.CreateDbContext())
        {
            var alert = await db.Alerts.SingleAsync(a => a.SubjectId == stopped.Id, Ct);
            Assert.Equal((AlertKind.CheckpointStop, quarantined.Grid, quarantined.Person), (alert.Kind, alert.GridId, alert.PersonId));
            Assert.Contains("居家隔离", alert.Title);
            Assert.Contains(checkpoint.Name, alert.Title);
        }
        // Coming home they are not sent away: their red code holds them at the gate for the community to take over.
        scan = await ScanAsync(checkpoint.Id, quarantined.Document, PassageKind.Entry);
        Assert.Contains(scan.Reasons, r => r.Code == ReasonCode.Quarantined && r.Verdict == PassageVerdict.Allow && r.Alerts);
        Assert.Equal(PassageVerdict.Hold, scan.Verdict);

        var feverish = await ResidentAsync();
        scan = await ScanAsync(checkpoint.Id, feverish.Document, PassageKind.Entry);
        var held = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(kind: PassageKind.Entry, ticket: scan.Ticket, personId: feverish.Person, temperature: 37.8m)));
        Assert.Equal(PassageVerdict.Hold, held.Verdict);
        Assert.NotNull(held.WorkOrderNumber);
        await using (var db = Factory.CreateDbContext())
        {
            var order = await db.WorkOrders.SingleAsync(o => o.Number == held.WorkOrderNumber, Ct);
            Assert.Equal((WorkOrderSource.FeverReferral, feverish.Grid, WorkOrderStatus.Assigned, feverish.Person), (order.Source, order.AssigneeGridId, order.Status, order.PersonId));
            Assert.Equal(2, await db.WorkOrderEvents.CountAsync(e => e.WorkOrderId == order.Id, Ct));
            Assert.Equal(AlertKind.FeverOrSymptoms, (await db.Alerts.SingleAsync(a => a.SubjectId == held.Id, Ct)).Kind);
        }
        using var gridWorker = await Factory.ClientForAsync(StaffRoles.GridWorker, Community, feverish.Grid);
        var queue = await gridWorker.GetFromJsonAsync<JsonElement>("/api/v1/work-orders?pageSize=100", Json, Ct);
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), o => o.GetProperty("number").GetString() == held.WorkOrderNumber);
    }

    [Fact]
    public async Task Visitors_AreRegistered_OnTheSpot_AndRiskOriginsTurnedBack()
    {
        var checkpoint = await CheckpointAsync();
        var document = TestData.NewIdNumber();
        var scan = await ScanAsync(checkpoint.Id, document, PassageKind.Entry);
        Assert.Equal((false, PassageSource.Visitor, true, PassageVerdict.Allow), (scan.Found, scan.Source, scan.AskOrigin, scan.Verdict));
        var visitor = new { documentType = "ResidentIdCard", documentNumber = document, name = "王访客", phone = "13912345678", originCode = "430202", reason = "探亲", destination = "3栋" };
        var result = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(kind: PassageKind.Entry, ticket: scan.Ticket, visitor: visitor)));
        Assert.Equal(PassageVerdict.Allow, result.Verdict);
        await using (var db = Factory.CreateDbContext())
        {
            var stored = await db.Visitors.SingleAsync(v => v.DocumentNumber == document, Ct);
            Assert.Equal(("王访客", "13912345678", long.Parse(Community)), (stored.Name, stored.Phone, stored.CommunityCode));
            Assert.Equal(stored.Id, (await db.Passages.SingleAsync(p => p.Id == result.Id, Ct)).VisitorId);
            db.ExternalRiskRegions.Add(new ExternalRiskRegion
            {
                DivisionCode = "420102", Name = "江岸区", Level = RiskAreaLevel.High, FromDay = Today.AddDays(-10), UpdatedByName = "t", UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }
        // Seen again: the known visitor is recognised.
        var again = await ScanAsync(checkpoint.Id, document, PassageKind.Entry);
        Assert.Equal("王*客", again.NameMasked);

        var risky = new { documentType = "ResidentIdCard", documentNumber = TestData.NewIdNumber(), name = "李来客", phone = "13912345679", originCode = "420102", destination = "5栋" };
        var back = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(kind: PassageKind.Entry, visitor: risky)));
        Assert.Equal(PassageVerdict.TurnBack, back.Verdict);
        Assert.Contains(back.Reasons, r => r.Code == ReasonCode.RiskOrigin && r.Basis == "origin:420102");

        using var bad = await PassagesResponseAsync(checkpoint.Id, [Passage(visitor: new { documentNumber = "123", name = "", phone = "1", originCode = "999999", destination = "" }), Passage(id: Guid.Empty, input: document)]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        foreach (var field in new[] { "Passages[0].Visitor.DocumentNumber", "Passages[0].Visitor.Name", "Passages[0].Visitor.Phone", "Passages[0].Visitor.OriginCode", "Passages[0].Visitor.Destination", "Passages[1].Id" })
            Assert.True(errors.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task SameClientId_IsOnePassage_Twice_InOneRequest_AndConcurrently()
    {
        var checkpoint = await CheckpointAsync();
        var resident = await ResidentAsync();
        var id = Guid.CreateVersion7();
        var first = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(id: id, personId: resident.Person)));
        var second = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(id: id, personId: resident.Person)));
        Assert.Equal((false, true), (first.Duplicate, second.Duplicate));

        var twin = Guid.CreateVersion7();
        var pair = await PassagesAsync(checkpoint.Id, Passage(id: twin, personId: resident.Person), Passage(id: twin, personId: resident.Person));
        Assert.Equal([false, true], pair.Select(r => r.Duplicate));

        var racing = Guid.CreateVersion7();
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => PassagesAsync(checkpoint.Id, Passage(id: racing, personId: resident.Person))));
        Assert.Equal(1, answers.Count(a => !a[0].Duplicate));
        await using var db = Factory.CreateDbContext();
        Assert.Equal(3, await db.Passages.CountAsync(p => p.Id == id || p.Id == twin || p.Id == racing, Ct));
    }

    [Fact]
    public async Task Offline_RawInput_IsDecidedOnArrival_AndATamperedTicketIsIgnored()
    {
        var checkpoint = await CheckpointAsync();
        var red = await ResidentAsync();
        await using (var db = Factory.CreateDbContext())
        {
            db.Restrictions.Add(new Restriction
            {
                PersonId = red.Person, CommunityCode = long.Parse(Community), Kind = RestrictionKind.CheckpointDenial, Reason = "人工限制",
                Basis = RestrictionBasis.Other, State = RestrictionState.Active, RequestedByName = "t", RequestedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }
        var code = await PersonCodeAsync(red.Person);
        var offline = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(input: code, offline: true)));
        Assert.Equal(PassageVerdict.TurnBack, offline.Verdict);
        Assert.Contains(offline.Reasons, r => r.Code == ReasonCode.DeniedByRestriction);
        Assert.Contains(offline.Reasons, r => r.Code == ReasonCode.RecordedOffline);
        await using (var db = Factory.CreateDbContext())
        {
            var stored = await db.Passages.SingleAsync(p => p.Id == offline.Id, Ct);
            Assert.Equal((red.Person, true, PassageSource.PersonCode), (stored.PersonId, stored.WasOffline, stored.Source));
        }

        var scan = await ScanAsync(checkpoint.Id, code);
        var dot = scan.Ticket.IndexOf('.');
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(scan.Ticket.AsSpan(0, dot)));
        var cleared = JsonSerializer.Deserialize<JsonElement>(payload);
        var edited = payload.Replace(cleared.GetProperty("reasons").GetRawText(), "[]", StringComparison.Ordinal);
        Assert.NotEqual(payload, edited);
        var tampered = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(edited)) + scan.Ticket[dot..];
        var result = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(ticket: tampered, personId: red.Person)));
        Assert.Equal(PassageVerdict.TurnBack, result.Verdict);
    }

    [Fact]
    public async Task PassCards_OneExitPerWindow_ReturnClosesTheTrip_AndFiftyConcurrentExitsKeepTheQuota()
    {
        var community = "430202005004";
        var checkpoint = await CheckpointAsync(community);
        await using (var db = Factory.CreateDbContext())
        {
            if (!await db.PassCardRules.AnyAsync(r => r.CommunityCode == long.Parse(community), Ct))
                db.PassCardRules.Add(new PassCardRule { CommunityCode = long.Parse(community), PersonsPerWindow = 1, WindowDays = 2, MaxHoursOut = 4, UpdatedByName = "t" });
            await db.SaveChangesAsync(Ct);
        }
        var first = await ResidentAsync(community);
        var second = await ResidentAsync(community, first.Household);
        var scan = await ScanAsync(checkpoint.Id, first.Document);
        Assert.Equal(1, scan.Pass!.Value.GetProperty("allowed").GetInt32());
        var exit = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(ticket: scan.Ticket, personId: first.Person)));
        Assert.Equal(PassageVerdict.Allow, exit.Verdict);

        scan = await ScanAsync(checkpoint.Id, second.Document);
        Assert.Equal(PassageVerdict.TurnBack, scan.Verdict);
        Assert.Contains(scan.Reasons, r => r.Code == ReasonCode.PassUsedUp && r.Basis!.StartsWith("pass-card-rule:", StringComparison.Ordinal));
        var denied = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(personId: second.Person)));
        Assert.Equal(PassageVerdict.TurnBack, denied.Verdict);
        Assert.Contains(denied.Reasons, r => r.Code == ReasonCode.PassUsedUp);

        var back = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(kind: PassageKind.Entry, personId: first.Person)));
        await using (var db = Factory.CreateDbContext())
        {
            var trip = await db.PassCardTrips.SingleAsync(t => t.HouseholdId == first.Household, Ct);
            Assert.Equal((exit.Id, back.Id), (trip.ExitPassageId, trip.ReturnPassageId));
            Assert.NotNull(trip.ReturnAt);
            Assert.Equal(trip.Id, (await db.Passages.SingleAsync(p => p.Id == back.Id, Ct)).PassCardTripId);
        }

        // Fifty exits at once from one fresh household (its members and repeated scans): exactly one gets out.
        var household = await Data.HouseholdAsync(community);
        var members = new List<Guid>();
        for (var i = 0; i < 5; i++) members.Add((await Data.PersonAsync(household)).Id);
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => PassagesAsync(checkpoint.Id, Passage(personId: members[i % members.Count]))));
        Assert.Equal(1, results.Count(r => r[0].Verdict == PassageVerdict.Allow));
        await using (var db = Factory.CreateDbContext())
            Assert.Equal(1, await db.PassCardTrips.CountAsync(t => t.HouseholdId == household, Ct));
    }

    [Fact]
    public async Task A_Return_ClosesOnlyTheReturnersTrip_EvenWhenHeldAtTheGateWithAFever()
    {
        var community = "430202005004";
        var checkpoint = await CheckpointAsync(community);
        await using (var db = Factory.CreateDbContext())
        {
            if (!await db.PassCardRules.AnyAsync(r => r.CommunityCode == long.Parse(community), Ct))
                db.PassCardRules.Add(new PassCardRule { CommunityCode = long.Parse(community), PersonsPerWindow = 1, WindowDays = 2, MaxHoursOut = 4, UpdatedByName = "t" });
            await db.SaveChangesAsync(Ct);
        }
        var goer = await ResidentAsync(community);
        var stayer = await ResidentAsync(community, goer.Household);
        Assert.Equal(PassageVerdict.Allow, Assert.Single(await PassagesAsync(checkpoint.Id, Passage(personId: goer.Person))).Verdict);

        // Someone else of the household coming in (they went out some other way) does not close the goer's trip.
        Assert.Single(await PassagesAsync(checkpoint.Id, Passage(kind: PassageKind.Entry, personId: stayer.Person)));
        await using (var db = Factory.CreateDbContext())
            Assert.Null((await db.PassCardTrips.SingleAsync(t => t.HouseholdId == goer.Household, Ct)).ReturnAt);

        // The goer comes back feverish: held at the gate, but back — the trip is over and never listed as overdue.
        var back = Assert.Single(await PassagesAsync(checkpoint.Id, Passage(kind: PassageKind.Entry, personId: goer.Person, temperature: 37.9m)));
        Assert.Equal(PassageVerdict.Hold, back.Verdict);
        await using (var db = Factory.CreateDbContext())
        {
            var trip = await db.PassCardTrips.SingleAsync(t => t.HouseholdId == goer.Household, Ct);
            Assert.Equal(back.Id, trip.ReturnPassageId);
        }
    }
}

public sealed class CheckpointsApiTests_Sqlite(SqliteAppFactory f) : CheckpointsApiTests(f), IClassFixture<SqliteAppFactory>;

public sealed class CheckpointsApiTests_Postgres(PostgresAppFactory f) : CheckpointsApiTests(f), IClassFixture<PostgresAppFactory>;
