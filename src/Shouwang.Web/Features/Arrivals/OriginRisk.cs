using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Policies;

namespace Shouwang.Web.Features.Arrivals;

/// <summary>A risk region lying inside an origin given only coarsely (a street-level region in the county someone named).</summary>
public sealed record RiskInside(string Code, string Name, RiskAreaLevel Level);

/// <summary>How risky the place someone left is, and why.</summary>
/// <param name="Level">The highest level covering the origin on the day they left; null when nothing covers it.</param>
/// <param name="Inside">Regions strictly inside the origin: staff should ask which part of it the person came from.</param>
public sealed record OriginRiskResult(bool IsAbroad, RiskAreaLevel? Level, OriginRiskSource Source, IReadOnlyList<RiskInside> Inside)
{
    /// <summary>High or medium: what staff are alerted to. Low is a designation too, but asks only for tests.</summary>
    public bool IsAtRisk => Level is RiskAreaLevel.High or RiskAreaLevel.Medium;

    /// <summary>The category the origin puts the person in, before asking whether the policy identifies it.</summary>
    public PersonCategory Category => IsAbroad ? PersonCategory.InboundTraveller : Level switch
    {
        RiskAreaLevel.High => PersonCategory.HighRiskAreaArrival,
        RiskAreaLevel.Medium => PersonCategory.MediumRiskAreaArrival,
        _ => PersonCategory.LowRiskAreaArrival,
    };
}

/// <summary>
/// The risk of an origin on the day the person left it.
/// <list type="bullet">
/// <item>External regions: a region covers an origin when the origin's code starts with the region's code (a county-level
/// region covers every street in it; an origin named only at county level is covered by a county-level region, not by a
/// street-level one, which is reported in <see cref="OriginRiskResult.Inside"/> instead). Only regions in force on the day they left count.</item>
/// <item>Our own designations: an active community-wide area (Community scope) covers the origin when the origin is that
/// committee; building and compound areas, and community areas under an origin named at street level, are reported as
/// inside. Their current level is used (designations here keep no level history by day), and they count only if designated
/// on or before the day the person left. Risk areas are public notices, so every area of the platform is read, whatever the caller's scope.</item>
/// </list>
/// The highest level wins; on a tie the external list is named as the source.
/// </summary>
public static class OriginRisk
{
    public static async Task<OriginRiskResult> LookUpAsync(AppDbContext db, string originCode, DateOnly leftOn, CancellationToken cancellationToken = default)
    {
        if (Origins.IsAbroad(originCode)) return new OriginRiskResult(true, null, OriginRiskSource.None, []);

        var prefixes = new List<string>();
        foreach (var length in new[] { 2, 4, 6, 9, 12 })
        {
            if (originCode.Length >= length) prefixes.Add(originCode[..length]);
        }
        var regions = await db.ExternalRiskRegions.AsNoTracking()
            .Where(r => r.FromDay <= leftOn && (r.UntilDay == null || r.UntilDay >= leftOn))
            .Where(r => prefixes.Contains(r.DivisionCode) || r.DivisionCode.StartsWith(originCode))
            .Select(r => new { r.DivisionCode, r.Name, r.Level }).ToListAsync(cancellationToken);

        RiskAreaLevel? level = null;
        var source = OriginRiskSource.None;
        var inside = new List<RiskInside>();
        foreach (var region in regions)
        {
            if (originCode.StartsWith(region.DivisionCode, StringComparison.Ordinal))
            {
                if (level is null || region.Level < level) (level, source) = (region.Level, OriginRiskSource.ExternalList);
            }
            else inside.Add(new RiskInside(region.DivisionCode, region.Name, region.Level));
        }

        if (originCode.Length >= 9 && long.TryParse(originCode.PadRight(12, '0'), out var low))
        {
            var high = originCode.Length == 12 ? low : long.Parse(originCode + "999", System.Globalization.CultureInfo.InvariantCulture);
            var areas = await db.RiskAreas.IgnoreQueryFilters().AsNoTracking()
                .Where(a => a.State == RiskAreaState.Active && a.StartDay <= leftOn && a.CommunityCode >= low && a.CommunityCode <= high)
                .Select(a => new { a.CommunityCode, a.Scope, a.Name, a.Level }).ToListAsync(cancellationToken);
            foreach (var area in areas)
            {
                if (originCode.Length == 12 && area.Scope == RiskAreaScope.Community)
                {
                    if (level is null || area.Level < level) (level, source) = (area.Level, OriginRiskSource.OwnDesignation);
                }
                else inside.Add(new RiskInside(area.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture), area.Name, area.Level));
            }
        }
        return new OriginRiskResult(false, level, source, inside.OrderBy(i => i.Level).ThenBy(i => i.Code, StringComparer.Ordinal).ToList());
    }

    /// <summary>The category to propose: the origin's, if the policy in force in the stay community on <paramref name="day"/> identifies it; otherwise none.</summary>
    public static async Task<PersonCategory?> ProposeAsync(AppDbContext db, OriginRiskResult risk, long stayCommunity, DateOnly day, CancellationToken cancellationToken = default)
    {
        if (await PolicyLookup.ForCommunityAsync(db, stayCommunity, day, cancellationToken) is not var (policy, _)) return null;
        return policy.ToVersion().RuleFor(risk.Category) is null ? null : risk.Category;
    }
}
