namespace Shouwang.Domain.Checkpoints;

/// <summary>小区门岗 / 村口卡点 / 交通健康服务点 / 企业门岗.</summary>
public enum CheckpointKind { CompoundGate = 0, VillageRoad = 1, TrafficHealthPoint = 2, EnterpriseGate = 3 }

/// <summary>What a yellow code means at this checkpoint.</summary>
public enum YellowCodeAction { Allow = 0, TurnBack = 1, Hold = 2 }

/// <summary>卡口: a 24-hour post where everyone who passes is checked (三查一看一测一记) and recorded.</summary>
public sealed class Checkpoint
{
    public const decimal DefaultFeverThreshold = 37.3m;
    public const int DefaultRiskWindowDays = 7;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public CheckpointKind Kind { get; set; }
    /// <summary>The committee the post stands in: the row's scope.</summary>
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    /// <summary>The jurisdiction it guards (any level, e.g. the committee or the whole street): its residents are "ours" here.</summary>
    public required string GuardedCode { get; set; }
    /// <summary>A compound gate guards one compound; residents of it pass as residents.</summary>
    public Guid? CompoundId { get; set; }
    public required string Location { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>Both null: open around the clock.</summary>
    public TimeOnly? OpensAt { get; set; }
    public TimeOnly? ClosesAt { get; set; }
    public YellowCodeAction YellowCode { get; set; }
    /// <summary>Doses an entrant must have had; null: not checked here.</summary>
    public int? VaccinationDosesRequired { get; set; }
    public decimal FeverThreshold { get; set; } = DefaultFeverThreshold;
    /// <summary>Days back an origin in a risk area still counts (the policy window).</summary>
    public int RiskWindowDays { get; set; } = DefaultRiskWindowDays;
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Open at a local time of day; a window past midnight (22:00–06:00) wraps.</summary>
    public bool IsOpenAt(TimeOnly time) => (OpensAt, ClosesAt) switch
    {
        (null, null) => true,
        ({ } open, { } close) when open <= close => time >= open && time < close,
        ({ } open, { } close) => time >= open || time < close,
        ({ } open, null) => time >= open,
        (null, { } close) => time < close,
    };

    /// <summary>Compound gates and village roads let yellow codes home (recorded); highway and enterprise posts turn them back.</summary>
    public static YellowCodeAction DefaultYellowCode(CheckpointKind kind) =>
        kind is CheckpointKind.TrafficHealthPoint or CheckpointKind.EnterpriseGate ? YellowCodeAction.TurnBack : YellowCodeAction.Allow;
}

/// <summary>A member of staff signed in on duty at a checkpoint (值守); signed out when the shift ends.</summary>
public sealed class CheckpointDuty
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid CheckpointId { get; init; }
    public long CommunityCode { get; set; }
    public Guid AccountId { get; init; }
    public required string AccountName { get; init; }
    public DateTime SignedInAt { get; init; }
    public DateTime? SignedOutAt { get; set; }
}
