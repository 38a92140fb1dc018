namespace Shouwang.Domain.Policies;

/// <summary>Who a rule applies to; a policy version has at most one rule per category, and none for a category it does not identify.</summary>
public enum PersonCategory
{
    CloseContact = 0,          // 密切接触者
    SecondaryContact = 1,      // 密接的密接
    InboundTraveller = 2,      // 入境人员
    HighRiskAreaArrival = 3,   // 高风险区来返
    MediumRiskAreaArrival = 4, // 中风险区来返
    LowRiskAreaArrival = 5,    // 低风险区来返
    PositivePoolRetest = 6,    // 混管阳性待复核
    Fever = 7,                 // 发热
    Case = 8,                  // 病例
    ClosedLoopWorker = 9,      // 闭环作业高风险岗位人员
}

public enum MeasureKind
{
    CentralisedQuarantine = 0, // 集中隔离医学观察
    HomeQuarantine = 1,        // 居家隔离（居家医学观察）
    HomeHealthMonitoring = 2,  // 居家健康监测
    TestsOnly = 3,             // e.g. 三天两检
}

/// <summary>The day the period counts from. It is day 0: day 1 of the first stage is the day after (see <see cref="MeasureSchedule"/>).</summary>
public enum PeriodAnchor
{
    LastExposure = 0, // 末次暴露
    LeftArea = 1,     // 离开风险区（or the closed loop）
    Arrival = 2,      // 抵达 / 入境
    Identified = 3,   // the day the person was found (fever, positive pool)
}

/// <summary>One measure in a rule's sequence, e.g. 7 days centralised quarantine with tests on days 1, 2, 3, 5 and 7.</summary>
/// <param name="TestDays">1-based days within this stage, not counted from the anchor.</param>
/// <param name="ChecksPerDay">Follow-ups a day: 2 where the protocol asks for morning and evening temperatures (quarantine).</param>
public sealed record MeasureStage(MeasureKind Kind, int Days, IReadOnlyList<int> TestDays, int ChecksPerDay = 1)
{
    public const int MaxChecksPerDay = 2;
}

/// <summary>What a category of person must do: the stages follow one another without a gap, each converting into the next.</summary>
public sealed record CategoryRule(PersonCategory Category, PeriodAnchor Anchor, IReadOnlyList<MeasureStage> Stages)
{
    public int TotalDays => Stages.Sum(s => s.Days);
}

public enum RiskAreaLevel { High = 0, Medium = 1, Low = 2 }

/// <summary>What a designation does to the people living in the area.</summary>
public enum AreaConfinement
{
    StayHome = 0,           // 足不出户, services come to the door (封控区)
    StayInArea = 1,         // 人不出区, staggered pick-up of goods (管控区)
    PersonalProtection = 2, // 个人防护, no gatherings (防范区)
}

/// <param name="DrawnBy">The unit an area is drawn by, as the protocol words it (小区/村, 楼栋/单元).</param>
public sealed record RiskAreaKind(RiskAreaLevel Level, string Name, AreaConfinement Confinement, string DrawnBy);

/// <summary>
/// When an area steps down a level: after <see cref="DaysWithoutNewInfection"/> consecutive days with no new infection and, when
/// <see cref="NegativeScreeningOnDay"/> is set, every resident negative in the screening on that day of the count.
/// </summary>
/// <param name="DowngradedFrom">Set when the rule applies only to an area that came down from that level (第九版: high → medium, then 3 more days to low).</param>
public sealed record ReleaseRule(RiskAreaLevel From, RiskAreaLevel To, int DaysWithoutNewInfection, int? NegativeScreeningOnDay, RiskAreaLevel? DowngradedFrom = null);

