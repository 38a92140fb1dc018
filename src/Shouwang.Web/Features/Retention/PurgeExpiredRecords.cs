using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Retention;

/// <summary><c>Shouwang:Retention:Days</c>: how long person-level epidemic records are kept after they are closed.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Shouwang:Retention";
    public int Days { get; set; } = 365;
}

/// <summary>What a purge touches (or would touch): orders anonymised, their history lines' free text, restrictions deleted.</summary>
public sealed record RetentionCounts(DateTime Cutoff, int WorkOrders, int WorkOrderEvents, int Restrictions)
{
    public int Total => WorkOrders + WorkOrderEvents + Restrictions;
}

/// <summary>
/// Removes the personal details of closed person-level records older than the retention period: done work orders are
/// anonymised (their history lines stay, only the free text goes), rejected and lifted restrictions are deleted. Active
/// and pending records are never touched. Works in the current caller's jurisdiction (the query filters apply; the
/// command runs as the platform and so covers everything).
/// </summary>
public sealed class PurgeExpiredRecords(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, AuditLog audit, IOptions<RetentionOptions> options)
{
    public const string ClearedText = "（已按保存期限清除）";

    public int DefaultDays => options.Value.Days;

    public DateTime CutoffFor(int? olderThanDays) => clock.UtcNow.AddDays(-(olderThanDays ?? DefaultDays));

    public async Task<RetentionCounts> CountAsync(DateTime cutoff, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return new RetentionCounts(cutoff,
            await ExpiredOrders(db, cutoff).CountAsync(cancellationToken),
            await ExpiredEvents(db, cutoff).CountAsync(cancellationToken),
            await ExpiredRestrictions(db, cutoff).CountAsync(cancellationToken));
    }

    public async Task<RetentionCounts> PurgeAsync(DateTime cutoff, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.UtcNow;
        // History lines are append-only for the app (the context refuses to change them); the purge is the one writer that
        // may clear their text, so it goes around the change tracker on purpose. Events first: they are found through their orders.
        var events = await ExpiredEvents(db, cutoff).ExecuteUpdateAsync(s => s.SetProperty(e => e.Text, (string?)null), cancellationToken);
        var orders = await ExpiredOrders(db, cutoff).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.ReporterName, (string?)null)
            .SetProperty(w => w.ReporterPhone, (string?)null)
            .SetProperty(w => w.Description, (string?)null)
            // Public reports' titles quote the resident's words.
            .SetProperty(w => w.Title, ClearedText)
            .SetProperty(w => w.Place, (string?)null)
            .SetProperty(w => w.PersonId, (Guid?)null)
            .SetProperty(w => w.HouseholdId, (Guid?)null)
            .SetProperty(w => w.SentBackReason, (string?)null)
            .SetProperty(w => w.Resolution, ClearedText)
            .SetProperty(w => w.SubjectKind, WorkOrderSubject.None)
            .SetProperty(w => w.AnonymisedAt, now), cancellationToken);
        var restrictions = await ExpiredRestrictions(db, cutoff).ExecuteDeleteAsync(cancellationToken);
        var counts = new RetentionCounts(cutoff, orders, events, restrictions);

        var caller = db.Caller;
        db.AuditEntries.Add(audit.Entry(AuditAction.Purge, "Retention", null, caller.IsSystem ? 0 : caller.ScopeMin,
            $"cutoff {cutoff:yyyy-MM-dd HH:mm}Z: WorkOrder anonymised {orders}, WorkOrderEvent text cleared {events}, Restriction deleted {restrictions}",
            counts.Total, caller));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return counts;
    }

    private static IQueryable<WorkOrder> ExpiredOrders(AppDbContext db, DateTime cutoff) =>
        db.WorkOrders.Where(w => w.Status == WorkOrderStatus.Done && w.DoneAt < cutoff && w.AnonymisedAt == null);

    private static IQueryable<WorkOrderEvent> ExpiredEvents(AppDbContext db, DateTime cutoff) =>
        db.WorkOrderEvents.Where(e => e.Text != null && ExpiredOrders(db, cutoff).Select(w => w.Id).Contains(e.WorkOrderId));

    private static IQueryable<Restriction> ExpiredRestrictions(AppDbContext db, DateTime cutoff) =>
        db.Restrictions.Where(r => (r.State == RestrictionState.Rejected && r.DecidedAt < cutoff) || (r.State == RestrictionState.Lifted && r.LiftedAt < cutoff));
}
