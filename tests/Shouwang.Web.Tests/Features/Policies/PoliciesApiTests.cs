using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouwang.Domain.Policies;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Policies;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Policies;

public abstract class PoliciesApiTests(AppFactory factory) : ApiTestBase(factory)
{
    private async Task<List<PolicySummary>> ListAsync(HttpClient? client = null) =>
        (await (client ?? Client).GetFromJsonAsync<List<PolicySummary>>("/api/v1/policies", Json, Ct))!;

    private async Task<PolicyDetails> GetAsync(Guid id) => (await Client.GetFromJsonAsync<PolicyDetails>($"/api/v1/policies/{id}", Json, Ct))!;

    private async Task<Guid> PresetIdAsync(string code) => (await ListAsync()).Single(p => p.Code == code).Id;

    private async Task<PolicyDetails> CopyAsync(string from, DateOnly effective, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync($"/api/v1/policies/{await PresetIdAsync(from)}/copy",
            new { code = $"T-{Guid.NewGuid():N}"[..20], name = "本区调整版", effectiveFrom = effective }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PolicyDetails>(Json, Ct))!;
    }

    private async Task<AppliedPolicy> AppliedAsync(string node, DateOnly day, HttpClient? client = null) =>
        (await (client ?? Client).GetFromJsonAsync<AppliedPolicy>($"/api/v1/policies/in-force?jurisdiction={node}&day={day:yyyy-MM-dd}", Json, Ct))!;

    private Task<HttpResponseMessage> PutInForceAsync(Guid id, string node, DateOnly from, HttpClient? client = null) =>
        (client ?? Client).PostAsJsonAsync($"/api/v1/policies/{id}/in-force", new { jurisdictionCode = node, fromDay = from }, Json, Ct);

    [Fact]
    public async Task PresetsArePresentAfterStart_WithTheRealNumbers_AndNothingInForce()
    {
        var list = await ListAsync();
        Assert.Superset(new HashSet<string> { "NHC-9", "NHC-9-20", "NHC-10" }, list.Select(p => p.Code).ToHashSet());
        Assert.All(list.Where(p => p.Code.StartsWith("NHC-", StringComparison.Ordinal)), p => Assert.True(p.IsPreset));

        var ninth = await GetAsync(await PresetIdAsync("NHC-9"));
        Assert.Equal(new DateOnly(2022, 6, 28), ninth.EffectiveFrom);
        var contact = ninth.Rules.Single(r => r.Category == PersonCategory.CloseContact);
        Assert.Equal(PeriodAnchor.LastExposure, contact.Anchor);
        Assert.Equal([(MeasureKind.CentralisedQuarantine, 7), (MeasureKind.HomeHealthMonitoring, 3)], contact.Stages.Select(s => (s.Kind, s.Days)));
        Assert.Equal([1, 2, 3, 5, 7], contact.Stages[0].TestDays);
        Assert.Equal([3], contact.Stages[1].TestDays);
        Assert.Equal(3, ninth.ReleaseRules.Count);

        var twenty = await GetAsync(await PresetIdAsync("NHC-9-20"));
        Assert.Equal([5, 3], twenty.Rules.Single(r => r.Category == PersonCategory.CloseContact).Stages.Select(s => s.Days));
        var tenth = await GetAsync(await PresetIdAsync("NHC-10"));
        Assert.Empty(tenth.Rules);
        Assert.Empty(tenth.RiskAreas);

        // Seeding is idempotent: one row per preset code.
        await using var db = Factory.CreateDbContext();
        Assert.Equal(1, await db.Policies.CountAsync(p => p.Code == "NHC-9", Ct));
        await new PolicyPresetSeeder(Factory.Services.GetRequiredService<IDbContextFactory<Web.Data.AppDbContext>>(), TimeProvider.System).EnsurePresetsAsync(Ct);
        Assert.Equal(1, await db.Policies.CountAsync(p => p.Code == "NHC-9", Ct));
    }

    [Fact]
    public async Task ACopy_IsEdited_AndAnInvalidStageIsRejectedNamingCategoryAndStage()
    {
        var copy = await CopyAsync("NHC-9", new DateOnly(2022, 9, 1));
        Assert.False(copy.IsPreset);
        Assert.Equal(7, copy.Rules.Single(r => r.Category == PersonCategory.CloseContact).Stages[0].Days);

        var rules = copy.Rules.Select(r => r.Category != PersonCategory.CloseContact ? r
            : r with { Stages = [new MeasureStage(MeasureKind.CentralisedQuarantine, 5, [1, 2, 3, 5]), new MeasureStage(MeasureKind.HomeQuarantine, 3, [1, 3])] }).ToList();
        var saved = await Client.PutAsJsonAsync($"/api/v1/policies/{copy.Id}", new { rules }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var edited = await GetAsync(copy.Id);
        Assert.Equal([5, 3], edited.Rules.Single(r => r.Category == PersonCategory.CloseContact).Stages.Select(s => s.Days));
        Assert.Equal(copy.RiskAreas.Count, edited.RiskAreas.Count);

        var bad = rules.Select(r => r.Category != PersonCategory.CloseContact ? r
            : r with { Stages = [r.Stages[0], new MeasureStage(MeasureKind.HomeQuarantine, 3, [1, 9])] }).ToList();
        var rejected = await Client.PutAsJsonAsync($"/api/v1/policies/{copy.Id}", new { rules = bad, name = "改坏了" }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        var problem = await rejected.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct);
        var message = Assert.Single(problem!.Errors["Rules"]);
        Assert.Contains("密切接触者", message);
        Assert.Contains("第2段", message);
        Assert.Contains("第9天", message);
        var unchanged = await GetAsync(copy.Id);
        Assert.Equal("本区调整版", unchanged.Name);
        Assert.Equal([1, 3], unchanged.Rules.Single(r => r.Category == PersonCategory.CloseContact).Stages[1].TestDays);

        var missing = await Client.PostAsJsonAsync($"/api/v1/policies/{copy.Id}/copy", new { code = copy.Code, name = "" }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await missing.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct))!.Errors;
        Assert.Contains("Code", errors.Keys);
        Assert.Contains("Name", errors.Keys);
        Assert.Contains("EffectiveFrom", errors.Keys);
    }

