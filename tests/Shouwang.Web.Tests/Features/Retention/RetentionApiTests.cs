using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Retention;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Retention;

public abstract class RetentionApiTests(AppFactory factory) : ApiTestBase(factory)
{
    private static readonly DateTime Old = DateTime.UtcNow.AddDays(-400);
    private static readonly DateTime Recent = DateTime.UtcNow.AddDays(-10);

    private async Task<Guid> PersonAsync(string community = TestData.Community) =>
        (await Data.PersonAsync(await Data.HouseholdAsync(community))).Id;

    /// <summary>A work order with three history lines, two of them with free text.</summary>
    private async Task<Guid> OrderAsync(DateTime? doneAt, WorkOrderStatus status = WorkOrderStatus.Done, string community = TestData.Community)
    {
        var personId = await PersonAsync(community);
        await using var db = Factory.CreateDbContext();
        var created = (doneAt ?? DateTime.UtcNow).AddDays(-1);
        var order = new WorkOrder
        {
            Number = $"GD{Guid.NewGuid():N}"[..18], Title = "上门送药", Description = "独居老人需要降压药", Source = WorkOrderSource.ResidentRequest,
            SubjectKind = WorkOrderSubject.Person, PersonId = personId, Place = "晏家湾3栋502", CommunityCode = long.Parse(community),
            ReporterName = "王女士", ReporterPhone = "13912345678", Resolution = "已送达", Status = status, DoneAt = doneAt,
            DueAt = created.AddDays(1), CreatedAt = created, UpdatedAt = doneAt ?? created,
        };
        db.WorkOrders.Add(order);
        db.WorkOrderEvents.AddRange(
            new WorkOrderEvent { WorkOrderId = order.Id, At = created, Kind = WorkOrderEventKind.Created, Actor = "王女士", Text = "家住3栋502，电话13912345678" },
            new WorkOrderEvent { WorkOrderId = order.Id, At = created, Kind = WorkOrderEventKind.Assigned, Actor = "社区", Assignee = "网格一" },
            new WorkOrderEvent { WorkOrderId = order.Id, At = doneAt ?? created, Kind = WorkOrderEventKind.Done, Actor = "网格员", Text = "药已送到本人" });
        await db.SaveChangesAsync(Ct);
        return order.Id;
    }

    private async Task<Guid> RestrictionAsync(RestrictionState state, DateTime at, string community = TestData.Community)
    {
        var personId = await PersonAsync(community);
        await using var db = Factory.CreateDbContext();
        var restriction = new Restriction
        {
            PersonId = personId, CommunityCode = long.Parse(community), Kind = RestrictionKind.StatusColour, Colour = StatusColour.Yellow,
            Reason = "密接的同住人", Basis = RestrictionBasis.Other, State = state, RequestedByName = "申请人", RequestedAt = at.AddDays(-2),
            DecidedByName = state == RestrictionState.PendingApproval ? null : "审批人", DecidedAt = state == RestrictionState.PendingApproval ? null : at,
            LiftedByName = state == RestrictionState.Lifted ? "解除人" : null, LiftedAt = state == RestrictionState.Lifted ? at : null,
        };
        db.Restrictions.Add(restriction);
        await db.SaveChangesAsync(Ct);
        return restriction.Id;
    }

    private async Task<RetentionReport> PreviewAsync(HttpClient? client = null) =>
        (await (client ?? Client).GetFromJsonAsync<RetentionReport>("/api/v1/retention/preview", Json, Ct))!;

    private async Task<RetentionReport> PurgeAsync(HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/api/v1/retention/purge", new { }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RetentionReport>(Json, Ct))!;
    }

    private async Task<WorkOrder> LoadOrderAsync(Guid id)
    {
        await using var db = Factory.CreateDbContext();
        return await db.WorkOrders.AsNoTracking().SingleAsync(w => w.Id == id, Ct);
    }

    private async Task<List<WorkOrderEvent>> LoadEventsAsync(Guid orderId)
    {
        await using var db = Factory.CreateDbContext();
        return await db.WorkOrderEvents.AsNoTracking().Where(e => e.WorkOrderId == orderId).ToListAsync(Ct);
    }

    private async Task<bool> RestrictionExistsAsync(Guid id)
    {
        await using var db = Factory.CreateDbContext();
        return await db.Restrictions.AnyAsync(r => r.Id == id, Ct);
    }

