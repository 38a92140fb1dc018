using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.WorkOrders;

public enum WorkOrderQueue
{
    /// <summary>Given to me, to a team I am in, or to my grid when I am bound to one.</summary>
    Mine,
    /// <summary>Orders of my grid (for accounts above the grids: orders given to any grid).</summary>
    Grid,
    /// <summary>Everything in my jurisdiction.</summary>
    Community,
    /// <summary>Not done and past the deadline, the most escalated first.</summary>
    Overdue,
    /// <summary>待派: waiting for a dispatcher.</summary>
    Pending,
}

/// <summary>Without <paramref name="Status"/>, queues list open orders only.</summary>
public sealed record WorkOrderSearch(WorkOrderQueue? Queue = null, WorkOrderStatus? Status = null, WorkOrderSource? Source = null, bool? Overdue = null,
    int? Page = 1, int? PageSize = 20);

public sealed record WorkOrderListItem(
    Guid Id, string Number, string Title, WorkOrderSource Source, WorkOrderStatus Status, WorkOrderSubject SubjectKind, string? Subject,
    string CommunityCode, string? CommunityName, Guid? GridId, string? GridName, string? Assignee, DateTime DueAt, bool IsOverdue,
    int EscalationLevel, bool IsPublic, DateTime CreatedAt);

public sealed record WorkOrderCounts(int Mine, int Grid, int Community, int Overdue, int Pending, int Escalated);

public sealed class SearchWorkOrders(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    public async Task<Paged<WorkOrderListItem>> HandleAsync(WorkOrderSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var queue = search.Queue ?? WorkOrderQueue.Community;
        var query = InQueue(db, queue, now);
        if (search.Status is { } status) query = query.Where(w => w.Status == status);
        // Pending and overdue orders are open by definition (InQueue).
        else if (queue is not (WorkOrderQueue.Pending or WorkOrderQueue.Overdue)) query = query.Where(w => w.Status != WorkOrderStatus.Done);
        if (search.Source is { } source) query = query.Where(w => w.Source == source);
        if (search.Overdue == true) query = query.Where(w => w.Status != WorkOrderStatus.Done && w.DueAt < now);
        else if (search.Overdue == false) query = query.Where(w => w.Status == WorkOrderStatus.Done || w.DueAt >= now);

        var total = await query.CountAsync(cancellationToken);
        var ordered = queue == WorkOrderQueue.Overdue
            ? query.OrderByDescending(w => w.EscalationLevel).ThenBy(w => w.DueAt)
            : query.OrderBy(w => w.Status).ThenByDescending(w => w.EscalationLevel).ThenBy(w => w.DueAt);
        var orders = await ordered.ThenBy(w => w.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var names = await WorkOrderNames.LoadAsync(db, orders, cancellationToken);
        var items = orders.Select(w => new WorkOrderListItem(
            w.Id, w.Number, w.Title, w.Source, w.Status, w.SubjectKind, names.Subject(w), w.CommunityCode.ToString(), names.Community(w.CommunityCode),
            w.GridId, names.Grid(w.GridId), names.Assignee(w), w.DueAt, w.IsOverdue(now), w.EscalationLevel, w.IsPublic, w.CreatedAt)).ToList();
        return new Paged<WorkOrderListItem>(items, total, page, pageSize);
    }

    /// <summary>Every queue's count of open orders in one round trip: a single pass over the open orders in scope with one conditional COUNT per queue.</summary>
    public async Task<WorkOrderCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = db.Caller.AccountId;
        var grid = db.Caller.GridId;
        // The predicates are those of InQueue, restricted to open orders.
        var counts = await db.WorkOrders.AsNoTracking().Where(w => w.Status != WorkOrderStatus.Done)
            .GroupBy(_ => 1)
            .Select(g => new WorkOrderCounts(
                g.Count(w => w.AssigneeAccountId == me
                    || (grid != null && w.AssigneeGridId == grid)
                    || (w.AssigneeTeamId != null && db.TeamMembers.Any(m => m.TeamId == w.AssigneeTeamId && m.AccountId == me))),
                g.Count(w => (grid != null && (w.GridId == grid || w.AssigneeGridId == grid)) || (grid == null && w.AssigneeGridId != null)),
                g.Count(),
                g.Count(w => w.DueAt < now),
                g.Count(w => w.Status == WorkOrderStatus.Pending),
                g.Count(w => w.EscalationLevel > 0)))
            .FirstOrDefaultAsync(cancellationToken);
        return counts ?? new WorkOrderCounts(0, 0, 0, 0, 0, 0);
    }

    /// <summary>The jurisdiction is already the context's filter; a queue only narrows it.</summary>
    private static IQueryable<WorkOrder> InQueue(AppDbContext db, WorkOrderQueue queue, DateTime now)
    {
        var orders = db.WorkOrders.AsNoTracking();
        var me = db.Caller.AccountId;
        var grid = db.Caller.GridId;
        return queue switch
        {
            WorkOrderQueue.Mine => orders.Where(w => w.AssigneeAccountId == me
                || (grid != null && w.AssigneeGridId == grid)
                || (w.AssigneeTeamId != null && db.TeamMembers.Any(m => m.TeamId == w.AssigneeTeamId && m.AccountId == me))),
            WorkOrderQueue.Grid => grid != null
                ? orders.Where(w => w.GridId == grid || w.AssigneeGridId == grid)
                : orders.Where(w => w.AssigneeGridId != null),
            WorkOrderQueue.Overdue => orders.Where(w => w.Status != WorkOrderStatus.Done && w.DueAt < now),
            WorkOrderQueue.Pending => orders.Where(w => w.Status == WorkOrderStatus.Pending),
            _ => orders,
        };
    }
}

