using Shouwang.Domain.People;

namespace Shouwang.Domain.MassTesting;

public enum RoundState { Planned = 0, Open = 1, Closed = 2 }

/// <summary>Why someone in scope need not be sampled this round.</summary>
public enum ExemptionReason { Away = 0, Infant = 1, RecentlyPositive = 2, Other = 3 }

/// <summary>
/// 全员核酸检测轮次: everyone required in the scope is to be sampled between <see cref="StartsAt"/> and <see cref="EndsAt"/>.
/// Who is required is worked out from the registry at any moment (people who move in during the round become required),
/// so nothing about it is copied here but the rule.
/// </summary>
public sealed class TestingRound
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    /// <summary>1: single tube; 5, 10 or 20: pooled k:1 (quarantine sites and lockdown buildings are single tube whatever this says).</summary>
    public int PoolSize { get; set; } = 10;
    /// <summary>Residence types required, as bits of (1 &lt;&lt; (int)ResidenceType).</summary>
    public int RequiredResidenceTypes { get; set; } = AllResidenceTypes;
    /// <summary>Children younger than this many years are exempt; null: nobody by age.</summary>
    public int? InfantsUnderYears { get; set; } = 3;
    public RoundState State { get; set; }
    public Guid? CreatedBy { get; init; }
    public required string CreatedByName { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    public const int AllResidenceTypes = (1 << (int)ResidenceType.Registered) | (1 << (int)ResidenceType.Resident)
        | (1 << (int)ResidenceType.Temporary) | (1 << (int)ResidenceType.Floating);

    public bool Requires(ResidenceType type) => (RequiredResidenceTypes & (1 << (int)type)) != 0;

    public bool IsPooled => PoolSize > 1;
}

/// <summary>One node of a round's scope (any level); its subtree range makes "is this person in scope" an indexed range test.</summary>
public sealed class TestingRoundScope
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid RoundId { get; init; }
    public required string NodeCode { get; init; }
    public long Min { get; init; }
    public long Max { get; init; }
}

/// <summary>Someone in scope who need not be sampled this round, and why.</summary>
public sealed class RoundExemption
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid RoundId { get; init; }
    public Guid PersonId { get; init; }
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public ExemptionReason Reason { get; init; }
    public string? Note { get; init; }
    public Guid? By { get; init; }
    public required string ByName { get; init; }
    public DateTime At { get; init; }
}
