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
        var residents = await db.Persons.AsNoTracking().Where(p => EF.Parameter(personIds).Contains(p.Id))
            .Select(p => new Resident(p.Id, p.CommunityCode, p.HouseholdId)).ToListAsync(cancellationToken);
        return await ForResidentsAsync(db, residents, cancellationToken);
    }

    /// <summary>A person by committee and household, before their building and compound are known.</summary>
    public sealed record Resident(Guid PersonId, long CommunityCode, Guid? HouseholdId);

    /// <summary>
    /// As <see cref="ForHomesAsync"/>, reading the households' buildings and compounds only for the committees that have an active
    /// building or compound area: most of the time there is none, and a household costs two random page reads per person.
    /// </summary>
    public static async Task<Dictionary<Guid, AreaCover>> ForResidentsAsync(AppDbContext db, IReadOnlyCollection<Resident> residents,
        CancellationToken cancellationToken = default)
    {
        if (residents.Count == 0) return [];
        var areas = await ActiveAreasAsync(db, residents.Select(r => r.CommunityCode).Distinct().ToList(), cancellationToken);
        if (areas.Count == 0) return [];
        var placed = areas.Where(a => a.Scope != RiskAreaScope.Community).Select(a => a.CommunityCode).ToHashSet();
        var householdIds = residents.Where(r => r.HouseholdId != null && placed.Contains(r.CommunityCode)).Select(r => r.HouseholdId!.Value).Distinct().ToList();
        var places = householdIds.Count == 0
            ? []
            : await db.Households.AsNoTracking().Where(h => EF.Parameter(householdIds).Contains(h.Id))
                .ToDictionaryAsync(h => h.Id, h => (h.BuildingId, h.CompoundId), cancellationToken);
        return Match(areas, residents.Select(r => r.HouseholdId is { } h && places.TryGetValue(h, out var place)
            ? new Home(r.PersonId, r.CommunityCode, place.BuildingId, place.CompoundId)
            : new Home(r.PersonId, r.CommunityCode, null, null)));
    }

    /// <summary>Where people live, for callers that have already read it (a checkpoint scan).</summary>
    public sealed record Home(Guid PersonId, long CommunityCode, Guid? BuildingId, Guid? CompoundId);

    public static async Task<Dictionary<Guid, AreaCover>> ForHomesAsync(AppDbContext db, IReadOnlyCollection<Home> homes, CancellationToken cancellationToken = default)
    {
        if (homes.Count == 0) return [];
        var areas = await ActiveAreasAsync(db, homes.Select(h => h.CommunityCode).Distinct().ToList(), cancellationToken);
        return areas.Count == 0 ? [] : Match(areas, homes);
    }

    private sealed record Area(Guid Id, string Name, RiskAreaLevel Level, RiskAreaScope Scope, long CommunityCode, Guid? BuildingId, Guid? CompoundId);

    // Few areas are active at once, so load those of the people's committees and match in memory.
    private static Task<List<Area>> ActiveAreasAsync(AppDbContext db, List<long> communities, CancellationToken cancellationToken) =>
        db.RiskAreas.AsNoTracking()
            .Where(a => a.State == RiskAreaState.Active && EF.Parameter(communities).Contains(a.CommunityCode))
            .Select(a => new Area(a.Id, a.Name, a.Level, a.Scope, a.CommunityCode, a.BuildingId, a.CompoundId))
            .ToListAsync(cancellationToken);

    private static Dictionary<Guid, AreaCover> Match(List<Area> areas, IEnumerable<Home> homes)
    {
        var covers = new Dictionary<Guid, AreaCover>();
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
