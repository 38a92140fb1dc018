using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Features.Registry;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Registry;

public abstract class HouseholdsApiTests(AppFactory factory) : ApiTestBase(factory)
{
    [Fact]
    public async Task CreateHousehold_FromCompoundBuildingUnitDoor_ComposesTheAddress()
    {
        var grid = await Data.GridAsync();
        var compound = await PostAsync<CompoundItem>($"/api/v1/communities/{TestData.Community}/compounds", new { name = $"幸福{Guid.NewGuid():N}"[..8] + "小区" });
        var building = await PostAsync<BuildingItem>($"/api/v1/compounds/{compound.Id}/buildings", new { name = "3" });

        var response = await Client.PostAsJsonAsync("/api/v1/households", new
        {
            communityCode = TestData.Community, gridId = grid.Id, compoundId = compound.Id, buildingId = building.Id, unit = "2", doorNumber = "502",
        }, Json, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var saved = await response.Content.ReadFromJsonAsync<SavedHousehold>(Json, Ct);
        var household = await Client.GetFromJsonAsync<HouseholdDetails>($"/api/v1/households/{saved!.Id}", Json, Ct);
        Assert.Equal($"{compound.Name}3栋2单元502室", household!.Address);
        Assert.Equal(grid.Name, household.GridName);
    }

    [Fact]
    public async Task CreateHousehold_GridOfAnotherCommunity_IsRejectedAndNothingWritten()
    {
        var foreignGrid = await Data.GridAsync(TestData.SiblingCommunity);
        var before = await CountAsync();

        var response = await Client.PostAsJsonAsync("/api/v1/households", new { communityCode = TestData.Community, gridId = foreignGrid.Id, address = "某地1号" }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal("请选择本社区的网格。", Assert.Single(problem!.Errors["GridId"]));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task CreateHousehold_NotACommitteeCode_IsRejected()
    {
        var grid = await Data.GridAsync();
        var response = await Client.PostAsJsonAsync("/api/v1/households", new { communityCode = TestData.Street, gridId = grid.Id, address = "某地2号" }, Json, Ct);

        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Contains("CommunityCode", problem!.Errors.Keys);
    }

    [Fact]
    public async Task UpdateHousehold_ToAnotherGrid_MovesItsMembersWithIt()
    {
        var household = await Data.HouseholdAsync();
        var (personId, _) = await Data.PersonAsync(household, "跟随者");
        var otherGrid = await Data.GridAsync(TestData.SiblingCommunity);

        var response = await Client.PutAsJsonAsync($"/api/v1/households/{household}", new { communityCode = TestData.SiblingCommunity, gridId = otherGrid.Id, address = "流芳路8号" }, Json, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var person = await Client.GetFromJsonAsync<PersonDetails>($"/api/v1/persons/{personId}", Json, Ct);
        Assert.Equal(TestData.SiblingCommunity, person!.CommunityCode);
        Assert.Equal(otherGrid.Id, person.GridId);
    }

    [Fact]
    public async Task SearchHouseholds_ByHeadName_ListsMembersAndTags()
    {
        var household = await Data.HouseholdAsync();
        var head = "户主" + Guid.NewGuid().ToString("N")[..4];
        await Data.PersonAsync(household, head);
        await Data.PersonAsync(household, "成员", tags: Domain.People.VulnerabilityTags.Bedridden, relation: Domain.People.RelationToHead.Parent);

        var page = await Client.GetFromJsonAsync<Paged<HouseholdListItem>>($"/api/v1/households?q={Uri.EscapeDataString(head)}", Json, Ct);

        var item = Assert.Single(page!.Items);
        Assert.Equal(head, item.HeadName);
        Assert.Equal(2, item.MemberCount);
        Assert.Equal(Domain.People.VulnerabilityTags.Bedridden, item.MemberTags);
    }

    [Fact]
    public async Task Grids_DuplicateNameOrTwoLeaders_AreRefused()
    {
        var name = $"重名{Guid.NewGuid():N}"[..8];
        await Data.GridAsync(name: name);

        var duplicate = await Client.PostAsJsonAsync($"/api/v1/communities/{TestData.Community}/grids", new { name, staff = Array.Empty<object>() }, Json, Ct);
        var twoLeaders = await Client.PostAsJsonAsync($"/api/v1/communities/{TestData.Community}/grids", new
        {
            name = name + "b", staff = new[] { new { name = "甲", role = "Leader" }, new { name = "乙", role = "Leader" } },
        }, Json, Ct);

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, twoLeaders.StatusCode);
    }

    [Fact]
    public async Task Compounds_OfAStreetOrUnknownCommittee_Are404()
    {
        var notACommittee = await Client.GetAsync("/api/v1/communities/430202005/compounds", Ct);
        Assert.Equal(HttpStatusCode.NotFound, notACommittee.StatusCode);
        var create = await Client.PostAsJsonAsync("/api/v1/communities/430202005999/compounds", new { name = "不存在" }, Json, Ct);
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
        Assert.Equal("请选择有效的社区或村（12 位区划代码）。", (await create.Content.ReadFromJsonAsync<ProblemDetails>(Json, Ct))!.Title);
    }

    private async Task<T> PostAsync<T>(string url, object body)
    {
        var response = await Client.PostAsJsonAsync(url, body, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<T>(Json, Ct))!;
    }

    private async Task<int> CountAsync()
    {
        await using var db = Factory.CreateDbContext();
        return await db.Households.CountAsync(Ct);
    }
}

public sealed class HouseholdsApiTests_Sqlite(SqliteAppFactory factory) : HouseholdsApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class HouseholdsApiTests_Postgres(PostgresAppFactory factory) : HouseholdsApiTests(factory), IClassFixture<PostgresAppFactory>;
