using System.Net;
using System.Net.Http.Json;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.People;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Jurisdictions;

public abstract class JurisdictionsApiTests(AppFactory factory) : ApiTestBase(factory)
{
    [Fact]
    public async Task Street_ListsItsRealCommitteesWithPath()
    {
        var node = await Client.GetFromJsonAsync<JurisdictionNode>("/api/v1/jurisdictions/430202005", Json, Ct);

        Assert.Equal("金山街道", node!.Name);
        Assert.Equal(JurisdictionLevel.Town, node.Level);
        Assert.Equal(["湖南省", "株洲市", "荷塘区"], node.Path.Select(p => p.Name).ToArray());
        Assert.Equal(8, node.Children.Count);
        Assert.Contains(node.Children, c => c.Code == "430202005001" && c.Name == "晏家湾社区居委会");
        Assert.Contains(node.Children, c => c.Code == "430202005205" && c.Name == "新市村委会");
    }

    [Fact]
    public async Task Counts_EqualTheRowsBelowEachNode()
    {
        // Its own committee, so other tests of the class can't move the numbers.
        const string committee = "430202005203";
        var grid = await Data.GridAsync(committee);
        var first = await Data.HouseholdAsync(committee, grid.Id);
        var second = await Data.HouseholdAsync(committee, grid.Id);
        await Data.PersonAsync(first, "甲", tags: VulnerabilityTags.Bedridden | VulnerabilityTags.Disabled);
        await Data.PersonAsync(first, "乙", relation: RelationToHead.Spouse);
        await Data.PersonAsync(second, "丙", tags: VulnerabilityTags.Bedridden);

        var street = await Client.GetFromJsonAsync<JurisdictionNode>("/api/v1/jurisdictions/430202005", Json, Ct);
        var child = Assert.Single(street!.Children, c => c.Code == committee);
        Assert.Equal(2, child.Counts.Households);
        Assert.Equal(3, child.Counts.Persons);
        Assert.Equal(2, child.Counts.ByTag[VulnerabilityTags.Bedridden]);
        Assert.Equal(1, child.Counts.ByTag[VulnerabilityTags.Disabled]);
        Assert.False(child.Counts.ByTag.ContainsKey(VulnerabilityTags.Dialysis));

        var node = await Client.GetFromJsonAsync<JurisdictionNode>($"/api/v1/jurisdictions/{committee}", Json, Ct);
        Assert.Equal(3, node!.Counts.Persons);
        Assert.Empty(node.Children);
        Assert.True(street.Counts.Persons >= 3);
    }

    [Theory]
    [InlineData("430202005998")]
    [InlineData("12345")]
    [InlineData("abc")]
    public async Task UnknownOrMalformedCode_Is404(string code)
    {
        var response = await Client.GetAsync($"/api/v1/jurisdictions/{code}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Export_ListsTheChildrenWithTheirCounts()
    {
        var response = await Client.GetAsync("/api/v1/jurisdictions/430202005/export", Ct);

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        var rows = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(8, rows.Count);
        Assert.Equal("晏家湾社区居委会", rows[0]["名称"]);
        Assert.True(rows[0].ContainsKey("人数") && rows[0].ContainsKey("卧床"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/jurisdictions/99/export", Ct)).StatusCode);
    }

    [Fact]
    public async Task Provinces_AreShippedWithTheApp_AndRootsAreWhatTheCallerCovers()
    {
        await using (var db = Factory.CreateDbContext())
            Assert.Equal(31, await db.Jurisdictions.CountAsync(j => j.ParentCode == null, Ct));

        var roots = await Client.GetFromJsonAsync<List<Crumb>>("/api/v1/jurisdictions", Json, Ct);
        var root = Assert.Single(roots!);
        Assert.Equal(("43", "湖南省"), (root.Code, root.Name));

        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var workerRoots = await worker.GetFromJsonAsync<List<Crumb>>("/api/v1/jurisdictions", Json, Ct);
        Assert.Equal([TestData.Community], workerRoots!.Select(r => r.Code).ToArray());
    }

    [Fact]
    public async Task NodesOutsideTheCallersSubtree_Are404()
    {
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);

        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync($"/api/v1/jurisdictions/{TestData.Community}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync($"/api/v1/jurisdictions/{TestData.SiblingCommunity}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync($"/api/v1/jurisdictions/{TestData.Street}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/jurisdictions/11", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/jurisdictions/11/export", Ct)).StatusCode);
    }

    [Fact]
    public async Task Export_IsAuditedWithItsRowCount()
    {
        var response = await Client.GetAsync("/api/v1/jurisdictions/430202005/export", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using var db = Factory.CreateDbContext();
        var entry = await db.AuditEntries.Where(a => a.Action == AuditAction.Export && a.EntityType == "List:JurisdictionChildren" && a.EntityId == "430202005")
            .OrderByDescending(a => a.At).FirstAsync(Ct);
        Assert.Equal(8, entry.RowCount);
        Assert.Equal(430202005000, entry.ScopeCode);
    }
}

public sealed class JurisdictionsApiTests_Sqlite(SqliteAppFactory factory) : JurisdictionsApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class JurisdictionsApiTests_Postgres(PostgresAppFactory factory) : JurisdictionsApiTests(factory), IClassFixture<PostgresAppFactory>;
