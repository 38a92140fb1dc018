using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

public abstract class SamplingSitesApiTests(AppFactory factory) : ApiTestBase(factory)
{
    private const string Community = "430202005203";
    private const string PlanCommunity = "430202005204";

    private sealed record Plan(PlanRow Node, List<PlanRow> Children);

    private async Task<HttpResponseMessage> PostSiteAsync(object body, HttpClient? client = null) =>
        await (client ?? Client).PostAsJsonAsync("/api/v1/sampling-sites", body, Json, Ct);

    private async Task<SamplingSiteItem> SiteAsync(string community = Community, HttpClient? client = null, bool active = true)
    {
        using var response = await PostSiteAsync(new { name = $"采样点{Guid.NewGuid():N}"[..10], address = "文化广场", communityCode = community, isActive = active }, client);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<SamplingSiteItem>(Json, Ct))!;
    }

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
    }

    [Fact]
    public async Task Sites_AreCreated_Validated_Changed_AndListedByCommittee()
    {
        var grid = await Data.GridAsync(Community);
        using (var created = await PostSiteAsync(new
        {
            name = " 文化广场采样点 ", address = "文化路1号", communityCode = Community, gridId = grid.Id, opensAt = "22:00:00", closesAt = "06:00:00",
        }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var site = (await created.Content.ReadFromJsonAsync<SamplingSiteItem>(Json, Ct))!;
            Assert.Equal(("文化广场采样点", Community, grid.Id, new TimeOnly(22, 0), new TimeOnly(6, 0), true), (site.Name, site.CommunityCode, site.GridId, site.OpensAt, site.ClosesAt, site.IsActive));
            Assert.Equal($"/api/v1/sampling-sites/{site.Id}", created.Headers.Location?.ToString());

            using var put = await Client.PutAsJsonAsync($"/api/v1/sampling-sites/{site.Id}", new { name = "广场点", address = "文化路2号", communityCode = Community, isActive = false }, Json, Ct);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var changed = await Client.GetFromJsonAsync<SamplingSiteItem>($"/api/v1/sampling-sites/{site.Id}", Json, Ct);
            Assert.Equal(("广场点", "文化路2号", (Guid?)null, (TimeOnly?)null, false), (changed!.Name, changed.Address, changed.GridId, changed.OpensAt, changed.IsActive));
            var listed = await Client.GetFromJsonAsync<List<SamplingSiteItem>>($"/api/v1/sampling-sites?community={Community}", Json, Ct);
            Assert.Contains(listed!, s => s.Id == site.Id);
            Assert.All(listed!, s => Assert.Equal(Community, s.CommunityCode));
            Assert.DoesNotContain(await Client.GetFromJsonAsync<List<SamplingSiteItem>>($"/api/v1/sampling-sites?community={TestData.SiblingCommunity}", Json, Ct) ?? [], s => s.Id == site.Id);
        }

        var before = await CountAsync();
        var otherGrid = await Data.GridAsync(TestData.SiblingCommunity);
        using (var bad = await PostSiteAsync(new { name = "", address = " ", communityCode = Community, gridId = otherGrid.Id, opensAt = "08:00:00" }))
        {
            var errors = await ErrorsAsync(bad);
            foreach (var field in new[] { "Name", "Address", "GridId", "ClosesAt" }) Assert.True(errors.TryGetProperty(field, out _), field);
            Assert.Contains("同时", errors.GetProperty("ClosesAt")[0].GetString());
            Assert.Contains("网格", errors.GetProperty("GridId")[0].GetString());
        }
        using (var bad = await PostSiteAsync(new { name = "x", address = "y", communityCode = "430202005", closesAt = "18:00:00" }))
        {
            var errors = await ErrorsAsync(bad);
            Assert.True(errors.TryGetProperty("CommunityCode", out _));
            Assert.True(errors.TryGetProperty("OpensAt", out _));
        }
        using (var bad = await PostSiteAsync(new { name = "x", address = "y", communityCode = Community, opensAt = "08:00:00", closesAt = "08:00:00" }))
            Assert.True((await ErrorsAsync(bad)).TryGetProperty("ClosesAt", out _));
        using (var bad = await Client.GetAsync("/api/v1/sampling-sites?community=12", Ct)) Assert.True((await ErrorsAsync(bad)).TryGetProperty("community", out _));
        Assert.Equal(before, await CountAsync());
    }

    private async Task<int> CountAsync()
    {
        await using var db = Factory.CreateDbContext();
        return await db.SamplingSites.CountAsync(Ct);
    }

    [Fact]
    public async Task SiblingCommunity_SeesNothing_AndObserverCannotWrite()
    {
        var site = await SiteAsync();
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        using (var get = await sibling.GetAsync($"/api/v1/sampling-sites/{site.Id}", Ct)) Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using (var get = await sibling.GetAsync($"/api/v1/sampling-sites/{site.Id}/samplers", Ct)) Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.DoesNotContain(await sibling.GetFromJsonAsync<List<SamplingSiteItem>>("/api/v1/sampling-sites", Json, Ct) ?? [], s => s.Id == site.Id);
        using (var put = await sibling.PutAsJsonAsync($"/api/v1/sampling-sites/{site.Id}", new { name = "占用", address = "x", communityCode = TestData.SiblingCommunity }, Json, Ct))
            Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        using (var post = await PostSiteAsync(new { name = "越界", address = "x", communityCode = Community }, sibling))
            Assert.True((await ErrorsAsync(post)).TryGetProperty("CommunityCode", out _));
        var sampler = await Factory.CreateAccountAsync(StaffRoles.Sampler, TestData.SiblingCommunity);
        using (var assign = await sibling.PostAsJsonAsync($"/api/v1/sampling-sites/{site.Id}/samplers", new { accountId = sampler.Id }, Json, Ct))
            Assert.Equal(HttpStatusCode.NotFound, assign.StatusCode);
        using (var plan = await sibling.GetAsync($"/api/v1/sampling-sites/plan?node={Community}", Ct)) Assert.Equal(HttpStatusCode.NotFound, plan.StatusCode);

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, Community);
        using (var post = await PostSiteAsync(new { name = "观察", address = "x", communityCode = Community }, observer)) Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        using (var put = await observer.PutAsJsonAsync($"/api/v1/sampling-sites/{site.Id}", new { name = "观察", address = "x", communityCode = Community }, Json, Ct))
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        using (var assign = await observer.PostAsJsonAsync($"/api/v1/sampling-sites/{site.Id}/samplers", new { accountId = sampler.Id }, Json, Ct))
            Assert.Equal(HttpStatusCode.Forbidden, assign.StatusCode);
        using (var remove = await observer.DeleteAsync($"/api/v1/sampling-sites/{site.Id}/samplers/{sampler.Id}", Ct)) Assert.Equal(HttpStatusCode.Forbidden, remove.StatusCode);
        using (var list = await observer.GetAsync("/api/v1/sampling-sites", Ct)) Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using (var candidates = await observer.GetAsync("/api/v1/sampling-sites/sampler-candidates", Ct)) Assert.Equal(HttpStatusCode.Forbidden, candidates.StatusCode);

        await using var db = Factory.CreateDbContext();
        var stored = await db.SamplingSites.SingleAsync(s => s.Id == site.Id, Ct);
        Assert.Equal((site.Name, 0), (stored.Name, await db.SamplingSiteStaff.CountAsync(s => s.SiteId == site.Id, Ct)));
    }

    [Fact]
    public async Task Samplers_AreAssignedByTheRules_Once_AndFindTheirSites()
    {
        var site = await SiteAsync();
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Community);
        var sampler = await Factory.CreateAccountAsync(StaffRoles.Sampler, TestData.Street);
        var guard = await Factory.CreateAccountAsync(StaffRoles.CheckpointGuard, Community);
        var outsider = await Factory.CreateAccountAsync(StaffRoles.Sampler, TestData.SiblingCommunity);
        var url = $"/api/v1/sampling-sites/{site.Id}/samplers";

        using (var bad = await worker.PostAsJsonAsync(url, new { accountId = guard.Id }, Json, Ct))
            Assert.Contains("采样", (await ErrorsAsync(bad)).GetProperty("AccountId")[0].GetString());
        // A street sampler lies outside a committee worker's jurisdiction, like a sibling committee's.
        foreach (var account in new[] { sampler.Id, outsider.Id, Guid.NewGuid() })
            using (var bad = await worker.PostAsJsonAsync(url, new { accountId = account }, Json, Ct))
                Assert.True((await ErrorsAsync(bad)).TryGetProperty("AccountId", out _));
        using (var bad = await worker.PostAsJsonAsync(url, new { }, Json, Ct)) Assert.True((await ErrorsAsync(bad)).TryGetProperty("AccountId", out _));

        var local = await Factory.CreateAccountAsync(StaffRoles.Sampler, Community);
        var candidates = await worker.GetFromJsonAsync<List<SamplerCandidate>>("/api/v1/sampling-sites/sampler-candidates", Json, Ct);
        Assert.Contains(candidates!, c => c.AccountId == local.Id && c.IsSampler);
        Assert.DoesNotContain(candidates!, c => c.AccountId == guard.Id || c.AccountId == outsider.Id || c.AccountId == sampler.Id);

        for (var i = 0; i < 2; i++)
            using (var assign = await worker.PostAsJsonAsync(url, new { accountId = local.Id }, Json, Ct))
            {
                Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
                Assert.Single((await assign.Content.ReadFromJsonAsync<List<SamplerItem>>(Json, Ct))!, s => s.AccountId == local.Id);
            }
        // The street admin may send the street's sampler.
        using (var assign = await Client.PostAsJsonAsync(url, new { accountId = sampler.Id }, Json, Ct)) Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
        await using (var db = Factory.CreateDbContext())
            Assert.Equal(1, await db.SamplingSiteStaff.CountAsync(s => s.SiteId == site.Id && s.AccountId == local.Id, Ct));
        var listed = await worker.GetFromJsonAsync<List<SamplerItem>>(url, Json, Ct);
        Assert.Equal(2, listed!.Count);
        Assert.Equal(2, (await worker.GetFromJsonAsync<SamplingSiteItem>($"/api/v1/sampling-sites/{site.Id}", Json, Ct))!.SamplerCount);

        using var samplerClient = await Factory.ClientForAsync(sampler);
        var mine = await samplerClient.GetFromJsonAsync<List<SamplingSiteItem>>("/api/v1/sampling-sites/mine", Json, Ct);
        Assert.Equal(site.Id, Assert.Single(mine!).Id);
        using (var localClient = await Factory.ClientForAsync(local))
            Assert.Equal(site.Id, Assert.Single((await localClient.GetFromJsonAsync<List<SamplingSiteItem>>("/api/v1/sampling-sites/mine", Json, Ct))!).Id);
        using (var guardClient = await Factory.ClientForAsync(guard))
        using (var forbidden = await guardClient.GetAsync("/api/v1/sampling-sites/mine", Ct))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using (var remove = await worker.DeleteAsync($"{url}/{local.Id}", Ct)) Assert.Equal(HttpStatusCode.OK, remove.StatusCode);
        using (var again = await worker.DeleteAsync($"{url}/{local.Id}", Ct)) Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(sampler.Id, Assert.Single((await worker.GetFromJsonAsync<List<SamplerItem>>(url, Json, Ct))!).AccountId);
    }

    [Fact]
    public async Task Plan_ProposesFromPopulation_AndChildrenSumToTheStreet()
    {
        var grid = (await Data.GridAsync(PlanCommunity)).Id;
        for (var h = 0; h < 3; h++)
        {
            var home = await Data.HouseholdAsync(PlanCommunity, grid);
            for (var p = 0; p <= h; p++) await Data.PersonAsync(home, relation: p == 0 ? Domain.People.RelationToHead.Head : Domain.People.RelationToHead.Child);
        }
        var active = await SiteAsync(PlanCommunity);
        await SiteAsync(PlanCommunity, active: false);
        var sampler = await Factory.CreateAccountAsync(StaffRoles.Sampler, PlanCommunity);
        using (var assign = await Client.PostAsJsonAsync($"/api/v1/sampling-sites/{active.Id}/samplers", new { accountId = sampler.Id }, Json, Ct))
            Assert.Equal(HttpStatusCode.OK, assign.StatusCode);

        int population, streetPopulation;
        await using (var db = Factory.CreateDbContext())
        {
            population = (await db.Persons.Select(p => p.CommunityCode).ToListAsync(Ct)).Count(c => c == long.Parse(PlanCommunity));
            streetPopulation = (await db.Persons.Select(p => p.CommunityCode).ToListAsync(Ct)).Count(c => c.ToString().StartsWith(TestData.Street, StringComparison.Ordinal));
        }
        Assert.Equal(6, population);

        var plan = await Client.GetFromJsonAsync<Plan>($"/api/v1/sampling-sites/plan?node={PlanCommunity}", Json, Ct);
        var (sites, samplers) = SamplingPlan.For(population);
        var row = Assert.Single(plan!.Children);
        Assert.Equal(plan.Node, row);
        Assert.Equal((PlanCommunity, population, sites, samplers, 1, 1, sites - 1, samplers - 1),
            (row.Code, row.Population, row.ProposedSites, row.ProposedSamplers, row.ActiveSites, row.Samplers, row.SiteGap, row.SamplerGap));

        var street = (await Client.GetFromJsonAsync<Plan>($"/api/v1/sampling-sites/plan?node={TestData.Street}", Json, Ct))!;
        Assert.Equal(streetPopulation, street.Node.Population);
        Assert.Equal(SamplingPlan.For(streetPopulation), (street.Node.ProposedSites, street.Node.ProposedSamplers));
        Assert.Equal(street.Node.Population, street.Children.Sum(c => c.Population));
        Assert.Equal(street.Node.ActiveSites, street.Children.Sum(c => c.ActiveSites));
        Assert.Contains(street.Children, c => c.Code == PlanCommunity && c.Population == population);
        Assert.All(street.Children, c => Assert.Equal(SamplingPlan.For(c.Population), (c.ProposedSites, c.ProposedSamplers)));

        using var sampling = await Factory.ClientForAsync(sampler);
        Assert.Equal(population, (await sampling.GetFromJsonAsync<Plan>($"/api/v1/sampling-sites/plan?node={PlanCommunity}", Json, Ct))!.Node.Population);
        using (var bad = await Client.GetAsync("/api/v1/sampling-sites/plan?node=4302020", Ct)) Assert.True((await ErrorsAsync(bad)).TryGetProperty("node", out _));
        using (var unknown = await Client.GetAsync("/api/v1/sampling-sites/plan?node=430202005999", Ct)) Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        using (var forbidden = await observer.GetAsync($"/api/v1/sampling-sites/plan?node={PlanCommunity}", Ct)) Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task ConsolePages_ShowTheSites_AndThePlan()
    {
        var site = await SiteAsync();
        using var console = await Factory.ConsoleClientAsync(await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, Community));
        using (var page = await console.GetAsync("/sampling-sites", Ct))
        {
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode} {page.Headers.Location}");
            var html = await page.Content.ReadAsStringAsync(Ct);
            Assert.Contains(site.Name, html);
            Assert.Contains("sites-table", html);
        }
        using (var page = await console.GetAsync($"/sampling-sites/plan?node={Community}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync(Ct);
            Assert.Contains("plan-table", html);
            Assert.Contains(Community, html);
        }
        using var guard = await Factory.ConsoleClientAsync(await Factory.CreateAccountAsync(StaffRoles.CheckpointGuard, Community));
        using (var page = await guard.GetAsync("/sampling-sites", Ct))
            Assert.DoesNotContain(site.Name, await page.Content.ReadAsStringAsync(Ct));
    }
}

public sealed class SamplingSitesApiTests_Sqlite(SqliteAppFactory f) : SamplingSitesApiTests(f), IClassFixture<SqliteAppFactory>;

public sealed class SamplingSitesApiTests_Postgres(PostgresAppFactory f) : SamplingSitesApiTests(f), IClassFixture<PostgresAppFactory>;
