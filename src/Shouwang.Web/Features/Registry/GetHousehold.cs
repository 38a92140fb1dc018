using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Registry;

public sealed record HouseholdDetails(Guid Id, string Address, string CommunityCode, string? CommunityName, Guid GridId, string? GridName,
    Guid? CompoundId, string? CompoundName, Guid? BuildingId, string? BuildingName, string? Unit, string? DoorNumber,
    Guid? HeadPersonId, IReadOnlyList<HouseholdMember> Members);

public sealed class GetHousehold(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<SharedResource> l)
{
    public async Task<Outcome<HouseholdDetails>> HandleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var h = await db.Households.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (h is null) return new Outcome<HouseholdDetails>.NotFound(l["Error.HouseholdNotFound"]);
        var today = clock.Today();
        var members = (await db.Persons.AsNoTracking().Where(p => p.HouseholdId == id).OrderBy(p => p.RelationToHead).ThenBy(p => p.BirthDate)
            .ToListAsync(cancellationToken)).Select(p => new HouseholdMember(p.Id, p.Name, p.RelationToHead, p.Sex, p.AgeOn(today), p.Tags)).ToList();
        var community = h.CommunityCode.ToString();
        var communityName = await db.Jurisdictions.Where(j => j.Code == community).Select(j => j.Name).FirstOrDefaultAsync(cancellationToken);
        var gridName = await db.Grids.Where(g => g.Id == h.GridId).Select(g => g.Name).FirstOrDefaultAsync(cancellationToken);
        var compoundName = h.CompoundId is { } c ? await db.Compounds.Where(x => x.Id == c).Select(x => x.Name).FirstOrDefaultAsync(cancellationToken) : null;
        var buildingName = h.BuildingId is { } b ? await db.Buildings.Where(x => x.Id == b).Select(x => x.Name).FirstOrDefaultAsync(cancellationToken) : null;
        return new HouseholdDetails(h.Id, h.Address, community, communityName, h.GridId, gridName, h.CompoundId, compoundName,
            h.BuildingId, buildingName, h.Unit, h.DoorNumber, h.HeadPersonId, members);
    }
}
