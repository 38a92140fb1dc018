using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.WorkOrders;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.WorkOrders;

public abstract class WorkOrdersApiTests(AppFactory factory) : ApiTestBase(factory)
{
    [Fact]
    public async Task FullFlow_CreateAssignToGridAcceptFinish_WritesEveryStepInOrder()
    {
        var grid = await Data.GridAsync();
        var household = await Data.HouseholdAsync(gridId: grid.Id);
        var worker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid.Id);

        var created = await CreateAsync(Client, new { source = "DoorToDoorSampling", title = "上门采样", householdId = household });
        Assert.Equal(WorkOrderStatus.Pending, created.Status);
        Assert.Matches(@"^GD\d{6}-[0-9A-HJKMNP-TV-Z]{5}$", created.Number);
        await OkAsync(Client, $"/api/v1/work-orders/{created.Id}/assign", new { gridId = grid.Id });

        var mine = await worker.GetFromJsonAsync<Paged<WorkOrderListItem>>("/api/v1/work-orders?queue=Mine&pageSize=200", Json, Ct);
        var listed = Assert.Single(mine!.Items, i => i.Id == created.Id);
        Assert.Equal(grid.Name, listed.Assignee);
        Assert.Equal(TestData.Community, listed.CommunityCode);
        await OkAsync(worker, $"/api/v1/work-orders/{created.Id}/accept");
        await OkAsync(worker, $"/api/v1/work-orders/{created.Id}/finish", new { resolution = "已采样，样本送检" });

        var order = await GetAsync(Client, created.Id);
        Assert.Equal(WorkOrderStatus.Done, order.Status);
        Assert.Equal(WorkOrderSubject.Household, order.SubjectKind);
        Assert.Equal(grid.Id, order.GridId);
        Assert.Equal("已采样，样本送检", order.Resolution);
        Assert.Equal([WorkOrderEventKind.Created, WorkOrderEventKind.Assigned, WorkOrderEventKind.Accepted, WorkOrderEventKind.Done], order.Events.Select(e => e.Kind));
        Assert.Equal(grid.Name, order.Events[1].Assignee);
        Assert.Equal($"{StaffRoles.GridWorker}@{TestData.Community}", order.Events[2].Actor);
        Assert.Equal("已采样，样本送检", order.Events[3].Text);
        Assert.False(order.Can.Accept || order.Can.Finish || order.Can.Assign);

