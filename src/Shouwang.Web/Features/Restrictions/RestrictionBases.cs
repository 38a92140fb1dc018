using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Restrictions;

/// <summary>
/// The one place that checks a restriction's basis against the records it names. A case, contact or risk-area basis lets
/// a restriction take effect without a second person, so it must point at a real record: otherwise anyone could skip the
/// approval by typing a made-up case number.
/// </summary>
public static class RestrictionBases
{
    public const int MaxReferenceLength = 100;

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
            // Cases, contacts and positive tubes have no tables yet: tracing and mass testing add their lookups here. Until
            // then no such record exists, so a request naming one is refused rather than let through unchecked.
            _ => false,
        };
    }
}
