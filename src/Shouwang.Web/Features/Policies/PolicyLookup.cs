using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Policies;

/// <summary>The policy version that applies to a node on a day: the one rule every area that issues or evaluates anything follows.</summary>
public static class PolicyLookup
{
    /// <summary>
    /// Among the node and its ancestors (committee, street, county, city, province), the deepest one with a choice made from
    /// that day or earlier, and its latest such choice; null when nothing is in force there.
    /// </summary>
    public static async Task<(StoredPolicy Policy, PolicyInForce Choice)?> ForNodeAsync(AppDbContext db, JurisdictionCode node, DateOnly day,
        CancellationToken cancellationToken = default)
    {
        var chain = new List<string>();
        for (JurisdictionCode? at = node; at is { } current; at = current.Parent) chain.Add(current.Value);
        var candidates = await db.PoliciesInForce.AsNoTracking().Where(p => chain.Contains(p.JurisdictionCode) && p.FromDay <= day).ToListAsync(cancellationToken);
        var applied = candidates.OrderByDescending(p => p.JurisdictionCode.Length).ThenByDescending(p => p.FromDay).FirstOrDefault();
        if (applied is null) return null;
        var policy = await db.Policies.AsNoTracking().SingleAsync(p => p.Id == applied.PolicyId, cancellationToken);
        return (policy, applied);
    }

    public static Task<(StoredPolicy Policy, PolicyInForce Choice)?> ForCommunityAsync(AppDbContext db, long communityCode, DateOnly day,
        CancellationToken cancellationToken = default) =>
        ForNodeAsync(db, JurisdictionCode.Parse(communityCode.ToString(System.Globalization.CultureInfo.InvariantCulture)), day, cancellationToken);
}
