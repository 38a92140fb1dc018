using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Registry;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Access;

/// <summary>
/// Every registry endpoint, called by a clerk of the sibling community and by a read-only observer: the first gets
/// nothing of 晏家湾's data, the second can't change anything, and neither leaves a trace of a leak in the audit log.
/// </summary>
public abstract class RegistryScopeTests(AppFactory factory) : ApiTestBase(factory)
{
    private const string Secret = "欧阳保密";

    private sealed record Arranged(Guid GridId, Guid HouseholdId, Guid PersonId, string Document, Guid CompoundId);

    private async Task<Arranged> ArrangeAsync()
    {
        var grid = await Data.GridAsync(TestData.Community);
        var household = await Data.HouseholdAsync(TestData.Community, grid.Id, $"保密小区{Guid.NewGuid():N}"[..12]);
        var (person, document) = await Data.PersonAsync(household, Secret, "13900001111");
        await using var db = Factory.CreateDbContext();
        var compound = new Domain.Registry.Compound { CommunityCode = long.Parse(TestData.Community), Name = $"保密{Guid.NewGuid():N}"[..10] };
        db.Compounds.Add(compound);
        await db.SaveChangesAsync(Ct);
        return new Arranged(grid.Id, household, person, document, compound.Id);
    }

    private static IEnumerable<(string Method, string Url, object? Body)> ReadsAndWrites(Arranged a) =>
    [
        ("GET", $"/api/v1/persons/{a.PersonId}", null),
        ("GET", $"/api/v1/persons?q={Uri.EscapeDataString(Secret)}", null),
        ("GET", $"/api/v1/persons?q={a.Document}", null),
        ("GET", $"/api/v1/persons?jurisdiction={TestData.Community}", null),
        ("GET", $"/api/v1/persons/export?q={Uri.EscapeDataString(Secret)}", null),
        ("GET", $"/api/v1/households/{a.HouseholdId}", null),
        ("GET", $"/api/v1/households?jurisdiction={TestData.Community}", null),
        ("GET", $"/api/v1/households/export?jurisdiction={TestData.Community}", null),
        ("GET", $"/api/v1/communities/{TestData.Community}/grids", null),
        ("GET", $"/api/v1/communities/{TestData.Community}/compounds", null),
        ("GET", $"/api/v1/compounds/{a.CompoundId}/buildings", null),
        ("GET", $"/api/v1/jurisdictions/{TestData.Community}", null),
        ("GET", $"/api/v1/jurisdictions/{TestData.Street}/export", null),
        ("PUT", $"/api/v1/persons/{a.PersonId}", new { documentNumber = a.Document, name = "改名", householdId = a.HouseholdId }),
        ("POST", "/api/v1/persons", new { documentNumber = TestData.NewIdNumber(), name = "新人", householdId = a.HouseholdId }),
        ("PUT", $"/api/v1/households/{a.HouseholdId}", new { communityCode = TestData.Community, gridId = a.GridId, address = "改地址1号" }),
        ("POST", "/api/v1/households", new { communityCode = TestData.Community, gridId = a.GridId, address = "新地址1号" }),
        ("POST", $"/api/v1/communities/{TestData.Community}/grids", new { name = "越权网格" }),
        ("POST", $"/api/v1/communities/{TestData.Community}/compounds", new { name = "越权小区" }),
        ("POST", $"/api/v1/compounds/{a.CompoundId}/buildings", new { name = "9" }),
        ("POST", $"/api/v1/persons/{a.PersonId}/reveal", new { field = "DocumentNumber" }),
        ("POST", $"/api/v1/persons/{a.PersonId}/reveal", new { field = "Phone" }),
        ("GET", $"/api/v1/persons/{a.PersonId}/restrictions", null),
        ("GET", $"/api/v1/persons/{a.PersonId}/restriction-status", null),
        ("POST", $"/api/v1/persons/{a.PersonId}/restrictions", new { kind = "StatusColour", colour = "Red", reason = "越权赋码测试", basis = "Other" }),
    ];

