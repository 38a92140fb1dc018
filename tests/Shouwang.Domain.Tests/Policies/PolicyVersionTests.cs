using Shouwang.Domain.Policies;

namespace Shouwang.Domain.Tests.Policies;

public class PolicyVersionTests
{
    private static PolicyVersion WithRules(params CategoryRule[] rules) => PolicyPresets.NinthEdition with { Rules = rules };

    [Fact]
    public void The_presets_are_valid_and_in_force_from_their_real_dates()
    {
        Assert.All(PolicyPresets.All, p => Assert.Empty(p.Validate()));
        Assert.Equal([new DateOnly(2022, 6, 28), new DateOnly(2022, 11, 11), new DateOnly(2023, 1, 8)], PolicyPresets.All.Select(p => p.EffectiveFrom));
        Assert.All(PolicyPresets.All, p => Assert.Contains("联防联控机制", p.Description));
    }

    [Fact]
    public void The_tenth_edition_switches_every_restriction_off()
    {
        var tenth = PolicyPresets.TenthEdition;

        Assert.All(Enum.GetValues<PersonCategory>(), category => Assert.Null(tenth.RuleFor(category)));
        Assert.Empty(tenth.RiskAreas);
        Assert.Empty(tenth.ReleaseRules);
    }

    [Theory]
    [InlineData(PersonCategory.SecondaryContact)]
    [InlineData(PersonCategory.MediumRiskAreaArrival)]
    [InlineData(PersonCategory.LowRiskAreaArrival)]
    [InlineData(PersonCategory.Case)]
    public void Twenty_measures_has_no_rule_for_categories_it_does_not_identify(PersonCategory category) =>
        Assert.Null(PolicyPresets.TwentyMeasures.RuleFor(category));

    [Fact]
    public void Closed_loop_workers_are_a_twenty_measures_category_only()
    {
        Assert.Null(PolicyPresets.NinthEdition.RuleFor(PersonCategory.ClosedLoopWorker));
        Assert.NotNull(PolicyPresets.TwentyMeasures.RuleFor(PersonCategory.ClosedLoopWorker));
    }

    [Fact]
    public void Ninth_edition_risk_areas_and_release_criteria()
    {
        var ninth = PolicyPresets.NinthEdition;

        Assert.Equal([AreaConfinement.StayHome, AreaConfinement.StayInArea, AreaConfinement.PersonalProtection], ninth.RiskAreas.Select(a => a.Confinement));
        Assert.Equal(
        [
            new ReleaseRule(RiskAreaLevel.High, RiskAreaLevel.Medium, 7, 7),
            new ReleaseRule(RiskAreaLevel.Medium, RiskAreaLevel.Low, 3, null, RiskAreaLevel.High),
            new ReleaseRule(RiskAreaLevel.Medium, RiskAreaLevel.Low, 7, 7),
        ], ninth.ReleaseRules);
    }

    [Fact]
    public void Twenty_measures_keeps_high_and_low_areas_and_releases_after_5_days_without_mass_screening()
    {
        var twenty = PolicyPresets.TwentyMeasures;

        Assert.Equal([RiskAreaLevel.High, RiskAreaLevel.Low], twenty.RiskAreas.Select(a => a.Level));
        Assert.Equal(new ReleaseRule(RiskAreaLevel.High, RiskAreaLevel.Low, 5, null), Assert.Single(twenty.ReleaseRules));
    }