        await using var db = Factory.CreateDbContext();
        var audited = await db.AuditEntries.Where(a => a.EntityType == nameof(WorkOrder) && a.EntityId == created.Id.ToString()).ToListAsync(Ct);
        Assert.True(audited.Count >= 4, $"audit entries: {audited.Count}");
        Assert.All(audited, a => Assert.Equal(long.Parse(TestData.Community), a.ScopeCode));
    }

    [Fact]
    public async Task SendBack_NeedsAReason_ThenReturnsToPendingWithoutAssignee()
    {
        var (id, grid) = await AssignedToNewGridAsync();
        var worker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid);

        var response = await worker.PostAsJsonAsync($"/api/v1/work-orders/{id}/send-back", new { reason = "  " }, Json, Ct);
        await AssertInvalidAsync(response, "Reason", "退回必须填写原因。");
        Assert.Equal(WorkOrderStatus.Assigned, (await GetAsync(Client, id)).Status);

        await OkAsync(worker, $"/api/v1/work-orders/{id}/send-back", new { reason = "地址不在本网格" });

        var order = await GetAsync(Client, id);
        Assert.Equal(WorkOrderStatus.Pending, order.Status);
        Assert.Null(order.AssigneeGridId);
        Assert.Equal("地址不在本网格", order.SentBackReason);
        Assert.Equal("地址不在本网格", order.Events[^1].Text);
        Assert.Equal(WorkOrderEventKind.SentBack, order.Events[^1].Kind);
        // No longer theirs.
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.PostAsync($"/api/v1/work-orders/{id}/accept", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task Reassign_ToAPerson_MovesTheOrderAndOnlyTheNewHolderMayAccept()
    {
        var (id, grid) = await AssignedToNewGridAsync();
        var gridWorker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid);
        var sampler = await Factory.CreateAccountAsync(StaffRoles.Sampler, TestData.Community);
        var dueAt = DateTime.UtcNow.AddHours(6);

        await OkAsync(Client, $"/api/v1/work-orders/{id}/assign", new { accountId = sampler.Id, dueAt });

        var order = await GetAsync(Client, id);
        Assert.Equal(WorkOrderEventKind.Reassigned, order.Events[^1].Kind);
        Assert.Equal(sampler.DisplayName, order.Assignee);
        Assert.Equal(sampler.Id, order.AssigneeAccountId);
        Assert.Null(order.AssigneeGridId);
        Assert.Equal(dueAt, order.DueAt, TimeSpan.FromMilliseconds(1));

        var refused = await gridWorker.PostAsync($"/api/v1/work-orders/{id}/accept", null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("只有当前承办人才能执行此操作。", (await refused.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(Json, Ct))!.Title);
        var samplerClient = await Factory.ClientForAsync(sampler);
        var samplerView = await GetAsync(samplerClient, id);
        Assert.True(samplerView.Can.Accept);
        await OkAsync(samplerClient, $"/api/v1/work-orders/{id}/accept");
        Assert.Equal(WorkOrderStatus.Accepted, (await GetAsync(Client, id)).Status);
    }

    [Fact]
    public async Task SiblingCommunityCaller_GetsNotFound_AndTheOrderDoesNotLeak()
    {
        var (id, _) = await AssignedToNewGridAsync();
        var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);

        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/work-orders/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsync($"/api/v1/work-orders/{id}/accept", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/work-orders/{id}/comments", new { text = "看看" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/work-orders/{id}/send-back", new { reason = "x" }, Json, Ct)).StatusCode);
        foreach (var queue in Enum.GetNames<WorkOrderQueue>())
        {
            var page = await sibling.GetFromJsonAsync<Paged<WorkOrderListItem>>($"/api/v1/work-orders?queue={queue}&pageSize=200", Json, Ct);
            Assert.DoesNotContain(page!.Items, i => i.Id == id || i.CommunityCode != TestData.SiblingCommunity);
        }
        // Nor can it create orders in the other community.
        var response = await sibling.PostAsJsonAsync("/api/v1/work-orders", new { title = "越界", communityCode = TestData.Community }, Json, Ct);
        await AssertInvalidAsync(response, "CommunityCode", "请选择您管辖范围内的社区（村）。");
        Assert.Equal(2, (await GetAsync(Client, id)).Events.Count);
    }

    [Fact]
    public async Task Observer_CanRead_ButNeverWrite()
    {
        var (id, grid) = await AssignedToNewGridAsync();
        var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Community);

        var order = await GetAsync(observer, id);
        Assert.False(order.Can.Comment || order.Can.Assign || order.Can.Accept);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync("/api/v1/work-orders", new { title = "观察", communityCode = TestData.Community }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/work-orders/{id}/assign", new { gridId = grid }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/work-orders/{id}/comments", new { text = "意见" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsync($"/api/v1/work-orders/{id}/accept", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync("/api/v1/teams", new { communityCode = TestData.Community, name = "观察队" }, Json, Ct)).StatusCode);
        Assert.Equal(2, (await GetAsync(Client, id)).Events.Count);
    }

    [Fact]
    public async Task Comments_FromAnyoneWhoHandlesAndSees_GoIntoTheHistory()
    {
        var (id, _) = await AssignedToNewGridAsync();
        var sampler = await Factory.ClientForAsync(StaffRoles.Sampler, TestData.Community);

        await AssertInvalidAsync(await sampler.PostAsJsonAsync($"/api/v1/work-orders/{id}/comments", new { text = "" }, Json, Ct), "Text", "请填写意见内容。");
        await OkAsync(sampler, $"/api/v1/work-orders/{id}/comments", new { text = "居民白天不在家，请晚上上门" });

        var last = (await GetAsync(Client, id)).Events[^1];
        Assert.Equal((WorkOrderEventKind.Commented, "居民白天不在家，请晚上上门"), (last.Kind, last.Text));
        Assert.Equal($"{StaffRoles.Sampler}@{TestData.Community}", last.Actor);
    }

    [Theory]
    [InlineData("Title", "{\"title\":\" \",\"communityCode\":\"430202005001\"}", "请填写标题。")]
    [InlineData("CommunityCode", "{\"title\":\"x\",\"communityCode\":\"430202005\"}", "请选择您管辖范围内的社区（村）。")]
    [InlineData("DueAt", "{\"title\":\"x\",\"communityCode\":\"430202005001\",\"dueAt\":\"2020-01-01T00:00:00Z\"}", "办结时限必须晚于现在。")]
    [InlineData("PersonId", "{\"title\":\"x\",\"personId\":\"6f1c1e1e-0000-0000-0000-000000000000\"}", "找不到该人员，或其不在您的管辖范围内。")]
    public async Task Create_BadInput_NamesTheFieldAndWritesNothing(string field, string body, string message)
    {
        await using var before = Factory.CreateDbContext();
        var count = await before.WorkOrders.CountAsync(Ct);

        var response = await Client.PostAsync("/api/v1/work-orders", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        await AssertInvalidAsync(response, field, message);
        await using var after = Factory.CreateDbContext();
        Assert.Equal(count, await after.WorkOrders.CountAsync(Ct));
    }

    [Fact]
    public async Task Assign_BadInput_NamesTheFieldAndChangesNothing()
    {
        var order = await CreateAsync(Client, new { title = "待派单", communityCode = TestData.Community, place = "幸福路1号" });
        var siblingGrid = await Data.GridAsync(TestData.SiblingCommunity);
        var grid = await Data.GridAsync();
        var siblingAccount = await Factory.CreateAccountAsync(StaffRoles.Sampler, TestData.SiblingCommunity);
        var url = $"/api/v1/work-orders/{order.Id}/assign";

        await AssertInvalidAsync(await Client.PostAsJsonAsync(url, new { }, Json, Ct), "GridId", "请在网格、小队、人员中选择且只选择一个承办对象。");
        await AssertInvalidAsync(await Client.PostAsJsonAsync(url, new { gridId = grid.Id, accountId = siblingAccount.Id }, Json, Ct), "GridId", "请在网格、小队、人员中选择且只选择一个承办对象。");
        await AssertInvalidAsync(await Client.PostAsJsonAsync(url, new { gridId = siblingGrid.Id }, Json, Ct), "GridId", "请选择本社区的网格。");
        await AssertInvalidAsync(await Client.PostAsJsonAsync(url, new { accountId = siblingAccount.Id }, Json, Ct), "AccountId", "请选择负责本社区的在用账号。");
        await AssertInvalidAsync(await Client.PostAsJsonAsync(url, new { teamId = Guid.NewGuid() }, Json, Ct), "TeamId", "请选择本社区的小队。");
        await AssertInvalidAsync(await Client.PostAsJsonAsync(url, new { gridId = grid.Id, dueAt = DateTime.UtcNow.AddHours(-1) }, Json, Ct), "DueAt", "办结时限必须晚于现在。");

        var unchanged = await GetAsync(Client, order.Id);
        Assert.Equal(WorkOrderStatus.Pending, unchanged.Status);
        Assert.Single(unchanged.Events);
        Assert.Equal(WorkOrderSubject.Place, unchanged.SubjectKind);
        Assert.Equal("幸福路1号", unchanged.Subject);
    }

    [Fact]
    public async Task Finish_NeedsAcceptanceAndAResolution()
    {
        var (id, grid) = await AssignedToNewGridAsync();
        var worker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid);

        Assert.Equal(HttpStatusCode.Conflict, (await worker.PostAsJsonAsync($"/api/v1/work-orders/{id}/finish", new { resolution = "办好了" }, Json, Ct)).StatusCode);
        await OkAsync(worker, $"/api/v1/work-orders/{id}/accept");
        await AssertInvalidAsync(await worker.PostAsJsonAsync($"/api/v1/work-orders/{id}/finish", new { resolution = "" }, Json, Ct), "Resolution", "办结必须填写办理结果。");
        Assert.Equal(WorkOrderStatus.Accepted, (await GetAsync(Client, id)).Status);
    }

    [Fact]
    public async Task AGridWorkerInATeam_SeesAndActsOnTheTeamsOrder_InAnotherGrid()
    {
        var myGrid = await Data.GridAsync();
        var otherGrid = await Data.GridAsync();
        var worker = await Factory.CreateAccountAsync(StaffRoles.GridWorker, TestData.Community, myGrid.Id);
        var leader = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var response = await leader.PostAsJsonAsync("/api/v1/teams", new { communityCode = TestData.Community, name = $"送药队{Guid.NewGuid():N}"[..10], accountIds = new[] { worker.Id } }, Json, Ct);
        var team = (await response.Content.ReadFromJsonAsync<TeamItem>(Json, Ct))!;
        var order = await CreateAsync(leader, new { title = "送药上门", source = "ResidentRequest", need = "Medicine", communityCode = TestData.Community, gridId = otherGrid.Id, place = "幸福路3号" });
        await OkAsync(leader, $"/api/v1/work-orders/{order.Id}/assign", new { teamId = team.Id });

        using var workerClient = await Factory.ClientForAsync(worker);
        Assert.Contains(order.Id, await IdsAsync(workerClient, "Mine"));
        Assert.Equal(HttpStatusCode.OK, (await workerClient.GetAsync($"/api/v1/work-orders/{order.Id}", Ct)).StatusCode);
        await OkAsync(workerClient, $"/api/v1/work-orders/{order.Id}/accept");
        // Another grid's worker outside the team still sees nothing of it.
        using var stranger = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, myGrid.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/work-orders/{order.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Teams_CreateAssignAndMembersAct()
    {
        var leader = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var member = await Factory.CreateAccountAsync(StaffRoles.Sampler, TestData.Community);
        var outsider = await Factory.CreateAccountAsync(StaffRoles.Sampler, TestData.SiblingCommunity);
        var name = $"采样队{Guid.NewGuid():N}"[..10];

        await AssertInvalidAsync(await leader.PostAsJsonAsync("/api/v1/teams", new { communityCode = TestData.Community, name = " " }, Json, Ct), "Name", "请填写小队名称。");
        await AssertInvalidAsync(await leader.PostAsJsonAsync("/api/v1/teams", new { communityCode = TestData.Community, name, accountIds = new[] { outsider.Id } }, Json, Ct),
            "AccountIds", "请选择负责本社区的在用账号。");
        var response = await leader.PostAsJsonAsync("/api/v1/teams", new { communityCode = TestData.Community, name, accountIds = new[] { member.Id } }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var team = (await response.Content.ReadFromJsonAsync<TeamItem>(Json, Ct))!;
        Assert.Equal(member.Id, Assert.Single(team.Members).AccountId);
        Assert.Equal(HttpStatusCode.Conflict, (await leader.PostAsJsonAsync("/api/v1/teams", new { communityCode = TestData.Community, name }, Json, Ct)).StatusCode);

        var order = await CreateAsync(leader, new { title = "送药上门", source = "ResidentRequest", need = "Medicine", communityCode = TestData.Community, place = "幸福路2号" });
        await OkAsync(leader, $"/api/v1/work-orders/{order.Id}/assign", new { teamId = team.Id });
        var memberClient = await Factory.ClientForAsync(member);
        var mine = await memberClient.GetFromJsonAsync<Paged<WorkOrderListItem>>("/api/v1/work-orders?queue=Mine", Json, Ct);
        Assert.Equal(name, Assert.Single(mine!.Items, i => i.Id == order.Id).Assignee);
        var nonMember = await Factory.ClientForAsync(StaffRoles.Sampler, TestData.Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await nonMember.PostAsync($"/api/v1/work-orders/{order.Id}/accept", null, Ct)).StatusCode);
        await OkAsync(memberClient, $"/api/v1/work-orders/{order.Id}/accept");

        var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        var siblingTeams = await sibling.GetFromJsonAsync<List<TeamItem>>("/api/v1/teams", Json, Ct);
        Assert.DoesNotContain(siblingTeams!, t => t.Id == team.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PutAsJsonAsync($"/api/v1/teams/{team.Id}/members", new { accountIds = Array.Empty<Guid>() }, Json, Ct)).StatusCode);

        var emptied = await leader.PutAsJsonAsync($"/api/v1/teams/{team.Id}/members", new { accountIds = Array.Empty<Guid>() }, Json, Ct);
        Assert.Empty((await emptied.Content.ReadFromJsonAsync<TeamItem>(Json, Ct))!.Members);
        var teams = await leader.GetFromJsonAsync<List<TeamItem>>($"/api/v1/teams?communityCode={TestData.Community}", Json, Ct);
        Assert.Contains(teams!, t => t.Id == team.Id && t.Members.Count == 0);
        var assignees = await leader.GetFromJsonAsync<AssigneeOptions>($"/api/v1/work-orders/assignees?communityCode={TestData.Community}", Json, Ct);
        Assert.Contains(assignees!.Teams, t => t.Id == team.Id);
        Assert.Contains(assignees.Accounts, a => a.Id == member.Id);
        Assert.DoesNotContain(assignees.Accounts, a => a.Id == outsider.Id);
    }

    [Fact]
    public async Task Queues_AndCounts_OfAGridWorker()
    {
        var grid = await Data.GridAsync();
        var household = await Data.HouseholdAsync(gridId: grid.Id);
        var workerAccount = await Factory.CreateAccountAsync(StaffRoles.GridWorker, TestData.Community, grid.Id);
        var worker = await Factory.ClientForAsync(workerAccount);

        var toGrid = await CreateAsync(Client, new { title = "给网格", communityCode = TestData.Community, place = "A" });
        await OkAsync(Client, $"/api/v1/work-orders/{toGrid.Id}/assign", new { gridId = grid.Id });
        var pendingInGrid = await CreateAsync(Client, new { title = "网格内待派", householdId = household });
        var toPerson = await CreateAsync(Client, new { title = "给个人", communityCode = TestData.Community, place = "B" });
        await OkAsync(Client, $"/api/v1/work-orders/{toPerson.Id}/assign", new { accountId = workerAccount.Id });
        var elsewhere = await CreateAsync(Client, new { title = "别的网格", communityCode = TestData.Community, place = "C" });
        Guid publicId;
        await using (var db = Factory.CreateDbContext())
        {
            // Overdue, and a report from the public page as the hotline writes it.
            await db.WorkOrders.Where(w => w.Id == toGrid.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.DueAt, DateTime.UtcNow.AddMinutes(-5)), Ct);
            var report = new WorkOrder
            {
                Number = WorkOrderNumbers.New(DateOnly.FromDateTime(DateTime.UtcNow)), Source = WorkOrderSource.HotlineReport, Title = "群众举报", IsPublic = true,
                ReporterName = "王先生", ReporterPhone = "13912345678", Place = "幸福路3号", SubjectKind = WorkOrderSubject.Place,
                CommunityCode = long.Parse(TestData.Community), GridId = grid.Id, DueAt = DateTime.UtcNow.AddHours(2), CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            };
            db.WorkOrders.Add(report);
            db.WorkOrderEvents.Add(new WorkOrderEvent { WorkOrderId = report.Id, At = DateTime.UtcNow, Kind = WorkOrderEventKind.Created, Actor = "王先生" });
            await db.SaveChangesAsync(Ct);
            publicId = report.Id;
        }

        var counts = await worker.GetFromJsonAsync<WorkOrderCounts>("/api/v1/work-orders/counts", Json, Ct);
        Assert.Equal(new WorkOrderCounts(Mine: 2, Grid: 3, Community: 4, Overdue: 1, Pending: 2, Escalated: 0), counts);
        Assert.Equal([toGrid.Id, toPerson.Id], await IdsAsync(worker, "Mine"));
        Assert.Equal(new[] { toGrid.Id, pendingInGrid.Id, publicId }.Order(), (await IdsAsync(worker, "Grid")).Order());
        Assert.Equal([toGrid.Id], await IdsAsync(worker, "Overdue"));
        Assert.Equal(new[] { pendingInGrid.Id, publicId }.Order(), (await IdsAsync(worker, "Pending")).Order());
        Assert.DoesNotContain(elsewhere.Id, await IdsAsync(worker, "Community"));
        var overdue = await worker.GetFromJsonAsync<Paged<WorkOrderListItem>>("/api/v1/work-orders?overdue=true", Json, Ct);
        Assert.True(Assert.Single(overdue!.Items).IsOverdue);

        var reported = await GetAsync(worker, publicId);
        Assert.Equal("139****5678", reported.ReporterPhoneMasked);
        Assert.Equal("王先生", reported.ReporterName);
        var community = await Client.GetFromJsonAsync<Paged<WorkOrderListItem>>($"/api/v1/work-orders?queue=Pending&source=HotlineReport&pageSize=200", Json, Ct);
        Assert.Contains(community!.Items, i => i.Id == publicId && i.IsPublic);
        Assert.DoesNotContain(community.Items, i => i.Source != WorkOrderSource.HotlineReport);
    }

    private async Task<List<Guid>> IdsAsync(HttpClient client, string queue) =>
        (await client.GetFromJsonAsync<Paged<WorkOrderListItem>>($"/api/v1/work-orders?queue={queue}&pageSize=200", Json, Ct))!.Items.Select(i => i.Id).ToList();

    private async Task<(Guid Id, Guid GridId)> AssignedToNewGridAsync()
    {
        var grid = await Data.GridAsync();
        var order = await CreateAsync(Client, new { title = "落位密接", source = "LocateContact", communityCode = TestData.Community, gridId = grid.Id, place = "幸福路9号" });
        await OkAsync(Client, $"/api/v1/work-orders/{order.Id}/assign", new { gridId = grid.Id });
        return (order.Id, grid.Id);
    }

    private static async Task<SavedWorkOrder> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/work-orders", body, Json, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<SavedWorkOrder>(Json, Ct))!;
    }

    private static async Task<WorkOrderDetails> GetAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<WorkOrderDetails>($"/api/v1/work-orders/{id}", Json, Ct))!;

    private static async Task OkAsync(HttpClient client, string url, object? body = null)
    {
        var response = await client.PostAsJsonAsync(url, body ?? new { }, Json, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field, string message)
    {
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal(message, Assert.Single(problem!.Errors[field]));
    }
}

public sealed class WorkOrdersApiTests_Sqlite(SqliteAppFactory factory) : WorkOrdersApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class WorkOrdersApiTests_Postgres(PostgresAppFactory factory) : WorkOrdersApiTests(factory), IClassFixture<PostgresAppFactory>;
