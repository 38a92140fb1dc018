using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.People;
using Shouwang.Domain.Registry;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Registry;

public sealed record HouseholdInput
{
    /// <summary>12-digit committee code.</summary>
    public string? CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public Guid? CompoundId { get; set; }
    public Guid? BuildingId { get; set; }
    public string? Unit { get; set; }
    public string? DoorNumber { get; set; }
    /// <summary>Optional: composed from compound, building, unit and door when empty.</summary>
    public string? Address { get; set; }
}

public sealed record SavedHousehold(Guid Id);

public sealed class SaveHousehold(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, AuditLog audit, IStringLocalizer<SharedResource> l)
{
    public const int MaxAddressLength = 200;

    public Task<Outcome<SavedHousehold>> CreateAsync(HouseholdInput input, CancellationToken cancellationToken = default) => SaveAsync(null, input, cancellationToken);

    public Task<Outcome<SavedHousehold>> UpdateAsync(Guid id, HouseholdInput input, CancellationToken cancellationToken = default) => SaveAsync(id, input, cancellationToken);

    private async Task<Outcome<SavedHousehold>> SaveAsync(Guid? id, HouseholdInput input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.FindCommitteeAsync(input.CommunityCode, cancellationToken);
        if (found is null) errors.Add(nameof(input.CommunityCode), l["Error.CommunityInvalid"]);
        var community = found ?? 0;

        Grid? grid = input.GridId is { } gid ? await db.Grids.AsNoTracking().FirstOrDefaultAsync(g => g.Id == gid, cancellationToken) : null;
        if (grid is null || (community != 0 && grid.CommunityCode != community)) errors.Add(nameof(input.GridId), l["Error.GridInvalid"]);
        Compound? compound = input.CompoundId is { } cid ? await db.Compounds.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cid, cancellationToken) : null;
        if (input.CompoundId is not null && (compound is null || compound.CommunityCode != community)) errors.Add(nameof(input.CompoundId), l["Error.CompoundInvalid"]);
        Building? building = input.BuildingId is { } bid ? await db.Buildings.AsNoTracking().FirstOrDefaultAsync(b => b.Id == bid, cancellationToken) : null;
        if (input.BuildingId is not null && (building is null || building.CompoundId != input.CompoundId)) errors.Add(nameof(input.BuildingId), l["Error.BuildingInvalid"]);
        var unit = Clean(input.Unit);
        var door = Clean(input.DoorNumber);
        var address = TextNormalizer.CleanText(input.Address);
        if (address.Length == 0) address = Household.ComposeAddress(compound?.Name, building?.Name, unit, door);
        if (address.Length == 0) errors.Add(nameof(input.Address), l["Error.AddressRequired"]);
        else if (address.Length > MaxAddressLength) errors.Add(nameof(input.Address), l["Error.TooLong", MaxAddressLength]);
        if (unit?.Length > 20) errors.Add(nameof(input.Unit), l["Error.TooLong", 20]);
        if (door?.Length > 20) errors.Add(nameof(input.DoorNumber), l["Error.TooLong", 20]);
        if (errors.Any) return errors.ToOutcome<SavedHousehold>();

        var now = clock.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Household? household;
        if (id is { } existing)
        {
            household = await db.Households.FirstOrDefaultAsync(h => h.Id == existing, cancellationToken);
            if (household is null) return new Outcome<SavedHousehold>.NotFound(l["Error.HouseholdNotFound"]);
        }
        else
        {
            household = new Household { Address = address, CreatedAt = now };
            db.Households.Add(household);
        }
        household.CommunityCode = community;
        household.GridId = grid!.Id;
        household.CompoundId = compound?.Id;
        household.BuildingId = building?.Id;
        household.Unit = unit;
        household.DoorNumber = door;
        household.Address = address;
        household.UpdatedAt = now;
        if (id is not null)
        {
            // Members follow their household's community and grid, so scope and grid lists stay true.
            var members = await db.Persons.Where(p => p.HouseholdId == household.Id && (p.CommunityCode != community || p.GridId != grid.Id))
                .Select(p => p.Id).ToListAsync(cancellationToken);
            var moved = await db.Persons.Where(p => members.Contains(p.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.CommunityCode, community).SetProperty(p => p.GridId, grid.Id), cancellationToken);
            // Their restrictions go with them (as AppDbContext does for a person moved one at a time).
            await db.Restrictions.IgnoreQueryFilters().Where(r => members.Contains(r.PersonId))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.CommunityCode, community).SetProperty(r => r.GridId, grid.Id), cancellationToken);
            // A set-based update bypasses the change tracker, so it gets its own line in the log (same transaction).
            if (moved > 0)
                db.AuditEntries.Add(audit.Entry(AuditAction.Update, "Person", null, community, $"members of household {household.Id} moved with it to grid {grid.Id}", moved));
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SavedHousehold(household.Id);
    }

    private static string? Clean(string? value) => TextNormalizer.CleanText(value) is { Length: > 0 } text ? text : null;
}