    [Fact]
    public void A_stage_needs_at_least_one_day()
    {
        var policy = WithRules(new CategoryRule(PersonCategory.CloseContact, PeriodAnchor.LastExposure,
            [new(MeasureKind.CentralisedQuarantine, 7, [1]), new(MeasureKind.HomeHealthMonitoring, 0, [])]));

        Assert.Equal([new PolicyError(PolicyErrorKind.StageDaysBelowOne, PersonCategory.CloseContact, Stage: 2, Day: 0)], policy.Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Follow_ups_are_once_or_twice_a_day(int checks)
    {
        var policy = WithRules(new CategoryRule(PersonCategory.SecondaryContact, PeriodAnchor.LastExposure,
            [new(MeasureKind.HomeQuarantine, 7, [1, 4, 7], ChecksPerDay: checks)]));

        Assert.Equal([new PolicyError(PolicyErrorKind.ChecksPerDayOutOfRange, PersonCategory.SecondaryContact, Stage: 1, Day: checks)], policy.Validate());
    }

    [Fact]
    public void Quarantine_is_checked_morning_and_evening_and_monitoring_once_a_day()
    {
        var stages = PolicyPresets.All.SelectMany(p => p.Rules).SelectMany(r => r.Stages).ToList();

        Assert.All(stages.Where(s => s.Kind is MeasureKind.CentralisedQuarantine or MeasureKind.HomeQuarantine), s => Assert.Equal(2, s.ChecksPerDay));
        Assert.All(stages.Where(s => s.Kind is MeasureKind.HomeHealthMonitoring or MeasureKind.TestsOnly), s => Assert.Equal(1, s.ChecksPerDay));
    }

    [Fact]
    public void Test_days_must_fall_within_the_stage()
    {
        var policy = WithRules(new CategoryRule(PersonCategory.SecondaryContact, PeriodAnchor.LastExposure, [new(MeasureKind.HomeQuarantine, 7, [0, 1, 8])]));

        Assert.Equal(
        [
            new PolicyError(PolicyErrorKind.TestDayOutsideStage, PersonCategory.SecondaryContact, 1, 0),
            new PolicyError(PolicyErrorKind.TestDayOutsideStage, PersonCategory.SecondaryContact, 1, 8),
        ], policy.Validate());
    }

    [Fact]
    public void Test_days_must_be_unique()
    {
        var policy = WithRules(new CategoryRule(PersonCategory.SecondaryContact, PeriodAnchor.LastExposure, [new(MeasureKind.HomeQuarantine, 7, [1, 4, 4, 7])]));

        Assert.Equal([new PolicyError(PolicyErrorKind.DuplicateTestDay, PersonCategory.SecondaryContact, 1, 4)], policy.Validate());
    }

    [Fact]
    public void A_rule_needs_a_stage_and_a_category_only_one_rule()
    {
        var policy = WithRules(
            new CategoryRule(PersonCategory.Fever, PeriodAnchor.Identified, []),
            new CategoryRule(PersonCategory.CloseContact, PeriodAnchor.LastExposure, [new(MeasureKind.HomeQuarantine, 7, [1])]),
            new CategoryRule(PersonCategory.CloseContact, PeriodAnchor.LastExposure, [new(MeasureKind.HomeQuarantine, 5, [1])]));

        var errors = policy.Validate();

        Assert.Contains(new PolicyError(PolicyErrorKind.NoStages, PersonCategory.Fever), errors);
        Assert.Contains(new PolicyError(PolicyErrorKind.DuplicateCategory, PersonCategory.CloseContact), errors);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void A_version_needs_a_code_and_a_name()
    {
        var errors = (PolicyPresets.TenthEdition with { Code = " ", Name = "" }).Validate();

        Assert.Equal([PolicyErrorKind.CodeMissing, PolicyErrorKind.NameMissing], errors.Select(e => e.Kind));
    }

    [Fact]
    public void Release_rules_must_step_down_from_a_designated_level_within_their_count()
    {
        var policy = PolicyPresets.TwentyMeasures with
        {
            ReleaseRules =
            [
                new(RiskAreaLevel.Low, RiskAreaLevel.High, 5, null),
                new(RiskAreaLevel.High, RiskAreaLevel.Low, 0, null),
                new(RiskAreaLevel.High, RiskAreaLevel.Low, 5, 6),
                new(RiskAreaLevel.Medium, RiskAreaLevel.Low, 7, 7),
            ],
        };

        Assert.Equal(
        [
            new PolicyError(PolicyErrorKind.ReleaseNotADowngrade, Level: RiskAreaLevel.Low),
            new PolicyError(PolicyErrorKind.ReleaseDaysBelowOne, Level: RiskAreaLevel.High, Day: 0),
            new PolicyError(PolicyErrorKind.ScreeningDayOutsideCount, Level: RiskAreaLevel.High, Day: 6),
            new PolicyError(PolicyErrorKind.ReleaseFromUnknownLevel, Level: RiskAreaLevel.Medium),
        ], policy.Validate());
    }

    [Fact]
    public void A_level_is_designated_once()
    {
        var policy = PolicyPresets.TwentyMeasures with
        {
            RiskAreas = [.. PolicyPresets.TwentyMeasures.RiskAreas, new(RiskAreaLevel.High, "封控区", AreaConfinement.StayHome, "小区")],
        };

        Assert.Equal([new PolicyError(PolicyErrorKind.DuplicateRiskArea, Level: RiskAreaLevel.High)], policy.Validate());
    }
}
