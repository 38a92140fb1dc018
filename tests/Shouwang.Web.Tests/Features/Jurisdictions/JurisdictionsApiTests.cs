using System.Net;
using System.Net.Http.Json;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.People;
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
    public async Task Provinces_AreShippedWithTheApp()
    {
        var roots = await Client.GetFromJsonAsync<List<Crumb>>("/api/v1/jurisdictions", Json, Ct);
        Assert.Equal(31, roots!.Count);
        Assert.Contains(roots, r => r.Code == "43" && r.Name == "湖南省");
    }
}

public sealed class JurisdictionsApiTests_Sqlite(SqliteAppFactory factory) : JurisdictionsApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class JurisdictionsApiTests_Postgres(PostgresAppFactory factory) : JurisdictionsApiTests(factory), IClassFixture<PostgresAppFactory>;
