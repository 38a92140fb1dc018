using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.WorkOrders;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.WorkOrders;

public abstract class WorkOrderEscalationTests(AppFactory factory) : ApiTestBase(factory)
{
    [Fact]
    public async Task OverdueOrders_RiseToCommunityThenStreet_DoneOrdersNever()
    {
        var grid = await Data.GridAsync();
        var worker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid.Id);
        var start = Factory.Clock!.GetUtcNow().UtcDateTime;
        var late = await CreateAssignedAsync(grid.Id, start.AddHours(1));
        var done = await CreateAssignedAsync(grid.Id, start.AddHours(1));
        await PostAsync(worker, $"/api/v1/work-orders/{done}/accept", new { });
        await PostAsync(worker, $"/api/v1/work-orders/{done}/finish", new { resolution = "按时办结" });
        var escalation = Factory.Get<WorkOrderEscalation>();

        Factory.Clock!.Advance(TimeSpan.FromHours(2));
        await escalation.EscalateOverdueAsync(Ct);
        var overdueOnly = await GetAsync(late);
        Assert.True(overdueOnly.IsOverdue);
        Assert.Equal(0, overdueOnly.EscalationLevel);

        Factory.Clock!.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await escalation.EscalateOverdueAsync(Ct);
        await escalation.EscalateOverdueAsync(Ct);
        var community = await GetAsync(late);
        Assert.Equal(1, community.EscalationLevel);
        var escalated = Assert.Single(community.Events, e => e.Kind == WorkOrderEventKind.Escalated);
        Assert.Equal("超时未办结，已升级至社区", escalated.Text);
        Assert.Equal("系统", escalated.Actor);

        Factory.Clock!.Advance(TimeSpan.FromHours(2));
        await escalation.EscalateOverdueAsync(Ct);
        var street = await GetAsync(late);
        Assert.Equal(2, street.EscalationLevel);
        Assert.Equal(["超时未办结，已升级至社区", "超时未办结，已升级至街道"], street.Events.Where(e => e.Kind == WorkOrderEventKind.Escalated).Select(e => e.Text));
        Assert.Equal(WorkOrderEventKind.Escalated, street.Events[^1].Kind);

        var finished = await GetAsync(done);
        Assert.Equal(0, finished.EscalationLevel);
        Assert.DoesNotContain(finished.Events, e => e.Kind == WorkOrderEventKind.Escalated);

        // The community's dispatchers see it first in the overdue queue, flagged.
        var dispatcher = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var overdue = await dispatcher.GetFromJsonAsync<Paged<WorkOrderListItem>>("/api/v1/work-orders?queue=Overdue", Json, Ct);
        var position = overdue!.Items.ToList().FindIndex(i => i.Id == late);
        Assert.True(overdue.Items[position].IsOverdue);
        Assert.All(overdue.Items.Take(position + 1), i => Assert.Equal(2, i.EscalationLevel));
        var counts = await dispatcher.GetFromJsonAsync<WorkOrderCounts>("/api/v1/work-orders/counts", Json, Ct);
        Assert.True(counts!.Escalated >= 1);

        await using var db = Factory.CreateDbContext();
        var audited = await db.AuditEntries.CountAsync(a => a.EntityType == nameof(WorkOrder) && a.EntityId == late.ToString() && a.Action == Web.Features.Audit.AuditAction.Update && a.Changes!.Contains("EscalationLevel"), Ct);
        Assert.Equal(2, audited);
    }

    [Fact]
    public async Task ANewDeadline_OnReassignment_ClearsTheEscalation()
    {
        var grid = await Data.GridAsync();
        var start = Factory.Clock!.GetUtcNow().UtcDateTime;
        var id = await CreateAssignedAsync(grid.Id, start.AddHours(1));
        Factory.Clock!.Advance(TimeSpan.FromHours(5));
        await Factory.Get<WorkOrderEscalation>().EscalateOverdueAsync(Ct);
        Assert.Equal(2, (await GetAsync(id)).EscalationLevel);

        await PostAsync(Client, $"/api/v1/work-orders/{id}/assign", new { gridId = grid.Id, dueAt = Factory.Clock!.GetUtcNow().UtcDateTime.AddHours(8) });

        var order = await GetAsync(id);
        Assert.Equal((0, false), (order.EscalationLevel, order.IsOverdue));
    }

    private async Task<Guid> CreateAssignedAsync(Guid grid, DateTime dueAt)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/work-orders", new { title = "限时办理", communityCode = TestData.Community, place = "幸福路5号", dueAt }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<SavedWorkOrder>(Json, Ct))!.Id;
        await PostAsync(Client, $"/api/v1/work-orders/{id}/assign", new { gridId = grid });
        return id;
    }

    private async Task<WorkOrderDetails> GetAsync(Guid id) => (await Client.GetFromJsonAsync<WorkOrderDetails>($"/api/v1/work-orders/{id}", Json, Ct))!;

    private static async Task PostAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body, Json, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }
}

public sealed class WorkOrderEscalationTests_Sqlite(SqliteFakeTimeAppFactory factory) : WorkOrderEscalationTests(factory), IClassFixture<SqliteFakeTimeAppFactory>;

public sealed class WorkOrderEscalationTests_Postgres(PostgresFakeTimeAppFactory factory) : WorkOrderEscalationTests(factory), IClassFixture<PostgresFakeTimeAppFactory>;
