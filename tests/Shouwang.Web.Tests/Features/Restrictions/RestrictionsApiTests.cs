using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Restrictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Restrictions;

public abstract class RestrictionsApiTests(AppFactory factory) : ApiTestBase(factory)
{
    private static object RedOther(string reason = "同住人核酸异常，需赋红码") => new { kind = "StatusColour", colour = "Red", reason, basis = "Other" };

    private async Task<Guid> PersonAsync(string community = TestData.Community, Guid? gridId = null)
    {
        var household = await Data.HouseholdAsync(community, gridId);
        return (await Data.PersonAsync(household)).Id;
    }

    private static async Task<RestrictionItem> ReadAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<RestrictionItem>(Json, Ct))!;

    private async Task<PersonStatus> StatusAsync(Guid personId) =>
        (await Client.GetFromJsonAsync<PersonStatus>($"/api/v1/persons/{personId}/restriction-status", Json, Ct))!;

    private async Task<RestrictionItem> RequestPendingAsync(HttpClient requester, Guid personId)
    {
        var response = await requester.PostAsJsonAsync($"/api/v1/persons/{personId}/restrictions", RedOther(), Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadAsync(response);
    }

    private async Task<RestrictionState> StateInDatabaseAsync(Guid id)
    {
        await using var db = Factory.CreateDbContext();
        return await db.Restrictions.Where(r => r.Id == id).Select(r => r.State).SingleAsync(Ct);
    }

    [Fact]
    public async Task APersonWhoMoves_TakesTheirRestrictionsToTheNewCommunity()
    {
        var personId = await PersonAsync();
        var requested = await RequestPendingAsync(await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community), personId);
        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        Assert.Equal(HttpStatusCode.OK, (await command.PostAsJsonAsync($"/api/v1/restrictions/{requested.Id}/approve", new { note = "同意" }, Json, Ct)).StatusCode);

        // Moved one at a time (a new household in the sibling community) ...
        var person = await Client.GetFromJsonAsync<Web.Features.Registry.PersonDetails>($"/api/v1/persons/{personId}", Json, Ct);
        var newHome = await Data.HouseholdAsync(TestData.SiblingCommunity);
        var moved = await Client.PutAsJsonAsync($"/api/v1/persons/{personId}", new { name = person!.Name, householdId = newHome, relationToHead = "Head" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        using var newClerk = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        var status = await newClerk.GetFromJsonAsync<PersonStatus>($"/api/v1/persons/{personId}/restriction-status", Json, Ct);
        Assert.Equal(StatusColour.Red, status!.Colour);
        using var oldClerk = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        Assert.Equal(HttpStatusCode.NotFound, (await oldClerk.GetAsync($"/api/v1/persons/{personId}/restrictions", Ct)).StatusCode);

        // ... and with the whole household (its grid changes).
        var grid = await Data.GridAsync(TestData.SiblingCommunity);
        var household = await Client.GetFromJsonAsync<Web.Features.Registry.HouseholdDetails>($"/api/v1/households/{newHome}", Json, Ct);
        var update = await Client.PutAsJsonAsync($"/api/v1/households/{newHome}",
            new { communityCode = TestData.SiblingCommunity, gridId = grid.Id, address = household!.Address }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        await using var db = Factory.CreateDbContext();
        var restriction = await db.Restrictions.SingleAsync(r => r.Id == requested.Id, Ct);
        Assert.Equal((long.Parse(TestData.SiblingCommunity), grid.Id), (restriction.CommunityCode, restriction.GridId!.Value));
    }

    [Fact]
    public async Task OtherBasis_WaitsForApproval_ThenADifferentCommandAccountMakesItRed()
    {
        var personId = await PersonAsync();
        var requester = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var requesterClient = await Factory.ClientForAsync(requester);

        var response = await requesterClient.PostAsJsonAsync($"/api/v1/persons/{personId}/restrictions", RedOther(), Json, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var requested = await ReadAsync(response);
        Assert.Equal(RestrictionState.PendingApproval, requested.State);
        Assert.Equal(requester.Id, requested.RequestedBy);
        Assert.Equal(TestData.Community, requested.CommunityCode);
        Assert.Equal(StatusColour.Green, (await StatusAsync(personId)).Colour);

        var approver = await Factory.CreateAccountAsync(StaffRoles.Command, TestData.Street);
        using var approverClient = await Factory.ClientForAsync(approver);
        var approved = await approverClient.PostAsJsonAsync($"/api/v1/restrictions/{requested.Id}/approve", new { note = "同意" }, Json, Ct);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(RestrictionState.Active, (await ReadAsync(approved)).State);
        var status = await StatusAsync(personId);
        Assert.Equal(StatusColour.Red, status.Colour);
        Assert.False(status.CheckpointDenied);
        Assert.Single(status.InForce);

        await using var db = Factory.CreateDbContext();
        var entries = await db.AuditEntries.Where(a => a.EntityId == requested.Id.ToString()).ToListAsync(Ct);
        Assert.Contains(entries, a => a.Action == AuditAction.Request && a.AccountId == requester.Id && a.ScopeCode == long.Parse(TestData.Community));
        Assert.Contains(entries, a => a.Action == AuditAction.Approve && a.AccountId == approver.Id);
        Assert.Contains(entries, a => a.Action == AuditAction.Create && a.EntityType == nameof(Restriction));
        Assert.Contains(entries, a => a.Action == AuditAction.Update && a.EntityType == nameof(Restriction));
    }

    [Theory]
    [InlineData(StaffRoles.Command)]
    [InlineData(StaffRoles.CommunityWorker | StaffRoles.Command)]
    public async Task TheRequester_CannotApproveTheirOwnRequest(StaffRoles roles)
    {
        var personId = await PersonAsync();
        using var client = await Factory.ClientForAsync(roles, TestData.Community);
        var requested = await RequestPendingAsync(client, personId);

        var response = await client.PostAsJsonAsync($"/api/v1/restrictions/{requested.Id}/approve", new { }, Json, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Json, Ct);
        Assert.Contains("自己", problem!.Title);
        Assert.Equal(RestrictionState.PendingApproval, await StateInDatabaseAsync(requested.Id));
        Assert.Equal(StatusColour.Green, (await StatusAsync(personId)).Colour);
        var reject = await client.PostAsJsonAsync($"/api/v1/restrictions/{requested.Id}/reject", new { note = "撤回" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, reject.StatusCode);
    }

    [Fact]
    public async Task CaseBasis_WithAMadeUpReference_IsRefusedAndNothingWritten()
    {
        var personId = await PersonAsync();
        var response = await Client.PostAsJsonAsync($"/api/v1/persons/{personId}/restrictions",
            new { kind = "StatusColour", colour = "Red", reason = "确诊病例本人", basis = "Case", basisReference = "BL-2022-0001" }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal("依据记录不存在", Assert.Single(problem!.Errors["BasisReference"]));
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Restrictions.AnyAsync(r => r.PersonId == personId, Ct));
    }

    [Fact]
    public async Task BadInput_NamesTheFields()
    {
        var personId = await PersonAsync();
        var response = await Client.PostAsJsonAsync($"/api/v1/persons/{personId}/restrictions",
            new { kind = "StatusColour", colour = "Green", reason = "短", basis = "Contact", until = LocalToday().AddDays(-1) }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal(["BasisReference", "Colour", "Reason", "Until"], problem!.Errors.Keys.Order());
        Assert.Equal("截止日期不能早于今天。", Assert.Single(problem.Errors["Until"]));
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Restrictions.AnyAsync(r => r.PersonId == personId, Ct));
    }

    [Fact]
    public async Task UntilInThePast_IsRefused()
    {
        var personId = await PersonAsync();
        var response = await Client.PostAsJsonAsync($"/api/v1/persons/{personId}/restrictions",
            new { kind = "CheckpointDenial", reason = "拒不配合核酸检测", basis = "Other", until = LocalToday().AddDays(-1) }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal(["Until"], problem!.Errors.Keys);
    }

    [Fact]
    public async Task Observer_CannotRequestOrApprove()
    {
        var personId = await PersonAsync();
        var pending = await RequestPendingAsync(Client, personId);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Community);

        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/persons/{personId}/restrictions", RedOther(), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/approve", new { }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/lift", new { reason = "解除管控" }, Json, Ct)).StatusCode);
        Assert.Equal(RestrictionState.PendingApproval, await StateInDatabaseAsync(pending.Id));
        await using var db = Factory.CreateDbContext();
        Assert.Equal(1, await db.Restrictions.CountAsync(r => r.PersonId == personId, Ct));
    }

    [Fact]
    public async Task GridWorker_CanRequestButNotApprove()
    {
        var grid = await Data.GridAsync();
        var personId = await PersonAsync(gridId: grid.Id);
        using var gridWorker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid.Id);
        var requested = await RequestPendingAsync(gridWorker, personId);
        var other = await RequestPendingAsync(Client, personId);

        var response = await gridWorker.PostAsJsonAsync($"/api/v1/restrictions/{other.Id}/approve", new { }, Json, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(RestrictionState.PendingApproval, await StateInDatabaseAsync(other.Id));
        Assert.Equal(RestrictionState.PendingApproval, requested.State);
    }

    [Fact]
    public async Task SiblingCommunityCaller_SeesNothingAndCannotDecide()
    {
        var personId = await PersonAsync();
        var pending = await RequestPendingAsync(Client, personId);
        using var sibling = await Factory.ClientForAsync(StaffRoles.Command | StaffRoles.CommunityWorker, TestData.SiblingCommunity);

        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/persons/{personId}/restrictions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/persons/{personId}/restriction-status", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/approve", new { }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/persons/{personId}/restrictions", RedOther(), Json, Ct)).StatusCode);
        var queue = await sibling.GetFromJsonAsync<Paged<RestrictionItem>>("/api/v1/restrictions?state=PendingApproval", Json, Ct);
        Assert.DoesNotContain(queue!.Items, r => r.Id == pending.Id);
        Assert.Equal(RestrictionState.PendingApproval, await StateInDatabaseAsync(pending.Id));
    }

    [Fact]
    public async Task PendingQueue_ListsRequestsForApprovers()
    {
        var personId = await PersonAsync();
        var pending = await RequestPendingAsync(Client, personId);
        using var approver = await Factory.ClientForAsync(StaffRoles.Command, TestData.Community);

        var queue = await approver.GetFromJsonAsync<Paged<RestrictionItem>>("/api/v1/restrictions?state=PendingApproval&pageSize=200", Json, Ct);

        var item = Assert.Single(queue!.Items, r => r.Id == pending.Id);
        Assert.Equal("张测试", item.PersonName);
        Assert.All(queue.Items, r => Assert.Equal(RestrictionState.PendingApproval, r.State));
    }

    [Fact]
    public async Task Reject_WithoutANote_IsRefused_WithOne_EndsTheRequest()
    {
        var personId = await PersonAsync();
        var pending = await RequestPendingAsync(Client, personId);
        using var approver = await Factory.ClientForAsync(StaffRoles.Command, TestData.Community);

        var bad = await approver.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/reject", new { note = " " }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal(["Note"], problem!.Errors.Keys);
        Assert.Equal(RestrictionState.PendingApproval, await StateInDatabaseAsync(pending.Id));

        var ok = await approver.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/reject", new { note = "依据不足" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(RestrictionState.Rejected, (await ReadAsync(ok)).State);
        var again = await approver.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/approve", new { }, Json, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await using var db = Factory.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityId == pending.Id.ToString() && a.Action == AuditAction.Reject, Ct));
    }

    [Fact]
    public async Task Lift_EndsAnActiveRestriction_AndStatusIsGreenAgain()
    {
        var personId = await PersonAsync();
        var pending = await RequestPendingAsync(Client, personId);
        using var approver = await Factory.ClientForAsync(StaffRoles.Command, TestData.Community);
        Assert.Equal(HttpStatusCode.OK, (await approver.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/approve", new { }, Json, Ct)).StatusCode);
        Assert.Equal(StatusColour.Red, (await StatusAsync(personId)).Colour);

        var noReason = await Client.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/lift", new { }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var lifted = await Client.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/lift", new { reason = "复核后解除" }, Json, Ct);

        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        Assert.Equal(RestrictionState.Lifted, (await ReadAsync(lifted)).State);
        Assert.Equal(StatusColour.Green, (await StatusAsync(personId)).Colour);
        var history = await Client.GetFromJsonAsync<List<RestrictionItem>>($"/api/v1/persons/{personId}/restrictions", Json, Ct);
        Assert.Equal("复核后解除", Assert.Single(history!).LiftReason);
        await using var db = Factory.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityId == pending.Id.ToString() && a.Action == AuditAction.Lift, Ct));
    }

    [Fact]
    public async Task CheckpointDenial_Approved_DeniesPassage()
    {
        var personId = await PersonAsync();
        var response = await Client.PostAsJsonAsync($"/api/v1/persons/{personId}/restrictions",
            new { kind = "CheckpointDenial", reason = "居家隔离期间外出", basis = "Other", until = LocalToday() }, Json, Ct);
        var pending = await ReadAsync(response);
        using var approver = await Factory.ClientForAsync(StaffRoles.Command, TestData.Community);
        await approver.PostAsJsonAsync($"/api/v1/restrictions/{pending.Id}/approve", new { }, Json, Ct);

        var status = await StatusAsync(personId);
        Assert.True(status.CheckpointDenied);
        Assert.Equal(StatusColour.Green, status.Colour);
    }

    private DateOnly LocalToday() => Factory.Get<LocalClock>().Today();
}

public sealed class RestrictionsApiTests_Sqlite(SqliteAppFactory factory) : RestrictionsApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class RestrictionsApiTests_Postgres(PostgresAppFactory factory) : RestrictionsApiTests(factory), IClassFixture<PostgresAppFactory>;
