namespace Shouwang.Domain.Registry;

public enum CompoundKind { Compound = 0, NaturalVillage = 1 }

/// <summary>小区 in a community, or 自然村 in a village.</summary>
public sealed class Compound
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public long CommunityCode { get; init; }
    public required string Name { get; set; }
    public CompoundKind Kind { get; set; }
}

/// <summary>楼栋 (or a group of houses in a natural village).</summary>
public sealed class Building
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid CompoundId { get; init; }
    public long CommunityCode { get; init; }
    public required string Name { get; set; }
}

/// <summary>网格: every household of a community lies in exactly one grid.</summary>
public sealed class Grid
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public long CommunityCode { get; init; }
    public required string Name { get; set; }
    public List<GridStaff> Staff { get; init; } = [];
}

public enum GridRole { Leader = 0, Worker = 1 }

/// <summary>网格长 / 网格员. Accounts come later; until then staff are named with a phone.</summary>
public sealed class GridStaff
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid GridId { get; init; }
    public required string Name { get; set; }
    public string? Phone { get; set; }
    public GridRole Role { get; set; }
}

/// <summary>户: people living at one address, in one grid.</summary>
public sealed class Household
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public long CommunityCode { get; set; }
    public Guid GridId { get; set; }
    public Guid? CompoundId { get; set; }
    public Guid? BuildingId { get; set; }
    public string? Unit { get; set; }
    public string? DoorNumber { get; set; }
    /// <summary>The full address as written, for search and for rosters that keep it in one column.</summary>
    public required string Address { get; set; }
    public Guid? HeadPersonId { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    public static string ComposeAddress(string? compound, string? building, string? unit, string? door)
    {
        var parts = new List<string>(4);
        if (!string.IsNullOrWhiteSpace(compound)) parts.Add(compound.Trim());
        if (!string.IsNullOrWhiteSpace(building)) parts.Add(WithSuffix(building.Trim(), "栋"));
        if (!string.IsNullOrWhiteSpace(unit)) parts.Add(WithSuffix(unit.Trim(), "单元"));
        if (!string.IsNullOrWhiteSpace(door)) parts.Add(WithSuffix(door.Trim(), "室"));
        return string.Concat(parts);
    }

    // "3" → "3栋" but "3号楼" stays as written
    private static string WithSuffix(string value, string suffix) =>
        value.All(char.IsAsciiDigit) ? value + suffix : value;
}
