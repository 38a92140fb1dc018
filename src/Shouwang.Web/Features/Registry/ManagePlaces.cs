using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.People;
using Shouwang.Domain.Registry;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Registry;

public sealed record CompoundItem(Guid Id, string Name, CompoundKind Kind, string CommunityCode, int BuildingCount, int HouseholdCount);
public sealed record BuildingItem(Guid Id, Guid CompoundId, string Name, int HouseholdCount);
public sealed record GridStaffItem(Guid Id, string Name, string? Phone, GridRole Role);
public sealed record GridItem(Guid Id, string Name, string CommunityCode, int HouseholdCount, int PersonCount, IReadOnlyList<GridStaffItem> Staff);

public sealed record CompoundInput(string? Name, CompoundKind Kind = CompoundKind.Compound);
public sealed record BuildingInput(string? Name);
public sealed record GridStaffInput(string? Name, string? Phone, GridRole Role);
public sealed record GridInput(string? Name, IReadOnlyList<GridStaffInput>? Staff);

/// <summary>Compounds, buildings and grids of a committee: the places households hang from.</summary>
public sealed class ManagePlaces(IDbContextFactory<AppDbContext> dbFactory, IStringLocalizer<SharedResource> l)
{
    public async Task<Outcome<IReadOnlyList<CompoundItem>>> CompoundsAsync(string communityCode, CancellationToken cancellationToken = default)
    {
        if (!Committees.TryParse(communityCode, out var community)) return new Outcome<IReadOnlyList<CompoundItem>>.NotFound(l["Error.CommunityInvalid"]);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = await db.Compounds.AsNoTracking().Where(c => c.CommunityCode == community).OrderBy(c => c.Name)
            .Select(c => new CompoundItem(c.Id, c.Name, c.Kind, communityCode,
                db.Buildings.Count(b => b.CompoundId == c.Id), db.Households.Count(h => h.CompoundId == c.Id)))
            .ToListAsync(cancellationToken);
        return items;
    }

