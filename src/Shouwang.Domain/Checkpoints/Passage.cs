using Shouwang.Domain.People;

namespace Shouwang.Domain.Checkpoints;

/// <summary>In through a checkpoint, out through it, or present at a place (a place-code scan).</summary>
public enum PassageKind { Entry = 0, Exit = 1, Presence = 2 }

/// <summary>放行 / 劝返 / 留观 / 转运, in rising severity.</summary>
public enum PassageVerdict { Allow = 0, TurnBack = 1, Hold = 2, Transfer = 3 }

/// <summary>How the subject was identified.</summary>
public enum PassageSource { PersonCode = 0, PassCard = 1, IdNumber = 2, Phone = 3, Visitor = 4, PlaceCode = 5 }

/// <summary>
/// 通行记录: one entry or exit at a checkpoint, or one presence at a place. The id is made by the device, so a scan sent
/// again after a dropped connection is the same record. Passages are what contact tracing reads later.
/// </summary>
public sealed class Passage
{
    public Guid Id { get; init; }
    public PassageKind Kind { get; init; }
    public Guid? CheckpointId { get; init; }
    public Guid? PlaceId { get; init; }
    /// <summary>The committee of the checkpoint or place: the row's scope.</summary>
    public long CommunityCode { get; init; }
    public Guid? GridId { get; init; }
    /// <summary>When it happened, by the device's clock (UTC).</summary>
    public DateTime At { get; init; }
    /// <summary>When the server committed it.</summary>
    public DateTime ReceivedAt { get; set; }
    public Guid? PersonId { get; init; }
    public Guid? VisitorId { get; init; }
    public Guid? HouseholdId { get; init; }
    public PassageSource Source { get; init; }
    public PassageVerdict Verdict { get; set; }
    /// <summary>The decision's reasons as JSON (<see cref="DecisionReason"/> list); empty array when nothing applied.</summary>
    public string Reasons { get; set; } = "[]";
    public decimal? Temperature { get; init; }
    public bool? Mask { get; init; }
    /// <summary>Division code of where a visitor came from.</summary>
    public string? OriginCode { get; init; }
    public Guid? VehicleId { get; init; }
    /// <summary>The pass-card trip this exit opened or this entry closed.</summary>
    public Guid? PassCardTripId { get; set; }
    /// <summary>Recorded while the device was offline: decided by the server only on arrival.</summary>
    public bool WasOffline { get; init; }
    public Guid? OperatorId { get; init; }
    public string? OperatorName { get; init; }
}

/// <summary>Someone not in the registry, registered on the spot at a checkpoint (or by phone alone at a place).</summary>
public sealed class Visitor
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DocumentType DocumentType { get; set; }
    /// <summary>Normalised; null for a place-code presence by phone alone.</summary>
    public string? DocumentNumber { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? OriginCode { get; set; }
    public string? Reason { get; set; }
    public string? Destination { get; set; }
    /// <summary>Where first registered: the row's scope.</summary>
    public long CommunityCode { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A vehicle through a checkpoint: plate, driver and passengers as one group (each person also gets a passage).</summary>
public sealed class Vehicle
{
    public Guid Id { get; init; }
    public Guid CheckpointId { get; init; }
    public long CommunityCode { get; init; }
    public required string Plate { get; init; }
    public PassageKind Kind { get; init; }
    public DateTime At { get; init; }
    public int Occupants { get; init; }
    public string? OriginCode { get; init; }
    public string? Destination { get; init; }
    /// <summary>Through traffic at a traffic health point: drives on without stopping (闭环管理), under a signed commitment.</summary>
    public bool ThroughTraffic { get; init; }
    public string? CommitmentSignerName { get; init; }
    public string? CommitmentSignerPhone { get; init; }
    /// <summary>The signature drawn on screen, as a PNG data URL.</summary>
    public string? CommitmentSignature { get; init; }
    public DateTime? CommitmentSignedAt { get; init; }
    public Guid? OperatorId { get; init; }
    public string? OperatorName { get; init; }
}
