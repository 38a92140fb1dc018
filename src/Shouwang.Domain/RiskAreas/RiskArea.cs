using Shouwang.Domain.Policies;

namespace Shouwang.Domain.RiskAreas;

/// <summary>What a designation is drawn around.</summary>
public enum RiskAreaScope { Building = 0, Compound = 1, Community = 2 }

public enum RiskAreaState { Active = 0, Released = 1 }

/// <summary>
/// 风险区: a building, compound or community designated high/medium/low risk (封控/管控/防范) from a day, with a reason. Its level steps
/// down through approved releases; reaching the bottom (or an explicit end) releases it. Every change is a <see cref="RiskAreaEvent"/>.
/// </summary>
public sealed class RiskArea
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>The committee the area lies in (the whole committee for a community-wide area).</summary>
    public long CommunityCode { get; init; }
    public RiskAreaScope Scope { get; init; }
    public Guid? CompoundId { get; init; }
    public Guid? BuildingId { get; init; }
    /// <summary>The place's name when designated (小区, 楼栋), so history reads true after renames.</summary>
    public required string Name { get; init; }
    public RiskAreaLevel Level { get; set; }
    /// <summary>The level it came down from at its last release, for rules such as 第九版's "3 more days" after high → medium.</summary>
    public RiskAreaLevel? DowngradedFrom { get; set; }
    public DateOnly StartDay { get; init; }
    /// <summary>The day the current level began.</summary>
    public DateOnly LevelSince { get; set; }
    public required string Reason { get; init; }
    public RiskAreaState State { get; set; }
    public DateOnly? EndDay { get; set; }
    /// <summary>The last day a new infection was found in the area (null: none since designation); release counts from it.</summary>
    public DateOnly? LastInfectionDay { get; set; }
    public Guid? CreatedBy { get; init; }
    public required string CreatedByName { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Consecutive days without a new infection up to and including <paramref name="today"/>, counted from the later of the level's start and the last infection.</summary>
    public int DaysWithoutNewInfection(DateOnly today) => AreaStanding.Of(this).DaysWithoutNewInfection(today);
}

public enum RiskAreaEventKind { Designated = 0, InfectionRecorded = 1, ScreeningRecorded = 2, ReleaseProposed = 3, Downgraded = 4, ReleaseRejected = 5, Released = 6 }

public sealed class RiskAreaEvent
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid RiskAreaId { get; init; }
    public long CommunityCode { get; init; }
    public RiskAreaEventKind Kind { get; init; }
    public RiskAreaLevel? FromLevel { get; init; }
    public RiskAreaLevel? ToLevel { get; init; }
    public DateOnly Day { get; init; }
    public string? Note { get; init; }
    public Guid? By { get; init; }
    public required string ByName { get; init; }
    public DateTime At { get; init; }
}

/// <summary>A screening of the area's residents on a day (entered by staff, or filled from a testing round).</summary>
public sealed class RiskAreaScreening
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid RiskAreaId { get; init; }
    public long CommunityCode { get; init; }
    public DateOnly Day { get; init; }
    public int Required { get; set; }
    public int Sampled { get; set; }
    public int Positive { get; set; }
    public Guid? RecordedBy { get; set; }
    public required string RecordedByName { get; set; }
    public DateTime RecordedAt { get; set; }

    /// <summary>Everyone required was sampled and nobody was positive.</summary>
    public bool IsAllNegative => Required > 0 && Sampled >= Required && Positive == 0;
}

public enum ReleaseProposalState { Proposed = 0, Approved = 1, Rejected = 2, Withdrawn = 3 }

/// <summary>The daily evaluation found an area meets a release rule; the command approves or rejects it.</summary>
public sealed class RiskAreaReleaseProposal
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid RiskAreaId { get; init; }
    public long CommunityCode { get; init; }
    public DateOnly ProposedOn { get; init; }
    public RiskAreaLevel FromLevel { get; init; }
    public RiskAreaLevel ToLevel { get; init; }
    public int DaysWithoutNewInfection { get; init; }
    public DateOnly? ScreeningDay { get; init; }
    public int? ScreeningRequired { get; init; }
    public int? ScreeningSampled { get; init; }
    public int? ScreeningPositive { get; init; }
    public required string PolicyCode { get; init; }
    public ReleaseProposalState State { get; set; }
    public Guid? DecidedBy { get; set; }
    public string? DecidedByName { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    public DateTime CreatedAt { get; init; }
}
