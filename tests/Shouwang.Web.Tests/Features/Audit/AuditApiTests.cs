using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Audit;

public abstract class AuditApiTests(AppFactory factory) : ApiTestBase(factory)
{
    private async Task<(Guid Mine, Guid Sibling)> RevealOnePersonInEachCommunityAsync()
    {
        var (mine, _) = await Data.PersonAsync(await Data.HouseholdAsync(), "本社区");
        var (sibling, _) = await Data.PersonAsync(await Data.HouseholdAsync(TestData.SiblingCommunity), "邻社区");
        foreach (var id in new[] { mine, sibling })
            Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"/api/v1/persons/{id}/reveal", new { field = "DocumentNumber" }, Json, Ct)).StatusCode);
        return (mine, sibling);
    }

    [Fact]
    public async Task List_ForACommunityAdmin_LeavesOutTheSiblingCommunity()
    {
        var (mine, sibling) = await RevealOnePersonInEachCommunityAsync();
        using var admin = await Factory.ClientForAsync(StaffRoles.Admin, TestData.Community);

        var page = await admin.GetFromJsonAsync<Paged<AuditItem>>("/api/v1/audit?action=Reveal&pageSize=200", Json, Ct);

        Assert.Contains(page!.Items, a => a.EntityId == mine.ToString());
        Assert.DoesNotContain(page.Items, a => a.EntityId == sibling.ToString());
        Assert.All(page.Items, a => Assert.Equal(430202005001, a.ScopeCode));
        var direct = await admin.GetFromJsonAsync<Paged<AuditItem>>($"/api/v1/audit?entityId={sibling}", Json, Ct);
        Assert.Equal(0, direct!.Total);

        var street = await Client.GetFromJsonAsync<Paged<AuditItem>>($"/api/v1/audit?entityId={sibling}&entityType=Person", Json, Ct);
        Assert.Contains(street!.Items, a => a.Action == AuditAction.Reveal);
    }

    [Fact]
    public async Task List_IsNewestFirst_AndFiltersByAccountAndDate()
    {
        var actor = await Factory.CreateAccountAsync(StaffRoles.Admin, TestData.Community);
        using var client = await Factory.ClientForAsync(actor);
        var (id, _) = await Data.PersonAsync(await Data.HouseholdAsync(), "按人查");
        await client.PostAsJsonAsync($"/api/v1/persons/{id}/reveal", new { field = "DocumentNumber" }, Json, Ct);
        await client.PostAsJsonAsync($"/api/v1/persons/{id}/reveal", new { field = "Phone" }, Json, Ct);

        var byName = await Client.GetFromJsonAsync<Paged<AuditItem>>($"/api/v1/audit?account={actor.UserName}&action=Reveal", Json, Ct);
        Assert.Equal(["Phone", "DocumentNumber"], byName!.Items.Select(a => a.Summary!).ToArray());
        Assert.True(byName.Items[0].At >= byName.Items[1].At);
        var byId = await Client.GetFromJsonAsync<Paged<AuditItem>>($"/api/v1/audit?account={actor.Id}&action=Reveal", Json, Ct);
        Assert.Equal(2, byId!.Total);

        var today = Factory.Get<LocalClock>().Today().ToString("yyyy-MM-dd");
        var tomorrow = Factory.Get<LocalClock>().Today().AddDays(1).ToString("yyyy-MM-dd");
        Assert.Equal(2, (await Client.GetFromJsonAsync<Paged<AuditItem>>($"/api/v1/audit?account={actor.Id}&action=Reveal&from={today}&to={today}", Json, Ct))!.Total);
        Assert.Equal(0, (await Client.GetFromJsonAsync<Paged<AuditItem>>($"/api/v1/audit?account={actor.Id}&action=Reveal&from={tomorrow}", Json, Ct))!.Total);
        var sinceAnInstant = await Client.GetFromJsonAsync<Paged<AuditItem>>(
            $"/api/v1/audit?account={actor.Id}&action=Reveal&from={Uri.EscapeDataString(byName.Items[0].At.ToString("O"))}", Json, Ct);
        Assert.Equal(1, sinceAnInstant!.Total);
    }

    [Fact]
    public async Task List_BadDate_Is400NamingTheField()
    {
        var response = await Client.GetAsync("/api/v1/audit?from=yesterday&to=2026-13-01", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal(["From", "To"], problem!.Errors.Keys.Order().ToArray());
    }

    [Fact]
    public async Task WithoutViewAudit_Is403()
    {
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        foreach (var client in new[] { worker, observer })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/audit", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/audit/export", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Export_IsXlsxInScope_AndIsItselfAudited()
    {
        var (mine, sibling) = await RevealOnePersonInEachCommunityAsync();
        var admin = await Factory.CreateAccountAsync(StaffRoles.Admin, TestData.Community);
        using var client = await Factory.ClientForAsync(admin);

        var response = await client.GetAsync("/api/v1/audit/export?action=Reveal", Ct);

        Assert.Equal(ExcelExport.ContentType, response.Content.Headers.ContentType!.MediaType);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(rows, r => (string)r["记录"] == mine.ToString() && (string)r["操作"] == "查看完整号码");
        Assert.DoesNotContain(rows, r => (string)r["记录"] == sibling.ToString());
        await using var db = Factory.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditAction.Export && a.AccountId == admin.Id, Ct);
        Assert.Equal(("List:Audit", rows.Count, 430202005001L), (entry.EntityType, entry.RowCount!.Value, entry.ScopeCode));
        Assert.Contains("Reveal", entry.Summary);
    }

    [Fact]
    public async Task TheLog_IsAppendOnly_ThroughTheContextAndInRawSql()
    {
        await RevealOnePersonInEachCommunityAsync();
        await using (var db = Factory.CreateDbContext())
        {
            var entry = await db.AuditEntries.FirstAsync(Ct);
            db.Entry(entry).Property(a => a.Actor).CurrentValue = "someone else";
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        }
        await using (var db = Factory.CreateDbContext())
        {
            db.AuditEntries.Remove(await db.AuditEntries.FirstAsync(Ct));
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        }
        await using (var db = Factory.CreateDbContext())
        {
            var before = await db.AuditEntries.CountAsync(Ct);
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"Actor\"='x'", Ct));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\"", Ct));
            Assert.Equal(before, await db.AuditEntries.CountAsync(Ct));
            Assert.False(await db.AuditEntries.AnyAsync(a => a.Actor == "x", Ct));
        }
    }

    [Fact]
    public void Changes_ReadAsBeforeAndAfter()
    {
        Assert.Equal("Name: 甲 → 乙; Phone: ∅ → 139****0000", AuditChanges.Readable("""{"Name":["甲","乙"],"Phone":[null,"139****0000"]}"""));
        Assert.Equal("", AuditChanges.Readable(null));
    }
}

public sealed class AuditApiTests_Sqlite(SqliteAppFactory factory) : AuditApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class AuditApiTests_Postgres(PostgresAppFactory factory) : AuditApiTests(factory), IClassFixture<PostgresAppFactory>;
