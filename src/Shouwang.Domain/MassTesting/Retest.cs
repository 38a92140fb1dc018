namespace Shouwang.Domain.MassTesting;

/// <summary>Why a member of a tube must be sampled again.</summary>
public enum RetestKind
{
    /// <summary>混管阳性待复核: their pooled tube was positive; a single-tube retest decides.</summary>
    PositivePool = 0,
    /// <summary>Their tube came back invalid (无效): sampled again in the round.</summary>
    InvalidTube = 1,
}

public enum RetestState { Awaiting = 0, Negative = 1, Positive = 2 }

/// <summary>
/// One member of a positive pool or an invalid tube who must be sampled again: the stay-home restriction (with the tube as
/// its basis) and the single-tube retest work order hang on it, and the retest's single-tube result closes it.
/// </summary>
public sealed class Retest
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public RetestKind Kind { get; init; }
    public Guid RoundId { get; init; }
    public Guid TubeId { get; init; }
    public Guid PersonId { get; init; }
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public Guid? HouseholdId { get; set; }
    public RetestState State { get; set; }
    public Guid? RestrictionId { get; set; }
    public Guid? WorkOrderId { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime CreatedAt { get; init; }
    /// <summary>The single tube whose result closed it.</summary>
    public Guid? ResolvedByTubeId { get; set; }
    public DateTime? ResolvedAt { get; set; }
}
