using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;
using Shouwang.Web.Features.RiskAreas;

namespace Shouwang.Web.Features.Restrictions;

/// <summary>
/// The one place that checks a restriction's basis against the records it names. A case, contact risk-area, arrival or positive-tube basis lets
/// a restriction take effect without a second person, so it must point at a real record: otherwise anyone could skip the
/// approval by typing a made-up case number.
/// </summary>
public static class RestrictionBases
{
    public const int MaxReferenceLength = 100;

    /// <summary>Whether the named record exists in the caller's jurisdiction at all (otherwise the request is refused).</summary>
    public static async Task<bool> ExistsAsync(AppDbContext db, RestrictionBasis basis, string? reference, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reference) || Restriction.NeedsSecondApproval(basis)) return false;
        // The context's query filters keep every lookup inside the caller's jurisdiction.
        return basis switch
        {
            // A risk area by its id, while it is designated.
            RestrictionBasis.RiskArea => Guid.TryParse(reference, out var areaId)
                && await db.RiskAreas.AnyAsync(a => a.Id == areaId && a.State == RiskAreaState.Active, cancellationToken),
            // An arrival report by the number the reporter was given.
            RestrictionBasis.Arrival => await db.ArrivalReports.AnyAsync(a => a.Number == reference, cancellationToken),
            // A sampling tube by its barcode, once its lab result is positive.
            RestrictionBasis.PositiveTube => await db.Tubes.AnyAsync(t => t.Barcode == reference && t.Result == TubeResult.Positive, cancellationToken),
            // Cases and contacts have no lookup yet: tracing adds it here. Until then a request naming one is refused
            // rather than let through unchecked.
            _ => false,
        };
    }

    /// <summary>
    /// Of <paramref name="personIds"/>, those for whom the record really is the basis, so the restriction may take effect
    /// without a second person: an arrival report about them (their registry person or their ID number) that the caller
    /// did not file themselves, a designated area they live in, or a positive tube they were sampled into. Anyone else named with an existing record waits for
    /// approval: a real record about somebody else must not open the way around the four-eyes rule.
    /// </summary>
    public static async Task<HashSet<Guid>> VerifiesForAsync(AppDbContext db, RestrictionBasis basis, string? reference, IReadOnlyCollection<Guid> personIds,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reference) || Restriction.NeedsSecondApproval(basis) || personIds.Count == 0) return [];
        var ids = personIds.Distinct().ToList();
        switch (basis)
        {
            case RestrictionBasis.Arrival:
            {
                var report = await db.ArrivalReports.AsNoTracking().Where(a => a.Number == reference)
                    .Select(a => new { a.PersonId, a.DocumentNumber, a.CreatedBy }).FirstOrDefaultAsync(cancellationToken);
                if (report is null || (report.CreatedBy is { } filer && filer == db.Caller.AccountId)) return [];
                return [.. await db.Persons.AsNoTracking().Where(p => ids.Contains(p.Id) && (p.Id == report.PersonId || p.DocumentNumber == report.DocumentNumber))
                    .Select(p => p.Id).ToListAsync(cancellationToken)];
            }
            case RestrictionBasis.RiskArea:
            {
                if (!Guid.TryParse(reference, out var areaId)) return [];
                var area = await db.RiskAreas.AsNoTracking().FirstOrDefaultAsync(a => a.Id == areaId && a.State == RiskAreaState.Active, cancellationToken);
                if (area is null) return [];
                return [.. await RiskAreaQueries.ResidentsOf(db, area).Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken)];
            }
            case RestrictionBasis.PositiveTube:
            {
                // Only the tube's own members (samples not removed): a positive tube says nothing about anyone else.
                var tubeId = await db.Tubes.AsNoTracking().Where(t => t.Barcode == reference && t.Result == TubeResult.Positive)
                    .Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
                if (tubeId is null) return [];
                return [.. await db.Samples.AsNoTracking().Where(s => s.TubeId == tubeId && s.RemovedAt == null && ids.Contains(s.PersonId))
                    .Select(s => s.PersonId).Distinct().ToListAsync(cancellationToken)];
            }
            default:
                return [];
        }
    }
}