    private async Task SeedMixAsync()
    {
        await OrderAsync(Old);
        await OrderAsync(Recent);
        await OrderAsync(null, WorkOrderStatus.Accepted);
        await RestrictionAsync(RestrictionState.Lifted, Old);
        await RestrictionAsync(RestrictionState.Rejected, Old);
        await RestrictionAsync(RestrictionState.Lifted, Recent);
        await RestrictionAsync(RestrictionState.Active, Old);
        await RestrictionAsync(RestrictionState.PendingApproval, Old);
    }

    [Fact]
    public async Task Preview_CountsOnlyClosedRecordsPastRetention_AndChangesNothing()
    {
        var before = await PreviewAsync();
        var shorterBefore = await Client.GetFromJsonAsync<RetentionReport>("/api/v1/retention/preview?olderThanDays=5", Json, Ct);
        await SeedMixAsync();

        var after = await PreviewAsync();

        Assert.Equal(365, after.OlderThanDays);
        Assert.False(after.Purged);
        Assert.Equal(before.WorkOrders + 1, after.WorkOrders);
        Assert.Equal(before.WorkOrderEvents + 2, after.WorkOrderEvents);
        Assert.Equal(before.Restrictions + 2, after.Restrictions);
        Assert.Equal(after, await PreviewAsync() with { Cutoff = after.Cutoff });
        var shorter = await Client.GetFromJsonAsync<RetentionReport>("/api/v1/retention/preview?olderThanDays=5", Json, Ct);
        Assert.Equal(5, shorter!.OlderThanDays);
        Assert.Equal(shorterBefore!.WorkOrders + 2, shorter.WorkOrders);
        Assert.Equal(shorterBefore.Restrictions + 3, shorter.Restrictions);
    }

    [Fact]
    public async Task Purge_AnonymisesExactlyTheOldOrders_DeletesEndedRestrictions_AndIsAuditedOnce()
    {
        var oldOrder = await OrderAsync(Old);
        var recentOrder = await OrderAsync(Recent);
        var openOrder = await OrderAsync(null, WorkOrderStatus.Accepted);
        var oldLifted = await RestrictionAsync(RestrictionState.Lifted, Old);
        var oldRejected = await RestrictionAsync(RestrictionState.Rejected, Old);
        var recentLifted = await RestrictionAsync(RestrictionState.Lifted, Recent);
        var oldActive = await RestrictionAsync(RestrictionState.Active, Old);
        var oldPending = await RestrictionAsync(RestrictionState.PendingApproval, Old);
        var preview = await PreviewAsync();
        int purgesBefore;
        await using (var db = Factory.CreateDbContext()) purgesBefore = await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Purge, Ct);

        var report = await PurgeAsync();

