using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.PassCards;
using Shouwang.Domain.PlaceCodes;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Checkpoints;
using Shouwang.Web.Features.PassCards;
using Shouwang.Web.Features.PlaceCodes;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Features.CheckpointLogs;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Checkpoints;

/// <summary>Second review of issue #5 (live view, vehicles, log, pass cards, codes, checkpoint management): each defect shown by a failing test.</summary>
public abstract class SecondReviewTests(AppFactory factory) : ApiTestBase(factory)
{
    private const string Community = CheckpointLogData.Community;
    private const string OtherCommunity = CheckpointLogData.SiblingCommunity;

    // A 1×1 PNG, as a signature pad would send it.
    private const string Signature = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static string NewMobile() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static object Vehicle(Guid id, bool through, string? signature, string? name, string? phone) => new
    {
        id, at = DateTimeOffset.UtcNow, kind = "Entry", plate = "湘A" + Random.Shared.Next(10000, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture),
        occupants = 2, originCode = "420102", destination = "广州", throughTraffic = through,
        commitmentSignerName = name, commitmentSignerPhone = phone, commitmentSignature = signature,
    };

    /// <summary>
    /// The live feed shows a fever alert only if <c>db.Passages.Any(p => p.Id == a.SubjectId)</c> — in the caller's scope. A
    /// resident of committee B held with 38.5 °C at committee A's gate gets an alert in B's scope (their grid worker acts),
    /// but the passage lies in A's scope: B's live feed drops the alert, and A cannot see it either. The fever reaches no
    /// community's live feed (CheckpointLive.cs:72).
    /// </summary>
    [Fact]
    public async Task Live_FeverOfAResident_HeldAtAnotherCommitteesGate_ReachesTheirCommitteesFeed()
    {
        var household = await Data.HouseholdAsync(OtherCommunity);
        var (_, document) = await Data.PersonAsync(household, name: "周发热");
        var gate = await CheckpointLogData.CheckpointAsync(Factory);
        var passageId = Guid.CreateVersion7();
        using (var response = await Client.PostAsJsonAsync($"/api/v1/checkpoints/{gate.Id}/passages", new
        {
            passages = new[] { new { id = passageId, at = DateTimeOffset.UtcNow, kind = PassageKind.Entry, input = document, temperature = 38.5m, mask = true, offline = false } },
        }, Json, Ct))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using (var db = Factory.CreateDbContext())
        {
            var alert = await db.Alerts.SingleAsync(a => a.SubjectId == passageId, Ct);
            Assert.Equal(AlertKind.FeverOrSymptoms, alert.Kind);
            Assert.Equal(long.Parse(OtherCommunity, System.Globalization.CultureInfo.InvariantCulture), alert.CommunityCode);
        }

        using var theirs = await Factory.ClientForAsync(StaffRoles.CommunityWorker, OtherCommunity);
        var view = await theirs.GetFromJsonAsync<CheckpointLiveView>("/api/v1/checkpoints/live", Json, Ct);
        Assert.Contains(view!.Alerts, a => a.SubjectId == passageId);
    }

    /// <summary>
    /// An overdue alert stays in the live feed after the household member is back: closing the trip
    /// (PassageWriter.CloseTripAsync) does not touch the alert, and the feed (CheckpointLive.cs:71) does not look at the
    /// trip. Stale "still out" alerts fill the 50 places of the feed and push red codes out.
    /// </summary>
    [Fact]
    public async Task Live_OverdueAlert_LeavesTheFeed_WhenTheMemberIsBack()
    {
        var grid = await Data.GridAsync(Community);
        var household = await Data.HouseholdAsync(Community, grid.Id);
        var (personId, _) = await Data.PersonAsync(household, name: "孙晚归");
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory);
        var now = DateTime.UtcNow;
        var exit = CheckpointLogData.Passage(checkpoint, now.AddHours(-6), personId: personId, kind: PassageKind.Exit);
        await CheckpointLogData.AddAsync(Factory, [exit]);
        var trip = new PassCardTrip
        {
            HouseholdId = household, CommunityCode = checkpoint.CommunityCode, GridId = grid.Id, RuleId = Guid.NewGuid(), Window = 1, Slot = 0,
            PersonId = personId, ExitPassageId = exit.Id, ExitAt = exit.At, DueBackAt = now.AddHours(-2),
        };
        await using (var db = Factory.CreateDbContext())
        {
            db.PassCardTrips.Add(trip);
            await db.SaveChangesAsync(Ct);
        }
        using (CallerContext.AsSystem()) await Factory.Get<PassCardOverdueAlerts>().RaiseAsync(Ct);
        var before = await Client.GetFromJsonAsync<CheckpointLiveView>($"/api/v1/checkpoints/live?communityCode={Community}", Json, Ct);
        Assert.Contains(before!.Alerts, a => a.SubjectId == trip.Id);