/// <summary>
/// 防控方案: a versioned rule set a jurisdiction puts in force from a date. It is data users edit, so every rule goes through <see cref="Validate"/>.
/// </summary>
public sealed record PolicyVersion(
    string Code,
    string Name,
    string Description,
    DateOnly EffectiveFrom,
    IReadOnlyList<CategoryRule> Rules,
    IReadOnlyList<RiskAreaKind> RiskAreas,
    IReadOnlyList<ReleaseRule> ReleaseRules)
{
    /// <summary>The category's rule; null when this version does not identify the category (nothing to impose).</summary>
    public CategoryRule? RuleFor(PersonCategory category) => Rules.FirstOrDefault(r => r.Category == category);

    public IReadOnlyList<PolicyError> Validate()
    {
        var errors = new List<PolicyError>();
        if (string.IsNullOrWhiteSpace(Code)) errors.Add(new(PolicyErrorKind.CodeMissing));
        if (string.IsNullOrWhiteSpace(Name)) errors.Add(new(PolicyErrorKind.NameMissing));

        foreach (var duplicate in Rules.GroupBy(r => r.Category).Where(g => g.Count() > 1))
        {
            errors.Add(new(PolicyErrorKind.DuplicateCategory, duplicate.Key));
        }
        foreach (var rule in Rules)
        {
            if (rule.Stages.Count == 0) errors.Add(new(PolicyErrorKind.NoStages, rule.Category));
            for (var i = 0; i < rule.Stages.Count; i++)
            {
                var stage = rule.Stages[i];
                var stageNumber = i + 1;
                if (stage.Days < 1) errors.Add(new(PolicyErrorKind.StageDaysBelowOne, rule.Category, stageNumber, stage.Days));
                if (stage.ChecksPerDay is < 1 or > MeasureStage.MaxChecksPerDay)
                    errors.Add(new(PolicyErrorKind.ChecksPerDayOutOfRange, rule.Category, stageNumber, stage.ChecksPerDay));
                foreach (var day in stage.TestDays.Where(d => d < 1 || d > stage.Days).Distinct())
                {
                    errors.Add(new(PolicyErrorKind.TestDayOutsideStage, rule.Category, stageNumber, day));
                }
                foreach (var day in stage.TestDays.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key))
                {
                    errors.Add(new(PolicyErrorKind.DuplicateTestDay, rule.Category, stageNumber, day));
                }
            }
        }

        foreach (var duplicate in RiskAreas.GroupBy(a => a.Level).Where(g => g.Count() > 1))
        {
            errors.Add(new(PolicyErrorKind.DuplicateRiskArea, Level: duplicate.Key));
        }
        foreach (var release in ReleaseRules)
        {
            if (release.To <= release.From) errors.Add(new(PolicyErrorKind.ReleaseNotADowngrade, Level: release.From));
            if (release.DaysWithoutNewInfection < 1) errors.Add(new(PolicyErrorKind.ReleaseDaysBelowOne, Level: release.From, Day: release.DaysWithoutNewInfection));
            if (release.NegativeScreeningOnDay is { } day && (day < 1 || day > release.DaysWithoutNewInfection))
            {
                errors.Add(new(PolicyErrorKind.ScreeningDayOutsideCount, Level: release.From, Day: day));
            }
            // A release must lead out of a level this version designates, or areas could never reach it.
            if (RiskAreas.All(a => a.Level != release.From)) errors.Add(new(PolicyErrorKind.ReleaseFromUnknownLevel, Level: release.From));
        }
        return errors;
    }
}

public enum PolicyErrorKind
{
    CodeMissing,
    NameMissing,
    DuplicateCategory,
    NoStages,
    StageDaysBelowOne,
    TestDayOutsideStage,
    DuplicateTestDay,
    DuplicateRiskArea,
    ReleaseNotADowngrade,
    ReleaseDaysBelowOne,
    ScreeningDayOutsideCount,
    ReleaseFromUnknownLevel,
    ChecksPerDayOutOfRange,
}

/// <summary>One thing wrong with an edited policy, with where it is so the console can point at it.</summary>
/// <param name="Stage">1-based, as the console shows stages.</param>
/// <param name="Day">The offending day count or test day.</param>
public sealed record PolicyError(PolicyErrorKind Kind, PersonCategory? Category = null, int? Stage = null, int? Day = null, RiskAreaLevel? Level = null);
