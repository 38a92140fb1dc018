using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.RiskAreas;

/// <summary>The designated area a person lives in, with what it does to them.</summary>
public sealed record AreaCover(Guid RiskAreaId, string Name, RiskAreaLevel Level, RiskAreaScope Scope)
{
    /// <summary>封控 (high): nobody leaves home, so checkpoints deny exit and goods and sampling come to the door.</summary>
    public bool ConfinedToHome => Level == RiskAreaLevel.High;
    /// <summary>管控 (medium): nobody leaves the area; goods are picked up in turns.</summary>
    public bool ConfinedToArea => Level == RiskAreaLevel.Medium;
    public bool DeniesExit => Level is RiskAreaLevel.High or RiskAreaLevel.Medium;
    public bool DoorToDoorSupply => Level == RiskAreaLevel.High;
    public bool DoorToDoorSampling => Level == RiskAreaLevel.High;
    /// <summary>High-risk groups are sampled one tube per person (or household), never pooled with others.</summary>
    public bool SingleTubeSampling => Level is RiskAreaLevel.High or RiskAreaLevel.Medium;
}

/// <summary>
/// Which active designation covers a person: their household's building, its compound, or their whole committee. When several
/// do, the highest level wins. Checkpoints, the status colour, supply and sampling all ask here.
/// </summary>
public static class RiskAreaCover
{
    public static async Task<AreaCover?> ForPersonAsync(AppDbContext db, Guid personId, CancellationToken cancellationToken = default) =>
        (await ForPersonsAsync(db, [personId], cancellationToken)).GetValueOrDefault(personId);

    public static async Task<Dictionary<Guid, AreaCover>> ForPersonsAsync(AppDbContext db, IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken = default)
    {
        var homes = await (from p in db.Persons.AsNoTracking()
                           where personIds.Contains(p.Id)
                           join h in db.Households on p.HouseholdId equals h.Id into hs
                           from h in hs.DefaultIfEmpty()
                           select new Home(p.Id, p.CommunityCode, (Guid?)h.BuildingId, (Guid?)h.CompoundId))
            .ToListAsync(cancellationToken);
        return await ForHomesAsync(db, homes, cancellationToken);
    }

    /// <summary>Where people live, for callers that have already read it (a checkpoint scan).</summary>
    public sealed record Home(Guid PersonId, long CommunityCode, Guid? BuildingId, Guid? CompoundId);

    public static async Task<Dictionary<Guid, AreaCover>> ForHomesAsync(AppDbContext db, IReadOnlyCollection<Home> homes, CancellationToken cancellationToken = default)
    {
        if (homes.Count == 0) return [];
        var communities = homes.Select(h => h.CommunityCode).Distinct().ToList();
        // Few areas are active at once, so load those of the people's committees and match in memory.
        var areas = await db.RiskAreas.AsNoTracking()
            .Where(a => a.State == RiskAreaState.Active && communities.Contains(a.CommunityCode))
            .Select(a => new { a.Id, a.Name, a.Level, a.Scope, a.CommunityCode, a.BuildingId, a.CompoundId })
            .ToListAsync(cancellationToken);
        var covers = new Dictionary<Guid, AreaCover>();
        if (areas.Count == 0) return covers;
        foreach (var home in homes)
        {
            var best = areas
                .Where(a => a.CommunityCode == home.CommunityCode && (a.Scope == RiskAreaScope.Community
                    || (a.Scope == RiskAreaScope.Compound && a.CompoundId == home.CompoundId && home.CompoundId != null)
                    || (a.Scope == RiskAreaScope.Building && a.BuildingId == home.BuildingId && home.BuildingId != null)))
                .OrderBy(a => a.Level) // High = 0
                .FirstOrDefault();
            if (best is not null) covers[home.PersonId] = new AreaCover(best.Id, best.Name, best.Level, best.Scope);
        }
        return covers;
    }
}
