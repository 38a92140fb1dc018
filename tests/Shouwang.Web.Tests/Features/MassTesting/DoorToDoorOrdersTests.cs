using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Features.FollowUps;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

public abstract class DoorToDoorOrdersTests(AppFactory factory) : ApiTestBase(factory)
{
    /// <summary>A committee only this suite uses.</summary>
    private const string Committee = "430202006219";

    private sealed record Arranged(Guid RoundId, DateTime EndsAt, Guid Bedridden, Guid Quarantined, Guid Plain, Guid SampledLimited, Guid ExemptBedridden,
        Dictionary<Guid, Guid> GridOf);

    private async Task<Arranged> ArrangeAsync()
    {
        var gridA = (await Data.GridAsync(Committee)).Id;
        var gridB = (await Data.GridAsync(Committee)).Id;
        var homeA = await Data.HouseholdAsync(Committee, gridA, $"上门小区1栋-{Guid.NewGuid():N}"[..20]);
        var homeB = await Data.HouseholdAsync(Committee, gridB, $"上门小区2栋-{Guid.NewGuid():N}"[..20]);
        var bedridden = (await Data.PersonAsync(homeA, name: "钱卧床", tags: VulnerabilityTags.Bedridden)).Id;
        var sampledLimited = (await Data.PersonAsync(homeA, name: "孙已采", tags: VulnerabilityTags.LimitedMobility, relation: RelationToHead.Other)).Id;
        var exemptBedridden = (await Data.PersonAsync(homeA, name: "周免检", tags: VulnerabilityTags.Bedridden, relation: RelationToHead.Other)).Id;
        var quarantined = (await Data.PersonAsync(homeB, name: "李居家")).Id;
        var plain = (await Data.PersonAsync(homeB, name: "吴普通", relation: RelationToHead.Other)).Id;
        var today = Factory.Get<LocalClock>().Today();
        await Factory.CourseAsync(quarantined, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, today.AddDays(-1), today.AddDays(5)));

        var endsAt = DateTime.UtcNow.AddHours(20);
        var response = await Client.PostAsJsonAsync("/api/v1/testing-rounds", new
        {
            name = $"上门采样轮{Guid.NewGuid():N}"[..12], startsAt = DateTime.UtcNow.AddHours(-1), endsAt, poolSize = 10, scope = new[] { Committee },
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var roundId = (await response.Content.ReadFromJsonAsync<RoundDetails>(Json, Ct))!.Round.Id;
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync($"/api/v1/testing-rounds/{roundId}/exemptions",
            new { personId = exemptBedridden, reason = "Away" }, Json, Ct)).StatusCode);
        await using (var db = Factory.CreateDbContext())
        {
            var code = long.Parse(Committee);
            var site = new SamplingSite { Name = "上门测试点", Address = "广场", CommunityCode = code, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
            var tube = new Tube
            {
                Barcode = $"D{Guid.NewGuid():N}"[..16], RoundId = roundId, SiteId = site.Id, CommunityCode = code, Capacity = 10, State = TubeState.Open,
                Count = 1, OpenedAt = DateTime.UtcNow, OpenedByName = "采样员",
            };
            db.SamplingSites.Add(site);
            db.Tubes.Add(tube);
            db.Samples.Add(new Sample
            {
                Id = Guid.NewGuid(), RoundId = roundId, TubeId = tube.Id, PersonId = sampledLimited, CommunityCode = code, GridId = gridA, HouseholdId = homeA,
                SampledAt = DateTime.UtcNow, ReceivedAt = DateTime.UtcNow, SamplerName = "采样员",
            });
            await db.SaveChangesAsync(Ct);
        }
        return new Arranged(roundId, endsAt, bedridden, quarantined, plain, sampledLimited, exemptBedridden,
            new() { [bedridden] = gridA, [quarantined] = gridB });
    }

    private async Task<List<WorkOrder>> OrdersAsync(Arranged arranged)
    {
        await using var db = Factory.CreateDbContext();
        var people = new[] { arranged.Bedridden, arranged.Quarantined, arranged.Plain, arranged.SampledLimited, arranged.ExemptBedridden };
        return await db.WorkOrders.IgnoreQueryFilters()
            .Where(w => w.Source == WorkOrderSource.DoorToDoorSampling && w.PersonId != null && people.Contains(w.PersonId.Value)).ToListAsync(Ct);
    }

    [Fact]
    public async Task Bedridden_and_home_quarantined_get_one_order_each_in_their_grid_and_a_second_call_opens_none()
    {
        var arranged = await ArrangeAsync();
        var url = $"/api/v1/testing-rounds/{arranged.RoundId}/door-to-door-orders";
        var first = await Client.PostAsync(url, null, Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        // The round covers the whole committee, so people the suite's other tests left in it count too; ours are checked one by one.
        var opened = (await first.Content.ReadFromJsonAsync<DoorToDoorResult>(Json, Ct))!;
        Assert.Equal(0, opened.AlreadyOpen);
        Assert.True(opened.Opened >= 2, opened.ToString());

        var orders = await OrdersAsync(arranged);
        Assert.Equal(new[] { arranged.Bedridden, arranged.Quarantined }.Order(), orders.Select(o => o.PersonId!.Value).Order());
        Assert.All(orders, o =>
        {
            Assert.Equal(arranged.GridOf[o.PersonId!.Value], o.AssigneeGridId);
            Assert.Equal(WorkOrderStatus.Assigned, o.Status);
            Assert.Equal(long.Parse(Committee), o.CommunityCode);
            Assert.True(Math.Abs((DateTime.SpecifyKind(o.DueAt, DateTimeKind.Utc) - arranged.EndsAt).TotalSeconds) < 1, $"{o.DueAt:O} vs {arranged.EndsAt:O}");
            Assert.Contains("上门采样", o.Title);
        });

        var second = await Client.PostAsync(url, null, Ct);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(new DoorToDoorResult(0, opened.Opened), await second.Content.ReadFromJsonAsync<DoorToDoorResult>(Json, Ct));
        Assert.Equal(2, (await OrdersAsync(arranged)).Count);
    }

    [Fact]
    public async Task A_sibling_community_caller_opens_nothing_and_an_observer_is_refused()
    {
        var arranged = await ArrangeAsync();
        var url = $"/api/v1/testing-rounds/{arranged.RoundId}/door-to-door-orders";
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsync(url, null, Ct)).StatusCode);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsync(url, null, Ct)).StatusCode);
        Assert.Empty(await OrdersAsync(arranged));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync($"/api/v1/testing-rounds/{Guid.NewGuid()}/door-to-door-orders", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_closed_round_opens_no_orders()
    {
        var arranged = await ArrangeAsync();
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/v1/testing-rounds/{arranged.RoundId}/close", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsync($"/api/v1/testing-rounds/{arranged.RoundId}/door-to-door-orders", null, Ct)).StatusCode);
        Assert.Empty(await OrdersAsync(arranged));
    }
}

public sealed class DoorToDoorOrdersTests_Sqlite(SqliteAppFactory f) : DoorToDoorOrdersTests(f), IClassFixture<SqliteAppFactory>;
public sealed class DoorToDoorOrdersTests_Postgres(PostgresAppFactory f) : DoorToDoorOrdersTests(f), IClassFixture<PostgresAppFactory>;
