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
        _ = db;
        _ = cancellationToken;
        if (string.IsNullOrWhiteSpace(reference)) return Task.FromResult(false);
        // Cases, contacts and risk areas have no tables yet: the issues that build them add their lookups here
        // (e.g. basis == RestrictionBasis.Case → db.Cases.AnyAsync(c => c.Number == reference)). Until then no reference
        // exists, so every such request is refused rather than let through unapproved.
        return Task.FromResult(basis switch
        {
            RestrictionBasis.Case or RestrictionBasis.Contact or RestrictionBasis.RiskArea => false,
            _ => false,
        });
    }
}