    public async Task<Outcome<CompoundItem>> AddCompoundAsync(string communityCode, CompoundInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.FindCommitteeAsync(communityCode, cancellationToken) is not { } community) return new Outcome<CompoundItem>.NotFound(l["Error.CommunityInvalid"]);
        var name = TextNormalizer.CleanText(input.Name);
        var errors = new FieldErrors();
        if (name.Length == 0) errors.Add(nameof(input.Name), l["Error.Required"]);
        else if (name.Length > 100) errors.Add(nameof(input.Name), l["Error.TooLong", 100]);
        if (!Enum.IsDefined(input.Kind)) errors.Add(nameof(input.Kind), l["Error.ValueInvalid"]);
        if (errors.Any) return errors.ToOutcome<CompoundItem>();
        if (await db.Compounds.AnyAsync(c => c.CommunityCode == community && c.Name == name, cancellationToken))
            return new Outcome<CompoundItem>.Conflict(l["Error.NameTaken", name]);
        var compound = new Compound { CommunityCode = community, Name = name, Kind = input.Kind };
        db.Compounds.Add(compound);
        await db.SaveChangesAsync(cancellationToken);
        return new CompoundItem(compound.Id, compound.Name, compound.Kind, communityCode, 0, 0);
    }

    public async Task<Outcome<IReadOnlyList<BuildingItem>>> BuildingsAsync(Guid compoundId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Compounds.AnyAsync(c => c.Id == compoundId, cancellationToken))
            return new Outcome<IReadOnlyList<BuildingItem>>.NotFound(l["Error.CompoundInvalid"]);
        var items = await db.Buildings.AsNoTracking().Where(b => b.CompoundId == compoundId).OrderBy(b => b.Name)
            .Select(b => new BuildingItem(b.Id, b.CompoundId, b.Name, db.Households.Count(h => h.BuildingId == b.Id)))
            .ToListAsync(cancellationToken);
        return items;
    }

    public async Task<Outcome<BuildingItem>> AddBuildingAsync(Guid compoundId, BuildingInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var compound = await db.Compounds.AsNoTracking().FirstOrDefaultAsync(c => c.Id == compoundId, cancellationToken);
        if (compound is null) return new Outcome<BuildingItem>.NotFound(l["Error.CompoundInvalid"]);
        var name = TextNormalizer.CleanText(input.Name);
        if (name.Length == 0 || name.Length > 50)
        {
            var errors = new FieldErrors();
            errors.Add(nameof(input.Name), name.Length == 0 ? l["Error.Required"] : l["Error.TooLong", 50]);
            return errors.ToOutcome<BuildingItem>();
        }
        if (await db.Buildings.AnyAsync(b => b.CompoundId == compoundId && b.Name == name, cancellationToken))
            return new Outcome<BuildingItem>.Conflict(l["Error.NameTaken", name]);
        var building = new Building { CompoundId = compoundId, CommunityCode = compound.CommunityCode, Name = name };
        db.Buildings.Add(building);
        await db.SaveChangesAsync(cancellationToken);
        return new BuildingItem(building.Id, compoundId, name, 0);
    }

    public async Task<Outcome<IReadOnlyList<GridItem>>> GridsAsync(string communityCode, CancellationToken cancellationToken = default)
    {
        if (!Committees.TryParse(communityCode, out var community)) return new Outcome<IReadOnlyList<GridItem>>.NotFound(l["Error.CommunityInvalid"]);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var grids = await db.Grids.AsNoTracking().Include(g => g.Staff).Where(g => g.CommunityCode == community).OrderBy(g => g.Name).ToListAsync(cancellationToken);
        var households = await db.Households.Where(h => h.CommunityCode == community).GroupBy(h => h.GridId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var persons = await db.Persons.Where(p => p.CommunityCode == community && p.GridId != null).GroupBy(p => p.GridId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        return grids.Select(g => new GridItem(g.Id, g.Name, communityCode, households.GetValueOrDefault(g.Id), persons.GetValueOrDefault(g.Id),
            g.Staff.OrderBy(s => s.Role).ThenBy(s => s.Name).Select(s => new GridStaffItem(s.Id, s.Name, s.Phone, s.Role)).ToList())).ToList();
    }

    public async Task<Outcome<GridItem>> AddGridAsync(string communityCode, GridInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.FindCommitteeAsync(communityCode, cancellationToken) is not { } community) return new Outcome<GridItem>.NotFound(l["Error.CommunityInvalid"]);
        var errors = new FieldErrors();
        var name = TextNormalizer.CleanText(input.Name);
        if (name.Length == 0) errors.Add(nameof(input.Name), l["Error.Required"]);
        else if (name.Length > 50) errors.Add(nameof(input.Name), l["Error.TooLong", 50]);
        var grid = new Grid { CommunityCode = community, Name = name };
        var staff = input.Staff ?? [];
        for (var i = 0; i < staff.Count; i++)
        {
            if (!PersonName.TryNormalize(staff[i].Name, out var staffName, out var nameError)) errors.Add($"Staff[{i}].Name", l[$"Error.Name.{nameError}"]);
            string? phone = null;
            if (!string.IsNullOrWhiteSpace(staff[i].Phone) && !PhoneNumber.TryNormalize(staff[i].Phone, out phone)) errors.Add($"Staff[{i}].Phone", l["Error.PhoneInvalid"]);
            if (!Enum.IsDefined(staff[i].Role)) errors.Add($"Staff[{i}].Role", l["Error.ValueInvalid"]);
            if (staffName is not null) grid.Staff.Add(new GridStaff { GridId = grid.Id, Name = staffName, Phone = phone, Role = staff[i].Role });
        }
        if (staff.Count(s => s.Role == GridRole.Leader) > 1) errors.Add("Staff", l["Error.OneGridLeader"]);
        if (errors.Any) return errors.ToOutcome<GridItem>();
        if (await db.Grids.AnyAsync(g => g.CommunityCode == community && g.Name == name, cancellationToken))
            return new Outcome<GridItem>.Conflict(l["Error.NameTaken", name]);
        db.Grids.Add(grid);
        await db.SaveChangesAsync(cancellationToken);
        return new GridItem(grid.Id, grid.Name, communityCode, 0, 0, grid.Staff.Select(s => new GridStaffItem(s.Id, s.Name, s.Phone, s.Role)).ToList());
    }
}