    [Fact]
    public async Task APreset_CannotBeEditedInPlace()
    {
        var id = await PresetIdAsync("NHC-9");
        var response = await Client.PutAsJsonAsync($"/api/v1/policies/{id}", new { name = "改过的第九版", rules = Array.Empty<object>() }, Json, Ct);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var ninth = await GetAsync(id);
        Assert.Equal(PolicyPresets.NinthEdition.Name, ninth.Name);
        Assert.Equal(PolicyPresets.NinthEdition.Rules.Count, ninth.Rules.Count);
    }

    [Fact]
    public async Task InForceForTheStreet_AppliesToItsCommittees_FromTheDay_AndADeeperNodesOwnChoiceWins()
    {
        var streetVersion = await CopyAsync("NHC-9-20", new DateOnly(2031, 3, 1));
        var committeeVersion = await CopyAsync("NHC-10", new DateOnly(2031, 5, 1));
        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        Assert.Equal(HttpStatusCode.OK, (await PutInForceAsync(streetVersion.Id, TestData.Street, new DateOnly(2031, 3, 1), command)).StatusCode);

        var before = await AppliedAsync(TestData.Community, new DateOnly(2031, 2, 28), command);
        Assert.NotEqual(streetVersion.Id, before.Policy?.Id);
        var after = await AppliedAsync(TestData.Community, new DateOnly(2031, 3, 1), command);
        Assert.Equal(streetVersion.Id, after.Policy!.Id);
        Assert.Equal((TestData.Street, new DateOnly(2031, 3, 1)), (after.SetForNode, after.FromDay!.Value));

        Assert.Equal(HttpStatusCode.OK, (await PutInForceAsync(committeeVersion.Id, TestData.Community, new DateOnly(2031, 5, 1), command)).StatusCode);
        Assert.Equal(streetVersion.Id, (await AppliedAsync(TestData.Community, new DateOnly(2031, 4, 30), command)).Policy!.Id);
        Assert.Equal(committeeVersion.Id, (await AppliedAsync(TestData.Community, new DateOnly(2031, 5, 2), command)).Policy!.Id);
        Assert.Equal(streetVersion.Id, (await AppliedAsync(TestData.SiblingCommunity, new DateOnly(2031, 5, 2), command)).Policy!.Id);

        // The list shows where each version is in force, within the caller's subtree only.
        var listed = (await ListAsync(command)).Single(p => p.Id == committeeVersion.Id);
        Assert.Equal([TestData.Community], listed.InForce.Select(i => i.JurisdictionCode));
        using var siblingClerk = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        Assert.Empty((await ListAsync(siblingClerk)).Single(p => p.Id == committeeVersion.Id).InForce);
    }

    [Fact]
    public async Task OutsideTheirScope_CallersCannotSetOrReadWhatIsInForce_AndObserversCannotWrite()
    {
        var version = await CopyAsync("NHC-9", new DateOnly(2032, 1, 1));
        using var siblingCommand = await Factory.ClientForAsync(StaffRoles.Command, TestData.SiblingCommunity);
        Assert.Equal(HttpStatusCode.NotFound, (await PutInForceAsync(version.Id, TestData.Community, new DateOnly(2032, 1, 1), siblingCommand)).StatusCode);
        using var siblingClerk = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutInForceAsync(version.Id, TestData.Community, new DateOnly(2032, 1, 1), siblingClerk)).StatusCode);
        await using (var db = Factory.CreateDbContext())
            Assert.False(await db.PoliciesInForce.AnyAsync(p => p.PolicyId == version.Id, Ct));

        var outside = await siblingClerk.GetAsync($"/api/v1/policies/in-force?jurisdiction={TestData.Community}&day=2032-01-02", Ct);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await siblingClerk.GetAsync($"/api/v1/policies/in-force?jurisdiction={TestData.SiblingCommunity}&day=2032-01-02", Ct)).StatusCode);

        var badInput = await PutInForceAsync(version.Id, "12x", new DateOnly(2032, 1, 1));
        Assert.Equal(HttpStatusCode.BadRequest, badInput.StatusCode);
        Assert.Contains("JurisdictionCode", (await badInput.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct))!.Errors.Keys);

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync($"/api/v1/policies/{version.Id}", Ct)).StatusCode);
        var copy = await observer.PostAsJsonAsync($"/api/v1/policies/{version.Id}/copy", new { code = "OBS-1", name = "观察员", effectiveFrom = "2032-02-01" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, copy.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PutAsJsonAsync($"/api/v1/policies/{version.Id}", new { name = "x" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutInForceAsync(version.Id, TestData.Street, new DateOnly(2032, 1, 1), observer)).StatusCode);
        await using var check = Factory.CreateDbContext();
        Assert.False(await check.Policies.AnyAsync(p => p.Code == "OBS-1", Ct));
    }
}

public sealed class PoliciesApiTests_Sqlite(SqliteAppFactory factory) : PoliciesApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class PoliciesApiTests_Postgres(PostgresAppFactory factory) : PoliciesApiTests(factory), IClassFixture<PostgresAppFactory>;
