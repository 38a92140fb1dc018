namespace Shouwang.Domain.PlaceCodes;

public enum PlaceKind { Supermarket = 0, Market = 1, Pharmacy = 2, FuelStation = 3, Enterprise = 4, Clinic = 5, Restaurant = 6, Other = 7 }

/// <summary>A place with a 场所码 poster: a resident scanning it records a presence (a <c>Passage</c> of kind Presence).</summary>
public sealed class Place
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public PlaceKind Kind { get; set; }
    public required string Address { get; set; }
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public string? ContactName { get; set; }
    public string? ContactPhone { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}
