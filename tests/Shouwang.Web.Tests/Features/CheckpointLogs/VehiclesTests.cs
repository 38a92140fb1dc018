using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Checkpoints;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Checkpoints;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.CheckpointLogs;

public abstract class VehiclesTests(AppFactory factory) : ApiTestBase(factory)
{
    // A 1×1 PNG, as a signature pad would send it (smaller, but the same kind).
    private const string Signature = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static object Vehicle(Guid? id = null, string plate = "湘a 12345", bool through = true, string? signature = Signature, string? name = "赵司机",
        string? phone = "13912345678", int occupants = 3, DateTimeOffset? at = null) => new
    {
        id = id ?? Guid.NewGuid(), at = at ?? DateTimeOffset.UtcNow, kind = "Entry", plate, occupants, originCode = "420102", destination = "广州",
        throughTraffic = through, commitmentSignerName = name, commitmentSignerPhone = phone, commitmentSignature = signature,
    };

    [Fact]
    public async Task ThroughTraffic_WithCommitment_IsRecorded_ListedMasked_AndPrintable()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory, CheckpointKind.TrafficHealthPoint);
        var id = Guid.NewGuid();
        var response = await Client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", Vehicle(id), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = await response.Content.ReadFromJsonAsync<VehicleRecorded>(Json, Ct);
        Assert.False(recorded!.Duplicate);
        Assert.Equal($"/checkpoints/vehicles/{id}/commitment", recorded.CommitmentUrl);

        await using (var db = Factory.CreateDbContext())
        {
            var stored = await db.Vehicles.SingleAsync(v => v.Id == id, Ct);
            Assert.Equal("湘A12345", stored.Plate);
            Assert.Equal(checkpoint.CommunityCode, stored.CommunityCode);
            Assert.Equal("13912345678", stored.CommitmentSignerPhone);
            Assert.NotNull(stored.CommitmentSignedAt);
        }

        var list = await Client.GetFromJsonAsync<Paged<VehicleItem>>($"/api/v1/checkpoints/{checkpoint.Id}/vehicles?plate=A123", Json, Ct);
        var item = Assert.Single(list!.Items);
        Assert.Equal("139****5678", item.SignerPhoneMasked);
        Assert.Equal("赵*机", item.SignerNameMasked);
        Assert.True(item.HasCommitment);

        using var console = await Factory.ConsoleClientAsync(await Factory.CreateAccountAsync(StaffRoles.CheckpointGuard, CheckpointLogData.Community));
        var page = await console.GetAsync(recorded.CommitmentUrl, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("闭环管理承诺书", html);
        Assert.Contains("湘A12345", html);
        Assert.Contains("139****5678", html);
        Assert.DoesNotContain("13912345678", html);
        Assert.Contains("src=\"data:image/png;base64,", html);
        Assert.Contains("@media print", html);
    }

    [Fact]
    public async Task NewEnergyPlate_IsAccepted()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory, CheckpointKind.VillageRoad);
        var response = await Client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", Vehicle(plate: "湘AD12345", through: false, signature: null, name: null, phone: null), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await response.Content.ReadFromJsonAsync<VehicleRecorded>(Json, Ct))!.CommitmentUrl);
    }

    [Fact]
    public async Task ThroughTraffic_WithoutSignature_Is400NamingTheField_AndNothingIsStored()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory, CheckpointKind.TrafficHealthPoint);
        var id = Guid.NewGuid();
        var response = await Client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", Vehicle(id, signature: null, phone: "12345"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct);
        Assert.Contains("CommitmentSignature", problem!.Errors.Keys);
        Assert.Contains("CommitmentSignerPhone", problem.Errors.Keys);
        Assert.Contains("签名", problem.Errors["CommitmentSignature"][0]);

        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (Vehicle(plate: "ABC123"), "Plate"),
            (Vehicle(occupants: 0), "Occupants"),
            (Vehicle(occupants: 61), "Occupants"),
            (Vehicle(at: DateTimeOffset.UtcNow.AddMinutes(10)), "At"),
            (Vehicle(signature: "data:image/jpeg;base64,AAAA"), "CommitmentSignature"),
            (Vehicle(signature: "data:image/png;base64," + new string('A', 210_000)), "CommitmentSignature"),
            (Vehicle(name: " "), "CommitmentSignerName"),
        })
        {
            var bad = await Client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains(field, (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors.Keys);
        }
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Vehicles.AnyAsync(v => v.CheckpointId == checkpoint.Id, Ct));
    }

    [Fact]
    public async Task SameId_Twice_IsOneVehicle()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory, CheckpointKind.TrafficHealthPoint);
        var body = Vehicle(Guid.NewGuid());
        var first = await (await Client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", body, Ct)).Content.ReadFromJsonAsync<VehicleRecorded>(Json, Ct);
        var second = await Client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", body, Ct);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var again = await second.Content.ReadFromJsonAsync<VehicleRecorded>(Json, Ct);
        Assert.False(first!.Duplicate);
        Assert.True(again!.Duplicate);
        Assert.Equal(first.CommitmentUrl, again.CommitmentUrl);
        await using var db = Factory.CreateDbContext();
        Assert.Equal(1, await db.Vehicles.CountAsync(v => v.CheckpointId == checkpoint.Id, Ct));
    }

    [Fact]
    public async Task SiblingCommunity_Gets404_AndObserver403()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory, CheckpointKind.TrafficHealthPoint);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", Vehicle(id), Ct)).StatusCode);

        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, CheckpointLogData.SiblingCommunity);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", Vehicle(), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", Ct)).StatusCode);
        var siblingAccount = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, CheckpointLogData.SiblingCommunity);
        using var siblingConsole = await Factory.ConsoleClientAsync(siblingAccount);
        var page = await siblingConsole.GetAsync($"/checkpoints/vehicles/{id}/commitment", Ct);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("湘A12345", await page.Content.ReadAsStringAsync(Ct));

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, CheckpointLogData.Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint.Id}/vehicles", Vehicle(), Ct)).StatusCode);
        await using var db = Factory.CreateDbContext();
        Assert.Equal(1, await db.Vehicles.CountAsync(v => v.CheckpointId == checkpoint.Id, Ct));
    }
}

public sealed class VehiclesTests_Sqlite(SqliteAppFactory f) : VehiclesTests(f), IClassFixture<SqliteAppFactory>;
public sealed class VehiclesTests_Postgres(PostgresAppFactory f) : VehiclesTests(f), IClassFixture<PostgresAppFactory>;
