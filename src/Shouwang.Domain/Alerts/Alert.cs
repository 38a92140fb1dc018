namespace Shouwang.Domain.Alerts;

public enum AlertKind { FeverOrSymptoms = 0, FollowUpMissed = 1, ReleaseProposed = 2, ArrivalFromRiskArea = 3, CheckpointStop = 4, PassCardOverdue = 5,
    PositivePool = 6, PositiveCase = 7 }

/// <summary>Something staff of a community must see now; shown until someone acknowledges it.</summary>
public sealed class Alert
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public AlertKind Kind { get; init; }
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public Guid? PersonId { get; init; }
    public Guid? WorkOrderId { get; init; }
    /// <summary>The record the alert is about (a follow-up, a proposal, a report).</summary>
    public Guid? SubjectId { get; init; }
    public required string Title { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? AcknowledgedAt { get; set; }
    public Guid? AcknowledgedBy { get; set; }
    public string? AcknowledgedByName { get; set; }
}
