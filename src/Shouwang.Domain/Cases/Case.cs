namespace Shouwang.Domain.Cases;

public enum CaseSource { PositiveSingleTube = 0, Reported = 1 }

/// <summary>阳性待确认 until a clinic classifies it; then 确诊 (confirmed) or 无症状感染者 (asymptomatic).</summary>
public enum CaseClassification { Unconfirmed = 0, Confirmed = 1, Asymptomatic = 2 }

/// <summary>A person found infected: opened by a positive single tube (or reported); tracing starts from it.</summary>
public sealed class Case
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Number { get; init; }
    public Guid PersonId { get; init; }
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public Guid? HouseholdId { get; set; }
    public CaseSource Source { get; init; }
    public CaseClassification Classification { get; set; }
    public Guid? RoundId { get; init; }
    public Guid? TubeId { get; init; }
    public DateTime FoundAt { get; init; }
    public DateTime CreatedAt { get; init; }
}
