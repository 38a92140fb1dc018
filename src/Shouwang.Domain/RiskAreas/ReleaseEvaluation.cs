using Shouwang.Domain.Policies;

namespace Shouwang.Domain.RiskAreas;

/// <summary>What the daily evaluation needs to know of an area.</summary>
public sealed record AreaStanding(RiskAreaLevel Level, DateOnly LevelSince, RiskAreaLevel? DowngradedFrom, DateOnly? LastInfectionDay)
{
    public static AreaStanding Of(RiskArea area) => new(area.Level, area.LevelSince, area.DowngradedFrom, area.LastInfectionDay);

    /// <summary>
    /// The day before day 1 of the count: the last infection when it fell within the current level, else the eve of the level's
    /// first day (the day a level begins is day 1 of its count).
    /// </summary>
    public DateOnly CountEve => LastInfectionDay is { } last && last >= LevelSince ? last : LevelSince.AddDays(-1);

    /// <summary>Consecutive days without a new infection up to and including <paramref name="today"/>.</summary>
    public int DaysWithoutNewInfection(DateOnly today) => Math.Max(0, today.DayNumber - CountEve.DayNumber);
}

/// <summary>A release rule met on a day, with what shows it.</summary>
/// <param name="Screening">The screening on or after the rule's screening day of the count; null when the rule asks for none.</param>
public sealed record ReleaseEvidence(ReleaseRule Rule, int DaysWithoutNewInfection, RiskAreaScreening? Screening);

/// <summary>
/// 解封评估: whether an area meets one of the policy's release rules today. Rules written for an area that came down from a
/// given level (第九版: medium after high, 3 more days) are tried before the general ones for its level; the first met wins.
/// A rule with a screening day needs a screening taken on or after that day of the count, and every screening since then must
/// be complete and negative: one positive or anyone left unsampled blocks the release.
/// </summary>
public static class ReleaseEvaluation
{
    public static ReleaseEvidence? Evaluate(AreaStanding area, IReadOnlyList<ReleaseRule> rules, DateOnly today, IEnumerable<RiskAreaScreening> screenings)
    {
        var days = area.DaysWithoutNewInfection(today);
        var candidates = rules.Where(r => r.From == area.Level && r.DowngradedFrom is not null && r.DowngradedFrom == area.DowngradedFrom)
            .Concat(rules.Where(r => r.From == area.Level && r.DowngradedFrom is null));
        List<RiskAreaScreening>? sorted = null;
        foreach (var rule in candidates)
        {
            if (days < rule.DaysWithoutNewInfection) continue;
            if (rule.NegativeScreeningOnDay is not { } screeningDay) return new ReleaseEvidence(rule, days, null);
            sorted ??= [.. screenings.OrderBy(s => s.Day)];
            var from = area.CountEve.AddDays(screeningDay);
            var since = sorted.Where(s => s.Day >= from && s.Day <= today).ToList();
            if (since.Count == 0 || !since.All(s => s.IsAllNegative)) continue;
            return new ReleaseEvidence(rule, days, since[^1]);
        }
        return null;
    }
}