/// <summary>The names shown beside a page of orders, fetched in one query per kind.</summary>
internal sealed class WorkOrderNames
{
    private Dictionary<string, string> _communities = [];
    private Dictionary<Guid, string> _grids = [];
    private Dictionary<Guid, string> _teams = [];
    private Dictionary<Guid, string> _accounts = [];
    private Dictionary<Guid, string> _persons = [];
    private Dictionary<Guid, string> _households = [];

    public static async Task<WorkOrderNames> LoadAsync(AppDbContext db, IReadOnlyCollection<WorkOrder> orders, CancellationToken cancellationToken)
    {
        var names = new WorkOrderNames();
        var communities = orders.Select(w => w.CommunityCode.ToString()).Distinct().ToList();
        names._communities = communities.Count == 0 ? [] : await db.Jurisdictions.AsNoTracking().Where(j => communities.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
        // Grid and team names are not personal data; the orders themselves are already in scope.
        var grids = orders.SelectMany(w => new[] { w.GridId, w.AssigneeGridId }).OfType<Guid>().Distinct().ToList();
        names._grids = grids.Count == 0 ? [] : await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => grids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var teams = orders.Select(w => w.AssigneeTeamId).OfType<Guid>().Distinct().ToList();
        names._teams = teams.Count == 0 ? [] : await db.Teams.IgnoreQueryFilters().AsNoTracking().Where(t => teams.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var accounts = orders.Select(w => w.AssigneeAccountId).OfType<Guid>().Distinct().ToList();
        names._accounts = accounts.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => accounts.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var persons = orders.Select(w => w.PersonId).OfType<Guid>().Distinct().ToList();
        names._persons = persons.Count == 0 ? [] : await db.Persons.AsNoTracking().Where(p => persons.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var households = orders.Select(w => w.HouseholdId).OfType<Guid>().Distinct().ToList();
        names._households = households.Count == 0 ? [] : await db.Households.AsNoTracking().Where(h => households.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => h.Address, cancellationToken);
        return names;
    }

    public string? Community(long code) => _communities.GetValueOrDefault(code.ToString());

    public string? Grid(Guid? id) => id is { } g ? _grids.GetValueOrDefault(g) : null;

    public string? Assignee(WorkOrder w) =>
        w.AssigneeGridId is { } g ? _grids.GetValueOrDefault(g)
        : w.AssigneeTeamId is { } t ? _teams.GetValueOrDefault(t)
        : w.AssigneeAccountId is { } a ? _accounts.GetValueOrDefault(a)
        : null;

    public string? Subject(WorkOrder w) => w.SubjectKind switch
    {
        WorkOrderSubject.Person when w.PersonId is { } p => _persons.GetValueOrDefault(p) ?? w.Place,
        WorkOrderSubject.Household when w.HouseholdId is { } h => _households.GetValueOrDefault(h) ?? w.Place,
        _ => w.Place,
    };
}
