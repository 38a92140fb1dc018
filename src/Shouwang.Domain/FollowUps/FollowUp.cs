namespace Shouwang.Domain.FollowUps;

[Flags]
public enum Symptoms
{
    None = 0,
    Fever = 1 << 0,             // 发热
    Cough = 1 << 1,             // 咳嗽
    SoreThroat = 1 << 2,        // 咽痛
    Fatigue = 1 << 3,           // 乏力
    LossOfSmellOrTaste = 1 << 4,// 嗅觉味觉减退
    RunnyNose = 1 << 5,         // 鼻塞流涕
    MusclePain = 1 << 6,        // 肌肉酸痛
    Diarrhoea = 1 << 7,         // 腹泻
    ShortOfBreath = 1 << 8,     // 呼吸困难
    Conjunctivitis = 1 << 9,    // 结膜炎
}

/// <summary>
/// 随访: one check of one person under a measure on one local day (slot 1, and slot 2 where the policy asks for morning and
/// evening temperatures). A row exists once the check is recorded, or once the day ended without it (then <see cref="Missed"/>).
/// </summary>
public sealed class FollowUp
{
    public const decimal FeverThreshold = 37.3m;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid MeasureId { get; init; }
    public Guid PersonId { get; init; }
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    /// <summary>The local (Asia/Shanghai) day the check belongs to.</summary>
    public DateOnly Day { get; init; }
    /// <summary>1 or 2.</summary>
    public int Slot { get; init; } = 1;
    /// <summary>Flagged at the end of the local day because nobody recorded the check; stays set if it is recorded late.</summary>
    public bool Missed { get; set; }
    public DateTime? FlaggedAt { get; set; }
    /// <summary>Whether the person was reached (seen, called); null until recorded.</summary>
    public bool? Reached { get; set; }
    public decimal? Temperature { get; set; }
    public Symptoms Symptoms { get; set; }
    public string? Note { get; set; }
    public DateTime? RecordedAt { get; set; }
    public Guid? RecordedBy { get; set; }
    public string? RecordedByName { get; set; }
    /// <summary>The fever referral opened by this check.</summary>
    public Guid? WorkOrderId { get; set; }

    public bool IsRecorded => RecordedAt is not null;

    /// <summary>Fever (≥ 37.3 °C) or any symptom: the person must be referred.</summary>
    public static bool NeedsReferral(decimal? temperature, Symptoms symptoms) => temperature >= FeverThreshold || symptoms != Symptoms.None;
}