        // The member comes back through the gate: the trip is closed as the passage writer closes it.
        var back = CheckpointLogData.Passage(checkpoint, now.AddMinutes(-1), personId: personId, kind: PassageKind.Entry);
        await CheckpointLogData.AddAsync(Factory, [back]);
        await using (var db = Factory.CreateDbContext())
        {
            var stored = await db.PassCardTrips.SingleAsync(t => t.Id == trip.Id, Ct);
            stored.ReturnPassageId = back.Id;
            stored.ReturnAt = back.At;
            await db.SaveChangesAsync(Ct);
        }

        var after = await Client.GetFromJsonAsync<CheckpointLiveView>($"/api/v1/checkpoints/live?communityCode={Community}", Json, Ct);
        Assert.DoesNotContain(after!.Alerts, a => a.SubjectId == trip.Id);
    }

    /// <summary>
    /// The audit log keeps ID and phone numbers masked, but EntityAudit.Mask only knows the property names Phone,
    /// ReporterPhone and PhoneNumber: a vehicle's CommitmentSignerPhone is logged whole (EntityAudit.cs:90).
    /// </summary>
    [Fact]
    public async Task Vehicle_AuditEntry_KeepsTheSignersPhoneMasked()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory, CheckpointKind.TrafficHealthPoint);
        var id = Guid.NewGuid();
        var phone = NewMobile();
        using (var response = await Client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", Vehicle(id, true, Signature, "钱司机", phone), Json, Ct))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using var db = Factory.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.EntityType == "Vehicle" && a.EntityId == id.ToString(), Ct);
        Assert.DoesNotContain(phone, entry.Changes ?? "");
    }

    /// <summary>The same for a place's contact (a shopkeeper's own mobile): Place.ContactPhone is logged whole.</summary>
    [Fact]
    public async Task Place_AuditEntry_KeepsTheContactPhoneMasked()
    {
        var phone = NewMobile();
        using var response = await Client.PostAsJsonAsync("/api/v1/places", new
        {
            name = "便民药房", kind = "Pharmacy", address = "湘华路2号", communityCode = Community, contactName = "吴店长", contactPhone = phone, isActive = true,
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var place = (await response.Content.ReadFromJsonAsync<PlaceItem>(Json, Ct))!;

        await using var db = Factory.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.EntityType == "Place" && a.EntityId == place.Id.ToString(), Ct);
        Assert.DoesNotContain(phone, entry.Changes ?? "");
    }

    /// <summary>
    /// A signed commitment with nobody named as signer: the signer's name and phone are only required for through traffic
    /// at a traffic health point (Vehicles.cs:93-94), but a signature sent for any other vehicle is stored and printed as
    /// a commitment (CommitmentUrl given) with empty signer and phone. Bad input must be a 400 naming the field.
    /// </summary>
    [Fact]
    public async Task Vehicle_SignatureWithoutSigner_Is400NamingTheField_AndNothingIsStored()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory, CheckpointKind.TrafficHealthPoint);
        var id = Guid.NewGuid();
        using var response = await Client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", Vehicle(id, false, Signature, null, null), Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("CommitmentSignerName", out _));
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Vehicles.AnyAsync(v => v.Id == id, Ct));
    }

    /// <summary>
    /// The duplicate check for a vehicle's client id ignores the scope filters and the checkpoint (Vehicles.cs:71-72): an id
    /// already used at committee A's checkpoint, sent to committee B's checkpoint, is answered 200 "duplicate" with the link
    /// to A's signed commitment — B's vehicle is silently not recorded, and B learns that A's record exists.
    /// </summary>
    [Fact]
    public async Task Vehicle_IdOfAnotherCommitteesVehicle_IsNotAnsweredAsADuplicate()
    {
        var here = await CheckpointLogData.CheckpointAsync(Factory, CheckpointKind.TrafficHealthPoint);
        var id = Guid.NewGuid();
        using (var first = await Client.PostAsJsonAsync($"/api/v1/checkpoints/{here.Id}/vehicles", Vehicle(id, true, Signature, "郑司机", NewMobile()), Json, Ct))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var there = await CheckpointLogData.CheckpointAsync(Factory, CheckpointKind.VillageRoad, OtherCommunity);
        using var guard = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, OtherCommunity);
        using var response = await guard.PostAsJsonAsync($"/api/v1/checkpoints/{there.Id}/vehicles", Vehicle(id, false, null, null, null), Json, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.False(response.StatusCode == HttpStatusCode.OK && body.Contains("\"duplicate\":true", StringComparison.Ordinal),
            $"answered as a duplicate of another committee's vehicle: {body}");
        Assert.DoesNotContain($"/checkpoints/vehicles/{id}/commitment", body);
    }

    /// <summary>
    /// The log's from/to are DateTimeOffset (PassageLog.cs:148, 212-213): a day as an API client sends it ("2026-03-11") is
    /// read in the server's OS time zone, not Asia/Shanghai. On a UTC server the day runs 08:00–08:00 local: a passage at
    /// 02:00 on the 11th is missing and one at 02:00 on the 12th is listed. The places API reads from/to as local days.
    /// </summary>
    [Fact]
    public async Task PassageLog_DateOnlyFromTo_AreLocalDays()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory);
        var clock = Factory.Get<LocalClock>();
        var day = new DateOnly(2026, 3, 11);
        var early = CheckpointLogData.Passage(checkpoint, clock.StartOfDayUtc(day).AddHours(2));            // 02:00 on the 11th
        var nextEarly = CheckpointLogData.Passage(checkpoint, clock.StartOfDayUtc(day.AddDays(1)).AddHours(2)); // 02:00 on the 12th
        await CheckpointLogData.AddAsync(Factory, [early, nextEarly]);

        var page = await Client.GetFromJsonAsync<Paged<PassageLogItem>>(
            $"/api/v1/passages?checkpointId={checkpoint.Id}&from=2026-03-11&to=2026-03-11&pageSize=50", Json, Ct);
        Assert.Equal([early.Id], page!.Items.Select(i => i.Id).ToArray());
    }

    /// <summary>
    /// "A form sent twice is one presence": but the per-phone rate limit is taken before the client id is looked up
    /// (RecordPresence.cs:127 before :130), so a re-sent form of a busy phone is refused with 429 instead of being
    /// answered as the presence already stored, and every resend also eats a permit.
    /// </summary>
    [Fact]
    public async Task Presence_ResentForm_IsTheStoredPresence_EvenPastTheRateLimit()
    {
        var place = new Place { Name = "平价超市", Address = "湘华路3号", CommunityCode = long.Parse(Community, System.Globalization.CultureInfo.InvariantCulture), CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        await using (var db = Factory.CreateDbContext())
        {
            db.Places.Add(place);
            await db.SaveChangesAsync(Ct);
        }
        var recording = Factory.Get<RecordPresence>();
        var phone = NewMobile();
        var first = Guid.NewGuid();
        Assert.IsType<Outcome<PresenceRecorded>.Success>(await recording.HandleAsync(place.Id, new PresenceInput { ClientId = first, Phone = phone }, Ct));
        for (var i = 1; i < PresenceRateLimits.PerPhonePerHour; i++)
            Assert.IsType<Outcome<PresenceRecorded>.Success>(await recording.HandleAsync(place.Id, new PresenceInput { ClientId = Guid.NewGuid(), Phone = phone }, Ct));

        var again = await recording.HandleAsync(place.Id, new PresenceInput { ClientId = first, Phone = phone }, Ct);
        var success = Assert.IsType<Outcome<PresenceRecorded>.Success>(again);
        Assert.True(success.Value.Duplicate);
    }

    /// <summary>
    /// Staff can sign in on duty at a checkpoint that has been closed down (IsActive false): ManageCheckpoints.SignInAsync
    /// (ManageCheckpoints.cs:89-105) never looks at IsActive, so the duty list shows people guarding a post that is not
    /// there. The scan page itself refuses inactive checkpoints.
    /// </summary>
    [Fact]
    public async Task Duty_SignIn_AtAnInactiveCheckpoint_IsRefused()
    {
        using var created = await Client.PostAsJsonAsync("/api/v1/checkpoints", new
        {
            name = $"停用{Guid.NewGuid():N}"[..10], kind = "CompoundGate", communityCode = Community, location = "北门", isActive = false,
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var checkpoint = (await created.Content.ReadFromJsonAsync<CheckpointItem>(Json, Ct))!;
        Assert.False(checkpoint.IsActive);

        var account = await Factory.CreateAccountAsync(StaffRoles.CheckpointGuard, Community);
        using var guard = await Factory.ClientForAsync(account);
        using var response = await guard.PostAsync($"/api/v1/checkpoints/{checkpoint.Id}/duty", null, Ct);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.CheckpointDuties.AnyAsync(d => d.CheckpointId == checkpoint.Id, Ct));
    }
}

public sealed class SecondReviewTests_Sqlite(SqliteAppFactory f) : SecondReviewTests(f), IClassFixture<SqliteAppFactory>;

public sealed class SecondReviewTests_Postgres(PostgresAppFactory f) : SecondReviewTests(f), IClassFixture<PostgresAppFactory>;
