using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.FollowUps;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.Measures;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.FollowUps;

/// <param name="Day">The local day; today when not given.</param>
/// <param name="Jurisdiction">Division code of a subtree (a street, a community).</param>
public sealed record FollowUpSearch(DateOnly? Day = null, string? Jurisdiction = null, Guid? GridId = null, FollowUpState? State = null,
    int? Page = 1, int? PageSize = 50);

public sealed record FollowUpItem(
    Guid MeasureId, int Slot, FollowUpState State, bool Missed, Guid PersonId, string PersonName, string? Phone, string? Address,
    string CommunityCode, Guid? GridId, string? GridName, PersonCategory Category, MeasureKind Kind, MeasurePlace Place, string? PlaceName,
    int ChecksPerDay, int DayNumber, int Days, bool IsTestDay, Guid? FollowUpId, bool? Reached, decimal? Temperature, Symptoms Symptoms,
    string? Note, DateTime? RecordedAt, string? RecordedByName, Guid? WorkOrderId);

public sealed record FollowUpCounts(int Due, int Done, int Missed)
{
    public int Total => Due + Done + Missed;
}

public sealed record FollowUpList(DateOnly Day, FollowUpCounts Counts, IReadOnlyList<FollowUpItem> Items, int Total, int Page, int PageSize);

/// <summary>
/// The day's follow-up list: one entry per person, stage in force and slot, in the caller's scope (a grid worker's grid),
/// with what was recorded. Counted and paged in the database; only the page is joined to names and addresses.
/// </summary>
public sealed class ListFollowUps(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock)
{
    public async Task<FollowUpList> HandleAsync(FollowUpSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        var day = search.Day ?? clock.Today();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (JurisdictionCode.TryParse(search.Jurisdiction, out var node)) db.NarrowTo(node.Value);
        var slots = FollowUpSlots.Due(db, day, search.GridId);

        var groups = await slots.GroupBy(s => new { Done = s.RecordedAt != null, s.Missed })
            .Select(g => new { g.Key.Done, g.Key.Missed, Count = g.Count() }).ToListAsync(cancellationToken);
        var counts = new FollowUpCounts(
            groups.Where(g => !g.Done && !g.Missed).Sum(g => g.Count), groups.Where(g => g.Done).Sum(g => g.Count),
            groups.Where(g => !g.Done && g.Missed).Sum(g => g.Count));

        if (search.State is { } state) slots = slots.InState(state);
        var total = search.State switch
        {
            FollowUpState.Due => counts.Due, FollowUpState.Done => counts.Done, FollowUpState.Missed => counts.Missed, _ => counts.Total,
        };
        var rows = await (from s in slots
                          join p in db.Persons on s.PersonId equals p.Id
                          orderby p.Name, s.PersonId, s.MeasureId, s.Slot
                          select new { s.MeasureId, s.Slot, s.FollowUpId, p.Name, p.Phone, p.HouseholdId })
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        if (rows.Count == 0) return new FollowUpList(day, counts, [], total, page, pageSize);

        var measureIds = rows.Select(r => r.MeasureId).Distinct().ToList();
        var measures = await db.ControlMeasures.AsNoTracking().Where(m => measureIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        var followUpIds = rows.Where(r => r.FollowUpId != null).Select(r => r.FollowUpId!.Value).ToList();
        var followUps = followUpIds.Count == 0 ? []
            : await db.FollowUps.AsNoTracking().Where(f => followUpIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
        var householdIds = rows.Where(r => r.HouseholdId != null).Select(r => r.HouseholdId!.Value).Distinct().ToList();
        var addresses = await db.Households.AsNoTracking().Where(h => householdIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => h.Address, cancellationToken);
        var gridIds = measures.Values.Where(m => m.GridId != null).Select(m => m.GridId!.Value).Distinct().ToList();
        var grids = await db.Grids.AsNoTracking().Where(g => gridIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);

        var items = rows.Select(r =>
        {
            var m = measures[r.MeasureId];
            var f = r.FollowUpId is { } id ? followUps.GetValueOrDefault(id) : null;
            return new FollowUpItem(
                m.Id, r.Slot, FollowUpSlots.StateOf(f?.RecordedAt, f?.Missed ?? false), f?.Missed ?? false, m.PersonId, r.Name,
                r.Phone is null ? null : PhoneNumber.Mask(r.Phone), r.HouseholdId is { } h ? addresses.GetValueOrDefault(h) : null,
                m.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture), m.GridId, m.GridId is { } g ? grids.GetValueOrDefault(g) : null,
                m.Category, m.Kind, m.Place, m.PlaceName, m.ChecksPerDay, m.DayNumberOn(day), m.Days, FollowUpSlots.IsTestDay(m.TestDays, m.StageFirstDay, day),
                f?.Id, f?.Reached, f?.Temperature, f?.Symptoms ?? Symptoms.None, f?.Note, f?.RecordedAt, f?.RecordedByName, f?.WorkOrderId);
        }).ToList();
        return new FollowUpList(day, counts, items, total, page, pageSize);
    }
}