        Assert.True(report.Purged);
        Assert.Equal((preview.WorkOrders, preview.WorkOrderEvents, preview.Restrictions), (report.WorkOrders, report.WorkOrderEvents, report.Restrictions));
        var anonymised = await LoadOrderAsync(oldOrder);
        Assert.NotNull(anonymised.AnonymisedAt);
        Assert.Null(anonymised.ReporterName);
        Assert.Null(anonymised.ReporterPhone);
        Assert.Null(anonymised.Description);
        Assert.Null(anonymised.Place);
        Assert.Null(anonymised.PersonId);
        Assert.Equal(WorkOrderSubject.None, anonymised.SubjectKind);
        Assert.Equal(PurgeExpiredRecords.ClearedText, anonymised.Resolution);
        // Titles can quote the resident (public reports), so they go too; what kind of order it was stays for the counts.
        Assert.Equal(PurgeExpiredRecords.ClearedText, anonymised.Title);
        Assert.Equal(WorkOrderSource.ResidentRequest, anonymised.Source);
        await using (var db = Factory.CreateDbContext())
        {
            // Nor did the append-only log keep the resident's words when the order was written.
            var logged = await db.AuditEntries.Where(e => e.EntityId == oldOrder.ToString()).Select(e => e.Changes).ToListAsync(Ct);
            Assert.NotEmpty(logged);
            Assert.All(logged, c => Assert.DoesNotContain("降压药", c ?? ""));
        }
        var events = await LoadEventsAsync(oldOrder);
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Null(e.Text));
        Assert.Contains(events, e => e.Kind == WorkOrderEventKind.Assigned && e.Assignee == "网格一");

        foreach (var keptId in new[] { recentOrder, openOrder })
        {
            var kept = await LoadOrderAsync(keptId);
            Assert.Null(kept.AnonymisedAt);
            Assert.Equal("王女士", kept.ReporterName);
            Assert.NotNull(kept.PersonId);
            Assert.Equal(2, (await LoadEventsAsync(keptId)).Count(e => e.Text is not null));
        }
        Assert.False(await RestrictionExistsAsync(oldLifted));
        Assert.False(await RestrictionExistsAsync(oldRejected));
        Assert.True(await RestrictionExistsAsync(recentLifted));
        Assert.True(await RestrictionExistsAsync(oldActive));
        Assert.True(await RestrictionExistsAsync(oldPending));

        await using (var db = Factory.CreateDbContext())
        {
            var purges = await db.AuditEntries.Where(a => a.Action == AuditAction.Purge).ToListAsync(Ct);
            Assert.Equal(purgesBefore + 1, purges.Count);
            var entry = purges.OrderBy(a => a.At).Last();
            Assert.Equal(report.Total, entry.RowCount);
            Assert.Contains($"Restriction deleted {report.Restrictions}", entry.Summary);
            Assert.NotNull(entry.AccountId);
        }
        var again = await PreviewAsync();
        Assert.Equal(0, again.Total);
    }

    [Fact]
    public async Task CommunityAdmin_PurgesOnlyTheirOwnCommunity()
    {
        var own = await OrderAsync(Old);
        var sibling = await OrderAsync(Old, community: TestData.SiblingCommunity);
        var siblingRestriction = await RestrictionAsync(RestrictionState.Lifted, Old, TestData.SiblingCommunity);
        using var admin = await Factory.ClientForAsync(StaffRoles.Admin, TestData.Community);

        var preview = await PreviewAsync(admin);
        var report = await PurgeAsync(admin);

        Assert.Equal(preview.Total, report.Total);
        Assert.NotNull((await LoadOrderAsync(own)).AnonymisedAt);
        var kept = await LoadOrderAsync(sibling);
        Assert.Null(kept.AnonymisedAt);
        Assert.Equal("王女士", kept.ReporterName);
        Assert.Equal(2, (await LoadEventsAsync(sibling)).Count(e => e.Text is not null));
        Assert.True(await RestrictionExistsAsync(siblingRestriction));
        await using var db = Factory.CreateDbContext();
        var entry = await db.AuditEntries.Where(a => a.Action == AuditAction.Purge).OrderByDescending(a => a.At).FirstAsync(Ct);
        Assert.Equal(long.Parse(TestData.Community), entry.ScopeCode);
    }

    [Theory]
    [InlineData(StaffRoles.Observer)]
    [InlineData(StaffRoles.Command | StaffRoles.CommunityWorker)]
    public async Task OnlyAdmins_MayPreviewOrPurge(StaffRoles roles)
    {
        var order = await OrderAsync(Old);
        using var client = await Factory.ClientForAsync(roles, TestData.Community);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/retention/preview", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/retention/purge", new { }, Json, Ct)).StatusCode);
        Assert.Null((await LoadOrderAsync(order)).AnonymisedAt);
    }

    [Fact]
    public async Task Purge_WithABadPeriod_NamesTheFieldAndChangesNothing()
    {
        var order = await OrderAsync(Old);
        var response = await Client.PostAsJsonAsync("/api/v1/retention/purge", new { olderThanDays = 0 }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal(["OlderThanDays"], problem!.Errors.Keys);
        Assert.Null((await LoadOrderAsync(order)).AnonymisedAt);
    }

    [Fact]
    public async Task Command_DryRunChangesNothing_ConfirmedRunAsThePlatformPurgesEverywhere()
    {
        var own = await OrderAsync(Old);
        var sibling = await OrderAsync(Old, community: TestData.SiblingCommunity);

        Assert.Equal(0, await Commands.RunAsync(Factory.Services, ["purge"]));
        Assert.Null((await LoadOrderAsync(own)).AnonymisedAt);

        var purge = Factory.Get<PurgeExpiredRecords>();
        using (CallerContext.AsSystem())
        {
            var cutoff = purge.CutoffFor(null);
            var counts = await purge.CountAsync(cutoff, Ct);
            Assert.True(counts.WorkOrders >= 2);
            var done = await purge.PurgeAsync(cutoff, Ct);
            Assert.Equal(counts, done);
        }
        Assert.NotNull((await LoadOrderAsync(own)).AnonymisedAt);
        Assert.NotNull((await LoadOrderAsync(sibling)).AnonymisedAt);
        await using var db = Factory.CreateDbContext();
        var entry = await db.AuditEntries.Where(a => a.Action == AuditAction.Purge).OrderByDescending(a => a.At).FirstAsync(Ct);
        Assert.Equal("system", entry.Actor);
        Assert.Null(entry.AccountId);
    }
}

public sealed class RetentionApiTests_Sqlite(SqliteAppFactory factory) : RetentionApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class RetentionApiTests_Postgres(PostgresAppFactory factory) : RetentionApiTests(factory), IClassFixture<PostgresAppFactory>;
