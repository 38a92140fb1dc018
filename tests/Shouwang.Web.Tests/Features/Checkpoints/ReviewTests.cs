using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Checkpoints;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Checkpoints;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Checkpoints;

/// <summary>Review of issue #5: defects found in the checkpoint work, each shown by a failing test.</summary>
public abstract class ReviewTests(AppFactory factory) : ApiTestBase(factory)
{
    private const string Community = "430202005003";
    private const string OtherCommunity = "430202005004";

    private async Task<CheckpointItem> CheckpointAsync(string community = Community)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/checkpoints", new
        {
            name = $"审查{Guid.NewGuid():N}"[..10], kind = "CompoundGate", communityCode = community, location = "西门",
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CheckpointItem>(Json, Ct))!;
    }

    private static object Passage(Guid? id = null, PassageKind kind = PassageKind.Entry, string? ticket = null, Guid? personId = null, string? input = null,
        object? visitor = null, bool offline = false, Guid? vehicleId = null) =>
        new { id = id ?? Guid.CreateVersion7(), at = DateTimeOffset.UtcNow, kind, ticket, personId, input, visitor, temperature = 36.5m, mask = true, offline, vehicleId };

    private async Task<HttpResponseMessage> PassagesResponseAsync(Guid checkpoint, IEnumerable<object> passages, HttpClient? client = null) =>
        await (client ?? Client).PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint}/passages", new { passages }, Json, Ct);

    private static string NewMobile() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A gate meets strangers, so it may only ever see them masked. A visitor registered at one committee's gate is shown
    /// with their whole name (and reason, destination) to a guard of another committee who merely types their phone number.
    /// </summary>
    [Fact]
    public async Task Scan_OfAKnownVisitor_ByPhone_AtAnotherCommitteesGate_ShowsTheNameMaskedOnly()
    {
        var here = await CheckpointAsync();
        var phone = NewMobile();
        var visitor = new { documentType = "ResidentIdCard", documentNumber = TestData.NewIdNumber(), name = "欧阳明月", phone, originCode = "430202", reason = "探望母亲", destination = "7栋" };
        using (var recorded = await PassagesResponseAsync(here.Id, [Passage(visitor: visitor)]))
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);

        var there = await CheckpointAsync(OtherCommunity);
        using var guard = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, OtherCommunity);
        using var scan = await guard.PostAsJsonAsync($"/api/v1/checkpoints/{there.Id}/scan", new { input = phone, kind = PassageKind.Entry }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, scan.StatusCode);
        var body = await scan.Content.ReadAsStringAsync(Ct);
        Assert.Contains("欧**月", body); // it is recognised...
        Assert.DoesNotContain("欧阳明月", body); // ...but never shown whole
    }

    /// <summary>
    /// Every passage must be usable for tracing. A scan of an unregistered ID number queued offline (the device could not ask
    /// who it was, so it sends the raw text) is stored with neither a person nor a visitor: the ID number is lost.
    /// </summary>
    [Fact]
    public async Task OfflinePassage_OfAnUnregisteredIdNumber_KeepsWhoItWas()
    {
        var checkpoint = await CheckpointAsync();
        var document = TestData.NewIdNumber();
        using var response = await PassagesResponseAsync(checkpoint.Id, [Passage(input: document, offline: true)]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("results")[0].GetProperty("id").GetGuid();

        await using var db = Factory.CreateDbContext();
        var stored = await db.Passages.SingleAsync(p => p.Id == id, Ct);
        Assert.True(stored.PersonId is not null || stored.VisitorId is not null, "the passage names nobody");
        Assert.True(await db.Visitors.AnyAsync(v => v.Id == stored.VisitorId && v.DocumentNumber == document, Ct), "the ID number scanned is not kept");
    }

    /// <summary>The same for a mobile number nobody in the registry has: the passage is stored with no trace of the phone.</summary>
    [Fact]
    public async Task OfflinePassage_OfAnUnknownPhone_KeepsWhoItWas()
    {
        var checkpoint = await CheckpointAsync();
        var phone = NewMobile();
        using var response = await PassagesResponseAsync(checkpoint.Id, [Passage(input: phone, offline: true)]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("results")[0].GetProperty("id").GetGuid();

        await using var db = Factory.CreateDbContext();
        var stored = await db.Passages.SingleAsync(p => p.Id == id, Ct);
        Assert.True(await db.Visitors.AnyAsync(v => v.Id == stored.VisitorId && v.Phone == phone, Ct), "the phone scanned is not kept");
    }

    /// <summary>
    /// VehicleId is stored as sent: a vehicle that does not exist, or one recorded at another committee's checkpoint, is
    /// accepted. Bad input must be a 400 naming the field, and nothing written.
    /// </summary>
    [Fact]
    public async Task Passage_WithAnUnknownVehicle_IsRefused_NamingTheField_AndNothingIsWritten()
    {
        var checkpoint = await CheckpointAsync();
        var id = Guid.CreateVersion7();
        using var response = await PassagesResponseAsync(checkpoint.Id, [Passage(id: id, input: TestData.NewIdNumber(), vehicleId: Guid.NewGuid())]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("Passages[0].VehicleId", out _));
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Passages.AnyAsync(p => p.Id == id, Ct));
    }
}

public sealed class ReviewTests_Sqlite(SqliteAppFactory f) : ReviewTests(f), IClassFixture<SqliteAppFactory>;

public sealed class ReviewTests_Postgres(PostgresAppFactory f) : ReviewTests(f), IClassFixture<PostgresAppFactory>;