    [Fact]
    public async Task SiblingCommunityClerk_GetsNothingFromAnyRegistryEndpoint()
    {
        var a = await ArrangeAsync();
        var sibling = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        using var client = await Factory.ClientForAsync(sibling);
        var before = await FingerprintAsync(a);

        foreach (var (method, url, body) in ReadsAndWrites(a))
        {
            using var response = await SendAsync(client, method, url, body);
            var text = await response.Content.ReadAsStringAsync(Ct);
            // Either refused outright, or an answer that holds none of 晏家湾's rows.
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest
                || (response.IsSuccessStatusCode && method == "GET"), $"{method} {url}: {(int)response.StatusCode} {text}");
            Assert.DoesNotContain(Secret, text);
            Assert.DoesNotContain(a.Document[^6..], text);
            Assert.DoesNotContain(a.PersonId.ToString(), text);
            if (response.IsSuccessStatusCode && url.Contains("/export", StringComparison.Ordinal))
                Assert.DoesNotContain(Secret, await ReadWorkbookTextAsync(response));
        }

        Assert.Equal(before, await FingerprintAsync(a));
        await using var db = Factory.CreateDbContext();
        // No reveal, and no write of anything in 晏家湾 by the sibling clerk.
        Assert.False(await db.AuditEntries.AnyAsync(e => e.AccountId == sibling.Id && (e.Action == AuditAction.Reveal
            || e.ScopeCode == long.Parse(TestData.Community) && e.Action != AuditAction.Export), Ct));
    }

    [Fact]
    public async Task Observer_CanReadButEveryWriteIsForbidden()
    {
        var a = await ArrangeAsync();
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        var before = await FingerprintAsync(a);

        foreach (var (method, url, body) in ReadsAndWrites(a).Where(r => r.Method != "GET"))
        {
            using var response = await SendAsync(observer, method, url, body);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {url}: {(int)response.StatusCode}");
        }
        var person = await observer.GetFromJsonAsync<PersonDetails>($"/api/v1/persons/{a.PersonId}", Json, Ct);
        Assert.Equal(Secret, person!.Name);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.GetAsync($"/api/v1/persons/export?q={Uri.EscapeDataString(Secret)}", Ct)).StatusCode);
        Assert.Equal(before, await FingerprintAsync(a));
    }

    [Fact]
    public async Task GridWorker_SeesOnlyTheirGrid()
    {
        var a = await ArrangeAsync();
        var otherGrid = await Data.GridAsync(TestData.Community);
        var otherHousehold = await Data.HouseholdAsync(TestData.Community, otherGrid.Id);
        var (otherPerson, _) = await Data.PersonAsync(otherHousehold, "隔壁网格人");
        using var worker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, a.GridId);

        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync($"/api/v1/persons/{a.PersonId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync($"/api/v1/persons/{otherPerson}", Ct)).StatusCode);
        var list = await worker.GetFromJsonAsync<Infrastructure.PagedPersons>($"/api/v1/persons?jurisdiction={TestData.Community}&pageSize=100", Json, Ct);
        Assert.All(list!.Items, p => Assert.Equal(a.GridId, p.GridId));
    }

    [Fact]
    public async Task Anonymous_GetsUnauthorizedFromTheApi_AndTheSignInPageFromTheConsole()
    {
        using var anonymous = Factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/persons", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/jurisdictions", Ct)).StatusCode);
        var page = await anonymous.GetAsync("/persons", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task<string> FingerprintAsync(Arranged a)
    {
        await using var db = Factory.CreateDbContext();
        var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == a.PersonId, Ct);
        var household = await db.Households.AsNoTracking().SingleAsync(h => h.Id == a.HouseholdId, Ct);
        var counts = $"{await db.Persons.CountAsync(Ct)}/{await db.Households.CountAsync(Ct)}/{await db.Grids.CountAsync(Ct)}/{await db.Compounds.CountAsync(Ct)}/{await db.Buildings.CountAsync(Ct)}/{await db.Restrictions.CountAsync(Ct)}";
        return $"{person.Name}|{person.UpdatedAt:O}|{household.Address}|{household.UpdatedAt:O}|{counts}";
    }

    private static async Task<string> ReadWorkbookTextAsync(HttpResponseMessage response)
    {
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        var rows = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: false).Cast<IDictionary<string, object?>>();
        return string.Join("\n", rows.Select(r => string.Join("\t", r.Values)));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url, object? body) => method switch
    {
        "GET" => client.GetAsync(url, Ct),
        "PUT" => client.PutAsJsonAsync(url, body, Json, Ct),
        _ => client.PostAsJsonAsync(url, body, Json, Ct),
    };
}

public sealed class RegistryScopeTests_Sqlite(SqliteAppFactory factory) : RegistryScopeTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class RegistryScopeTests_Postgres(PostgresAppFactory factory) : RegistryScopeTests(factory), IClassFixture<PostgresAppFactory>;
