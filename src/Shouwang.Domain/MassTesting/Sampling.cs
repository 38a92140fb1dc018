namespace Shouwang.Domain.MassTesting;

/// <summary>采样点: where a community's people are sampled, its hours and its samplers.</summary>
public sealed class SamplingSite
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Address { get; set; }
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public TimeOnly? OpensAt { get; set; }
    public TimeOnly? ClosesAt { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A sampler (an account) working at a site.</summary>
public sealed class SamplingSiteStaff
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid SiteId { get; init; }
    public long CommunityCode { get; init; }
    public Guid AccountId { get; init; }
    public required string AccountName { get; init; }
    public DateTime AssignedAt { get; init; }
}

public enum TubeState { Open = 0, Sealed = 1, Boxed = 2, Received = 3 }

public enum TubeResult { Pending = 0, Negative = 1, Positive = 2, Invalid = 3 }

/// <summary>A sampling tube (试管), opened by scanning its barcode, filled with up to <see cref="Capacity"/> people.</summary>
public sealed class Tube
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Barcode { get; init; }
    public Guid RoundId { get; init; }
    public Guid SiteId { get; init; }
    public long CommunityCode { get; init; }
    public int Capacity { get; init; }
    public TubeState State { get; set; }
    /// <summary>People in it now (samples not removed).</summary>
    public int Count { get; set; }
    public DateTime OpenedAt { get; init; }
    public Guid? OpenedBy { get; init; }
    public required string OpenedByName { get; init; }
    public DateTime? SealedAt { get; set; }
    public Guid? BoxId { get; set; }
    public TubeResult Result { get; set; }
    public DateTime? ResultAt { get; set; }
    public string? CtValues { get; set; }
    public string? Lab { get; set; }
}

/// <summary>Why a sample no longer counts: removed by hand, moved to another tube, or its tube came back invalid (re-sample).</summary>
public enum SampleRemoval { WrongScan = 0, Moved = 1, InvalidTube = 2 }

/// <summary>One person sampled into one tube. The id is made by the sampler's device, so a re-sent scan is the same sample.</summary>
public sealed class Sample
{
    public Guid Id { get; init; }
    public Guid RoundId { get; init; }
    public Guid TubeId { get; init; }
    public Guid PersonId { get; init; }
    /// <summary>The person's committee and grid (coverage counts by where people live, not where they were sampled).</summary>
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public Guid? HouseholdId { get; set; }
    public DateTime SampledAt { get; init; }
    public DateTime ReceivedAt { get; set; }
    public Guid? SamplerId { get; init; }
    public required string SamplerName { get; init; }
    public bool WasOffline { get; init; }
    public DateTime? RemovedAt { get; set; }
    public Guid? RemovedBy { get; set; }
    public string? RemovedByName { get; set; }
    public SampleRemoval? Removal { get; set; }
    public Guid? MovedToTubeId { get; set; }
}

public enum BoxState { Packing = 0, HandedOver = 1, Received = 2 }

/// <summary>转运箱: sealed tubes handed to a lab; the lab's count is reconciled against the tubes scanned into it.</summary>
public sealed class TransferBox
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Number { get; init; }
    public Guid RoundId { get; init; }
    public Guid SiteId { get; init; }
    public long CommunityCode { get; init; }
    public BoxState State { get; set; }
    public int TubeCount { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? HandedOverAt { get; set; }
    public string? HandedOverByName { get; set; }
    public string? Lab { get; set; }
    public int? ReceivedCount { get; set; }
    public DateTime? ReceivedAt { get; set; }
}
