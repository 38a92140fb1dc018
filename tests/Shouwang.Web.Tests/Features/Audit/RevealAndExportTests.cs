using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Audit;

public abstract class RevealAndExportTests(AppFactory factory) : ApiTestBase(factory)
{
    private async Task<int> RevealsOfAsync(Guid personId)
    {
        await using var db = Factory.CreateDbContext();
        var id = personId.ToString();
        return await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Reveal && a.EntityId == id, Ct);
    }

    [Fact]
    public async Task Reveal_ReturnsTheWholeNumber_AndWritesExactlyOneEntry()
    {
        var household = await Data.HouseholdAsync();
        var (id, document) = await Data.PersonAsync(household, "显示人", phone: "13512345678");
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);

        var response = await worker.PostAsJsonAsync($"/api/v1/persons/{id}/reveal", new { field = "DocumentNumber" }, Json, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(document, (await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("value").GetString());
        await using var db = Factory.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditAction.Reveal && a.EntityId == id.ToString(), Ct);
        Assert.Equal(("Person", 430202005001L, "DocumentNumber"), (entry.EntityType, entry.ScopeCode, entry.Summary));
        Assert.NotNull(entry.AccountId);

        var phone = await worker.PostAsJsonAsync($"/api/v1/persons/{id}/reveal", new { field = "Phone" }, Json, Ct);
        Assert.Equal("13512345678", (await phone.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("value").GetString());
        Assert.Equal(2, await RevealsOfAsync(id));
    }

    [Fact]
    public async Task Reveal_UnknownField_Is400NamingTheField_AndNothingAudited()
    {
        var (id, _) = await Data.PersonAsync(await Data.HouseholdAsync(), "坏字段");

        var response = await Client.PostAsJsonAsync($"/api/v1/persons/{id}/reveal", new { field = "Address" }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Field", (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct))!.Errors.Keys);
        Assert.Equal(0, await RevealsOfAsync(id));
    }

    [Fact]
    public async Task Reveal_ByObserver_Is403_AndNothingAudited()
    {
        var (id, _) = await Data.PersonAsync(await Data.HouseholdAsync(), "观察对象");
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);

        var response = await observer.PostAsJsonAsync($"/api/v1/persons/{id}/reveal", new { field = "DocumentNumber" }, Json, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await RevealsOfAsync(id));
    }

    [Fact]
    public async Task Reveal_OfASiblingCommunityPerson_Is404_AndNothingAudited()
    {
        var (id, document) = await Data.PersonAsync(await Data.HouseholdAsync(TestData.SiblingCommunity), "邻居");
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);

        var response = await worker.PostAsJsonAsync($"/api/v1/persons/{id}/reveal", new { field = "DocumentNumber" }, Json, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(document, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, await RevealsOfAsync(id));
    }

    [Fact]
    public async Task PersonExport_WritesAnExportEntryWithTheRowCountAndFilter()
    {
        var grid = await Data.GridAsync();
        var household = await Data.HouseholdAsync(gridId: grid.Id);
        await Data.PersonAsync(household, "导出甲");
        await Data.PersonAsync(household, "导出乙", relation: Shouwang.Domain.People.RelationToHead.Spouse);
        var admin = await Factory.CreateAccountAsync(StaffRoles.Admin, TestData.Street);
        using var client = await Factory.ClientForAsync(admin);

        var response = await client.GetAsync($"/api/v1/persons/export?gridId={grid.Id}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = Factory.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditAction.Export && a.AccountId == admin.Id, Ct);
        Assert.Equal(("List:Persons", 2), (entry.EntityType, entry.RowCount));
        Assert.Equal(430202005000, entry.ScopeCode);
        Assert.Contains(grid.Id.ToString(), entry.Summary);
    }

    [Fact]
    public async Task HouseholdExport_WritesAnExportEntryWithTheRowCount()
    {
        var grid = await Data.GridAsync();
        await Data.HouseholdAsync(gridId: grid.Id);
        var admin = await Factory.CreateAccountAsync(StaffRoles.Admin, TestData.Street);
        using var client = await Factory.ClientForAsync(admin);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/households/export?gridId={grid.Id}", Ct)).StatusCode);

        await using var db = Factory.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditAction.Export && a.AccountId == admin.Id, Ct);
        Assert.Equal(("List:Households", 1), (entry.EntityType, entry.RowCount));
    }
}

public sealed class RevealAndExportTests_Sqlite(SqliteAppFactory factory) : RevealAndExportTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class RevealAndExportTests_Postgres(PostgresAppFactory factory) : RevealAndExportTests(factory), IClassFixture<PostgresAppFactory>;
