using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Platform;

public sealed class PlatformTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task OpenApiDocument_DescribesEveryRegistryEndpoint()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json", Ct));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        foreach (var path in new[]
        {
            "/api/v1/persons", "/api/v1/persons/{id}", "/api/v1/persons/export", "/api/v1/households", "/api/v1/households/{id}",
            "/api/v1/jurisdictions/{code}", "/api/v1/communities/{code}/grids", "/api/v1/communities/{code}/compounds",
            "/api/v1/compounds/{id}/buildings", "/api/v1/communities/{code}/roster-imports",
        })
        {
            Assert.Contains(path, paths);
        }
        var search = document.RootElement.GetProperty("paths").GetProperty("/api/v1/persons").GetProperty("get");
        Assert.Equal("SearchPersons", search.GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task InteractiveApiPage_IsServed()
    {
        var response = await Client.GetAsync("/api-docs/index.html", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Console_RendersInChineseByDefault_AndEnglishByCookie()
    {
        var chinese = await Client.GetStringAsync("/jurisdictions/430202005", Ct);
        Assert.Contains("金山街道", chinese);
        Assert.Contains("lang=\"zh-CN\"", chinese);
        Assert.Contains(WebUtility.HtmlEncode("居民"), chinese);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/jurisdictions/430202005");
        request.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");
        var english = await (await Client.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("lang=\"en\"", english);
        Assert.Contains("Residents", english);
    }

    [Fact]
    public async Task CultureSwitch_OnlyRedirectsToLocalPaths()
    {
        var client = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var local = await client.GetAsync("/culture?culture=en&redirect=%2Fpersons", Ct);
        var foreign = await client.GetAsync("/culture?culture=en&redirect=%2F%2Fevil.example", Ct);

        Assert.Equal("/persons", local.Headers.Location!.OriginalString);
        Assert.Equal("/", foreign.Headers.Location!.OriginalString);
        Assert.Contains(local.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_context_from_the_pool_is_bound_to_the_caller_it_is_handed_to_not_the_one_before()
    {
        var (here, _) = await Data.PersonAsync(await Data.HouseholdAsync());
        var (there, _) = await Data.PersonAsync(await Data.HouseholdAsync(TestData.SiblingCommunity));
        var contexts = Factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

        // Contexts that saw everything, each narrowed to the sibling committee and writing without audit, back to the pool.
        var used = new List<AppDbContext>();
        using (CallerContext.AsSystem())
        {
            for (var i = 0; i < 8; i++) used.Add(contexts.CreateDbContext());
            foreach (var db in used)
            {
                db.NarrowTo(JurisdictionCode.Parse(TestData.SiblingCommunity));
                db.AuditEntityWrites = false;
                Assert.True(await db.Persons.AnyAsync(p => p.Id == there, Ct));
            }
            foreach (var db in used) await db.DisposeAsync();
        }

        var (min, max) = JurisdictionCode.Parse(TestData.Community).SubtreeRange;
        var clerk = new Caller(Guid.NewGuid(), "社区工作人员", StaffRoles.CommunityWorker, TestData.Community, min, max, null);
        var leased = new List<AppDbContext>();
        using (CallerContext.Use(clerk))
        {
            // The pool hands out its oldest idle contexts first, and the class's other tests may have left some there: lease
            // until all eight narrowed ones have come back (the pool holds at most 1,024).
            bool Back(AppDbContext u) => leased.Any(l => ReferenceEquals(l, u));
            while (!used.All(Back) && leased.Count < 2_000) leased.Add(contexts.CreateDbContext());
            Assert.All(used, u => Assert.True(Back(u), "a narrowed context did not come back from the pool"));
            foreach (var db in used)
            {
                Assert.Equal(clerk, db.Caller);
                Assert.Equal((min, max), db.ScopeRange);
                Assert.True(db.AuditEntityWrites);
                Assert.True(await db.Persons.AnyAsync(p => p.Id == here, Ct));
                Assert.False(await db.Persons.AnyAsync(p => p.Id == there, Ct));
            }
            foreach (var db in leased) await db.DisposeAsync();
        }

        // Signed out: the same pool gives a context that sees no one.
        using (CallerContext.Use(Caller.Nobody))
        {
            await using var db = contexts.CreateDbContext();
            Assert.False(await db.Persons.AnyAsync(Ct));
        }
    }

    [Fact]
    public async Task ScriptInAName_IsShownAsText()
    {
        await using (var db = Factory.CreateDbContext())
        {
            // Written around the validation, as an old import might have, to prove the page escapes it.
            var household = await Data.HouseholdAsync();
            db.Persons.Add(new Domain.People.Person
            {
                DocumentNumber = TestData.NewIdNumber(), Name = "<script>alert(1)</script>", HouseholdId = household,
                CommunityCode = long.Parse(TestData.Community), CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }

        var html = await Client.GetStringAsync("/persons?q=script", Ct);

        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public async Task ImportDivisions_FromAFolder_UpsertsByCode()
    {
        var folder = Directory.CreateTempSubdirectory("divisions").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "streets.csv"), "code,name,areaCode,provinceCode,cityCode\n430202005,\"金山街道（新名）\",430202,43,4302\n", Ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "villages.csv"), "code,name,streetCode,provinceCode,cityCode,areaCode\n430202005206,\"测试新村委会\",430202005,43,4302,430202\n", Ct);

        var count = await Factory.Get<DivisionImporter>().ImportFolderAsync(folder, Ct);
        await Factory.Get<DivisionImporter>().ImportFolderAsync(folder, Ct);

        Assert.Equal(2, count);
        await using var db = Factory.CreateDbContext();
        Assert.Equal("测试新村委会", (await db.Jurisdictions.SingleAsync(j => j.Code == "430202005206", Ct)).Name);
        Assert.Equal("430202005", (await db.Jurisdictions.SingleAsync(j => j.Code == "430202005206", Ct)).ParentCode);
        Assert.Equal(1, await db.Jurisdictions.CountAsync(j => j.Code == "430202005", Ct));
        await Factory.Get<DivisionImporter>().ImportEmbeddedAsync(Ct);
    }

    [Fact]
    public async Task ImportDivisions_MalformedRow_ChangesNothing()
    {
        var folder = Directory.CreateTempSubdirectory("divisions").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "villages.csv"), "code,name\n430202005207,\"好行\"\nnot-a-code,\"坏行\"\n", Ct);

        await Assert.ThrowsAsync<FormatException>(() => Factory.Get<DivisionImporter>().ImportFolderAsync(folder, Ct));

        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Jurisdictions.AnyAsync(j => j.Code == "430202005207", Ct));
    }
}
