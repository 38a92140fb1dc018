using Shouwang.Domain.Restrictions;

namespace Shouwang.Domain.Checkpoints;

/// <summary>Why a decision came out as it did. Each one that stops someone also names its basis.</summary>
public enum ReasonCode
{
    RedCode = 0,
    YellowCode = 1,
    /// <summary>Stopped by hand (a checkpoint-denial restriction).</summary>
    DeniedByRestriction = 2,
    /// <summary>Under home quarantine, or centralised quarantine and found outside it.</summary>
    Quarantined = 3,
    /// <summary>Lives in a risk area nobody may leave (封控区).</summary>
    LockdownArea = 4,
    /// <summary>The household's pass card has no exit left in this window.</summary>
    PassUsedUp = 5,
    RiskOrigin = 6,
    NotVaccinated = 7,
    Fever = 8,
    NoMask = 9,
    /// <summary>A case, or someone due in centralised quarantine, found at a checkpoint: to be transferred.</summary>
    ToBeTransferred = 10,
    /// <summary>Recorded on a device without a connection: the server decided it on arrival.</summary>
    RecordedOffline = 11,
}

/// <summary>
/// One reason of a decision. <see cref="Detail"/> is data (a measure's day count, an area's name, a temperature);
/// <see cref="Basis"/> names the record behind it, in the restriction mechanism's terms: "restriction:{id}",
/// "risk-area:{id}", "pass-card-rule:{id}", "origin:{code}", "measured".
/// </summary>
public sealed record DecisionReason(ReasonCode Code, PassageVerdict Verdict, string? Detail = null, string? Basis = null, bool Alerts = false)
{
    /// <summary>Fever also opens a fever-referral work order (发热转诊).</summary>
    public bool OpensFeverReferral => Code == ReasonCode.Fever;
}

/// <summary>A checkpoint's settings as the rules read them.</summary>
public sealed record CheckpointSettings(YellowCodeAction YellowCode, int? VaccinationDosesRequired, decimal FeverThreshold, int RiskWindowDays)
{
    public static CheckpointSettings Of(Checkpoint checkpoint) =>
        new(checkpoint.YellowCode, checkpoint.VaccinationDosesRequired, checkpoint.FeverThreshold, checkpoint.RiskWindowDays);
}

/// <summary>A fact that stops someone, with its basis.</summary>
public sealed record BlockingFact(string Detail, string Basis);

/// <summary>What the server knows about whoever is at the gate, gathered once per scan.</summary>
public sealed record SubjectFacts
{
    /// <summary>Lives in the jurisdiction the checkpoint guards (a visitor never does).</summary>
    public bool LivesHere { get; init; }
    public StatusColour Colour { get; init; }
    public IReadOnlyList<string> ColourReasons { get; init; } = [];
    public IReadOnlyList<BlockingFact> Denials { get; init; } = [];
    /// <summary>A home-quarantine stage in force.</summary>
    public BlockingFact? HomeQuarantine { get; init; }
    /// <summary>A case, or a centralised-quarantine stage in force: they belong in a hospital or a quarantine site.</summary>
    public BlockingFact? ToBeTransferred { get; init; }
    public BlockingFact? Lockdown { get; init; }
    /// <summary>An origin or stay in a risk area within the checkpoint's window.</summary>
    public BlockingFact? RiskOrigin { get; init; }
    public int? VaccinationDoses { get; init; }

    public static readonly SubjectFacts Unknown = new();
}

/// <summary>What the operator entered before confirming (一测 / 一看).</summary>
public sealed record Observation(decimal? Temperature, bool? Mask);

public sealed record CheckpointDecision(PassageVerdict Verdict, IReadOnlyList<DecisionReason> Reasons)
{
    public bool Alerts => Reasons.Any(r => r.Alerts);
}

