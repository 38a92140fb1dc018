using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

public sealed record RetestItem(
    Guid Id, RetestKind Kind, RetestState State, Guid PersonId, string Name, string CommunityCode, Guid? GridId, string? GridName,
    string TubeBarcode, DateTime DueAt, string? WorkOrderNumber, DateTime CreatedAt, DateTime? ResolvedAt);

/// <summary>A round's retests (混管阳性待复核 while Awaiting), masked, in the caller's scope, soonest deadline first.</summary>
public sealed class Retests(IDbContextFactory<AppDbContext> dbFactory, IStringLocalizer<LabResultsResource> l)
{
    public async Task<Outcome<Paged<RetestItem>>> SearchAsync(Guid roundId, RetestState? state, RetestKind? kind, int? page, int? pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.TestingRounds.AnyAsync(r => r.Id == roundId, ct)) return new Outcome<Paged<RetestItem>>.NotFound(l["Error.RoundNotFound"]);
        var (p, size) = Paging.Clamp(page, pageSize);
        // The joins below ignore filters, which EF applies to the whole query: the caller's scope is written out.
        var (min, max) = db.ScopeRange;
        var grid = db.ScopeGrid;
        var query = db.Retests.AsNoTracking().Where(r => r.RoundId == roundId && r.CommunityCode >= min && r.CommunityCode <= max && (grid == null || r.GridId == grid));
        if (state is { } s) query = query.Where(r => r.State == s);
        if (kind is { } k) query = query.Where(r => r.Kind == k);
        var total = await query.CountAsync(ct);
        var rows = await (from r in query
                          join person in db.Persons on r.PersonId equals person.Id
                          join t in db.Tubes.IgnoreQueryFilters() on r.TubeId equals t.Id
                          join g in db.Grids.IgnoreQueryFilters() on r.GridId equals g.Id into gs
                          from g in gs.DefaultIfEmpty()
                          join w in db.WorkOrders.IgnoreQueryFilters() on r.WorkOrderId equals w.Id into ws
                          from w in ws.DefaultIfEmpty()
                          orderby r.DueAt, r.Id
                          select new { r, person.Name, t.Barcode, GridName = g == null ? null : g.Name, Number = w == null ? null : w.Number })
            .Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<RetestItem>([.. rows.Select(x => new RetestItem(x.r.Id, x.r.Kind, x.r.State, x.r.PersonId, PersonName.Mask(x.Name),
            x.r.CommunityCode.ToString(CultureInfo.InvariantCulture), x.r.GridId, x.GridName, x.Barcode, x.r.DueAt, x.Number, x.r.CreatedAt, x.r.ResolvedAt))],
            total, p, size);
    }
}
