using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Cases;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Cases;

public sealed record CaseItem(
    Guid Id, string Number, Guid PersonId, string Name, string CommunityCode, Guid? GridId, CaseSource Source, CaseClassification Classification,
    Guid? RoundId, string? TubeBarcode, DateTime FoundAt);

/// <summary>Cases (阳性待确认 until classified) in the caller's scope, newest first, names masked.</summary>
public sealed class Cases(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<Paged<CaseItem>> SearchAsync(CaseClassification? classification, int? page, int? pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (p, size) = Paging.Clamp(page, pageSize);
        // The joins below ignore filters, which EF applies to the whole query: the caller's scope is written out.
        var (min, max) = db.ScopeRange;
        var grid = db.ScopeGrid;
        var query = db.Cases.AsNoTracking().Where(x => x.CommunityCode >= min && x.CommunityCode <= max && (grid == null || x.GridId == grid));
        if (classification is { } c) query = query.Where(x => x.Classification == c);
        var total = await query.CountAsync(ct);
        var rows = await (from x in query
                          join person in db.Persons.IgnoreQueryFilters() on x.PersonId equals person.Id
                          join t in db.Tubes.IgnoreQueryFilters() on x.TubeId equals t.Id into ts
                          from t in ts.DefaultIfEmpty()
                          orderby x.FoundAt descending, x.Id
                          select new { x, person.Name, Barcode = t == null ? null : t.Barcode })
            .Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<CaseItem>([.. rows.Select(r => new CaseItem(r.x.Id, r.x.Number, r.x.PersonId, PersonName.Mask(r.Name),
            r.x.CommunityCode.ToString(CultureInfo.InvariantCulture), r.x.GridId, r.x.Source, r.x.Classification, r.x.RoundId, r.Barcode, r.x.FoundAt))],
            total, p, size);
    }
}
