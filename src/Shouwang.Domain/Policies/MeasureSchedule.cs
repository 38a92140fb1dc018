namespace Shouwang.Domain.Policies;

/// <summary>A test day of a schedule; elapsed when it fell before the person was identified (it cannot be made up).</summary>
/// <param name="StageIndex">0-based position of the stage in the rule.</param>
/// <param name="DayInStage">1-based, as the protocol names it ("quarantine day 5").</param>
public sealed record ScheduledTest(int StageIndex, int DayInStage, DateOnly Date, bool Elapsed);

/// <summary>One stage laid out on the calendar, with the part of it the person actually serves.</summary>
/// <param name="ServedFrom">The first day the person serves; null when the whole stage was over before they were identified.</param>
public sealed record ScheduledStage(
    int Index, MeasureKind Kind, int Days, DateOnly FirstDay, DateOnly LastDay, DateOnly? ServedFrom, IReadOnlyList<ScheduledTest> Tests)
{
    public bool IsElapsed => ServedFrom is null;
}

/// <summary>第3天/共7天: where a person stands in the stage they are serving today.</summary>
public readonly record struct DayCount(int StageIndex, MeasureKind Kind, int Day, int Of);

/// <summary>
/// A rule laid out on local calendar days (Asia/Shanghai; callers convert instants to days, the domain sees only dates).
/// <para>
/// Day counting: the anchor day (last exposure, leaving the area, arrival) is day 0 and day 1 of the first stage is the next day,
/// as the protocols count "7 days from last exposure" (自末次暴露后算起; 入境当天为第0天): exposure on 12-24 gives quarantine
/// 12-25..12-31 and monitoring 01-01..01-03. Each stage starts the day after the previous one ends.
/// </para>
/// <para>
/// A person identified late serves only the days from the identification day on; tests on those days are kept, earlier ones
/// are marked elapsed. Identified after the last day, nothing is left: <see cref="IsEnded"/>.
/// </para>
/// </summary>
public sealed class MeasureSchedule
{
    private MeasureSchedule(CategoryRule rule, DateOnly anchorDay, DateOnly identifiedDay, IReadOnlyList<ScheduledStage> stages) =>
        (Rule, AnchorDay, IdentifiedDay, Stages) = (rule, anchorDay, identifiedDay, stages);

    public CategoryRule Rule { get; }
    public DateOnly AnchorDay { get; }
    public DateOnly IdentifiedDay { get; }
    public IReadOnlyList<ScheduledStage> Stages { get; }

    /// <summary>Day 1 of the first stage (the day after the anchor).</summary>
    public DateOnly FirstDay => Stages[0].FirstDay;

    /// <summary>The planned end: the last day of the last stage. The person is released the day after.</summary>
    public DateOnly LastDay => Stages[^1].LastDay;

    /// <summary>The first day the person is actually under the measure; null when <see cref="IsEnded"/>.</summary>
    public DateOnly? ServedFrom => Stages.Select(s => s.ServedFrom).FirstOrDefault(d => d is not null);

    /// <summary>Identified after the whole period: there is nothing to serve and no measure to issue.</summary>
    public bool IsEnded => ServedFrom is null;

    public IEnumerable<ScheduledTest> RemainingTests => Stages.SelectMany(s => s.Tests).Where(t => !t.Elapsed);

    public static MeasureSchedule Compute(CategoryRule rule, DateOnly anchorDay, DateOnly identifiedDay)
    {
        if (rule.Stages.Count == 0) throw new ArgumentException("A rule needs at least one stage.", nameof(rule));
        var stages = new List<ScheduledStage>(rule.Stages.Count);
        var dayBefore = anchorDay;
        for (var i = 0; i < rule.Stages.Count; i++)
        {
            var stage = rule.Stages[i];
            if (stage.Days < 1) throw new ArgumentException($"Stage {i + 1} has {stage.Days} days.", nameof(rule));
            var first = dayBefore.AddDays(1);
            var last = first.AddDays(stage.Days - 1);
            DateOnly? servedFrom = identifiedDay > last ? null : identifiedDay > first ? identifiedDay : first;
            var stageIndex = i;
            var tests = stage.TestDays.Order().Select(day =>
            {
                var date = first.AddDays(day - 1);
                return new ScheduledTest(stageIndex, day, date, Elapsed: date < identifiedDay);
            }).ToList();
            stages.Add(new ScheduledStage(i, stage.Kind, stage.Days, first, last, servedFrom, tests));
            dayBefore = last;
        }
        return new MeasureSchedule(rule, anchorDay, identifiedDay, stages);
    }

    /// <summary>The stage and day the person is on; null on a day they are not under the measure (before, after, or not yet identified).</summary>
    public DayCount? DayCounter(DateOnly today)
    {
        var stage = Stages.FirstOrDefault(s => s.ServedFrom <= today && today <= s.LastDay);
        return stage is null ? null : new DayCount(stage.Index, stage.Kind, today.DayNumber - stage.FirstDay.DayNumber + 1, stage.Days);
    }

    /// <summary>The next test still to be taken, counting today's; null when none remain.</summary>
    public ScheduledTest? NextTestDay(DateOnly today) => RemainingTests.FirstOrDefault(t => t.Date >= today);
}