/// <summary>三查一看一测一记 as rules: the same inputs always give the same decision, on the server.</summary>
public static class CheckpointRules
{
    public static CheckpointDecision Decide(CheckpointSettings settings, SubjectFacts facts, PassageKind kind, Observation observation, BlockingFact? passUsedUp = null)
    {
        var reasons = new List<DecisionReason>();
        var leaving = kind == PassageKind.Exit;

        if (facts.ToBeTransferred is { } transfer)
            reasons.Add(new(ReasonCode.ToBeTransferred, PassageVerdict.Transfer, transfer.Detail, transfer.Basis, Alerts: true));

        switch (facts.Colour)
        {
            case StatusColour.Red:
                // A red code is sent away, except from their own home: coming home they are held at the gate for the community to take over.
                var red = kind == PassageKind.Entry && facts.LivesHere ? PassageVerdict.Hold : PassageVerdict.TurnBack;
                reasons.Add(new(ReasonCode.RedCode, red, string.Join("；", facts.ColourReasons), "colour", Alerts: true));
                break;
            case StatusColour.Yellow:
                var verdict = settings.YellowCode switch
                {
                    YellowCodeAction.TurnBack => PassageVerdict.TurnBack,
                    YellowCodeAction.Hold => PassageVerdict.Hold,
                    _ => PassageVerdict.Allow,
                };
                reasons.Add(new(ReasonCode.YellowCode, verdict, string.Join("；", facts.ColourReasons), "colour"));
                break;
        }

        foreach (var denial in facts.Denials)
            reasons.Add(new(ReasonCode.DeniedByRestriction, PassageVerdict.TurnBack, denial.Detail, denial.Basis, Alerts: true));

        // Home quarantine and lockdown stop people leaving; coming home is let through, but someone should know they were out.
        if (facts.HomeQuarantine is { } quarantine)
            reasons.Add(new(ReasonCode.Quarantined, leaving ? PassageVerdict.TurnBack : PassageVerdict.Allow, quarantine.Detail, quarantine.Basis, Alerts: true));
        if (facts.Lockdown is { } lockdown && leaving)
            reasons.Add(new(ReasonCode.LockdownArea, PassageVerdict.TurnBack, lockdown.Detail, lockdown.Basis, Alerts: true));
        if (passUsedUp is not null && leaving)
            reasons.Add(new(ReasonCode.PassUsedUp, PassageVerdict.TurnBack, passUsedUp.Detail, passUsedUp.Basis, Alerts: true));

        if (kind == PassageKind.Entry)
        {
            // A visitor from a risk area goes back; a resident comes home and is held for the community to take over.
            if (facts.RiskOrigin is { } origin)
                reasons.Add(new(ReasonCode.RiskOrigin, facts.LivesHere ? PassageVerdict.Hold : PassageVerdict.TurnBack, origin.Detail, origin.Basis, Alerts: true));
            if (settings.VaccinationDosesRequired is { } required && (facts.VaccinationDoses ?? 0) < required)
                reasons.Add(new(ReasonCode.NotVaccinated, PassageVerdict.TurnBack, $"{facts.VaccinationDoses ?? 0}/{required}", "checkpoint"));
        }

        if (observation.Temperature is { } temperature && temperature >= settings.FeverThreshold)
            reasons.Add(new(ReasonCode.Fever, PassageVerdict.Hold, $"{temperature:0.0}", "measured", Alerts: true));
        if (observation.Mask == false)
            reasons.Add(new(ReasonCode.NoMask, PassageVerdict.Allow, null, "observed"));

        var final = reasons.Count == 0 ? PassageVerdict.Allow : reasons.Max(r => r.Verdict);
        return new CheckpointDecision(final, reasons);
    }

    /// <summary>Temperatures a thermometer can give: 34.0–43.0 °C, one decimal.</summary>
    public static bool IsPlausibleTemperature(decimal value) => value is >= 34.0m and <= 43.0m && decimal.Round(value, 1) == value;
}
