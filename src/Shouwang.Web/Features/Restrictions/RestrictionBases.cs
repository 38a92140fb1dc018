using Shouwang.Domain.Restrictions;
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

    public static Task<bool> ExistsAsync(AppDbContext db, RestrictionBasis basis, string? reference, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reference) || Restriction.NeedsSecondApproval(basis)) return Task.FromResult(false);
        _ = (db, cancellationToken);
        // Cases, contacts and risk areas have no tables yet: the issues that build them add their lookups here, e.g.
        //   RestrictionBasis.Case => db.Cases.AnyAsync(c => c.Number == reference, cancellationToken)
        // (the context's query filters keep the lookup inside the caller's jurisdiction). Until then no record exists,
        // so every such request is refused rather than let through without a second person.
        return Task.FromResult(false);
    }
}
