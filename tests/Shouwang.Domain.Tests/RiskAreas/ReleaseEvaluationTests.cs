using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;

namespace Shouwang.Domain.Tests.RiskAreas;

public class ReleaseEvaluationTests
{
    // Designated on 1 September: that day is day 1 of the count, so 7 September is day 7.
    private static readonly DateOnly Start = new(2022, 9, 1);
    private static readonly IReadOnlyList<ReleaseRule> Ninth = PolicyPresets.NinthEdition.ReleaseRules;
    private static readonly IReadOnlyList<ReleaseRule> Twenty = PolicyPresets.TwentyMeasures.ReleaseRules;

    private static DateOnly Day(int n) => Start.AddDays(n - 1);

    private static RiskAreaScreening Screening(DateOnly day, int required = 100, int sampled = 100, int positive = 0) =>
        new() { Day = day, Required = required, Sampled = sampled, Positive = positive, RecordedByName = "test" };

    private static AreaStanding High(DateOnly? lastInfection = null) => new(RiskAreaLevel.High, Start, null, lastInfection);

    [Fact]
    public void Ninth_high_is_not_released_on_day_6_even_with_a_negative_screening()
    {
        Assert.Null(ReleaseEvaluation.Evaluate(High(), Ninth, Day(6), [Screening(Day(6))]));
    }

    [Fact]
    public void Ninth_high_steps_down_to_medium_on_day_7_with_a_complete_negative_screening_that_day()
    {
        var screening = Screening(Day(7));
        var evidence = ReleaseEvaluation.Evaluate(High(), Ninth, Day(7), [Screening(Day(3)), screening]);

        Assert.NotNull(evidence);
        Assert.Equal((RiskAreaLevel.High, RiskAreaLevel.Medium), (evidence.Rule.From, evidence.Rule.To));
        Assert.Equal(7, evidence.DaysWithoutNewInfection);
        Assert.Same(screening, evidence.Screening);
    }

    [Fact]
    public void Ninth_high_needs_the_day_7_screening_an_earlier_one_does_not_count()
    {
        Assert.Null(ReleaseEvaluation.Evaluate(High(), Ninth, Day(7), [Screening(Day(6))]));
        Assert.Null(ReleaseEvaluation.Evaluate(High(), Ninth, Day(9), []));
        // Taken a day late, the screening still shows day 7 onwards was clear.
        Assert.NotNull(ReleaseEvaluation.Evaluate(High(), Ninth, Day(9), [Screening(Day(8))]));
    }

    [Fact]
    public void One_positive_in_the_screening_blocks_the_release()
    {
        Assert.Null(ReleaseEvaluation.Evaluate(High(), Ninth, Day(7), [Screening(Day(7), positive: 1)]));
        // A later clean screening does not hide the positive since day 7.
        Assert.Null(ReleaseEvaluation.Evaluate(High(), Ninth, Day(8), [Screening(Day(7), positive: 1), Screening(Day(8))]));
    }

    [Fact]
    public void Incomplete_coverage_blocks_the_release()
    {
        Assert.Null(ReleaseEvaluation.Evaluate(High(), Ninth, Day(7), [Screening(Day(7), required: 100, sampled: 99)]));
        Assert.Null(ReleaseEvaluation.Evaluate(High(), Ninth, Day(7), [Screening(Day(7), required: 0, sampled: 0)]));
    }

    [Fact]
    public void A_new_infection_restarts_the_count()
    {
        // Infection found on day 3: the day after it is day 1 again, so day 7 of the new count is day 10 of the designation.
        var area = High(lastInfection: Day(3));
        Assert.Equal(4, area.DaysWithoutNewInfection(Day(7)));
        Assert.Null(ReleaseEvaluation.Evaluate(area, Ninth, Day(7), [Screening(Day(7))]));
        Assert.Null(ReleaseEvaluation.Evaluate(area, Ninth, Day(9), [Screening(Day(9))]));
        var evidence = ReleaseEvaluation.Evaluate(area, Ninth, Day(10), [Screening(Day(7)), Screening(Day(10))]);
        Assert.NotNull(evidence);
        Assert.Equal(7, evidence.DaysWithoutNewInfection);
        Assert.Equal(Day(10), evidence.Screening!.Day);
    }

    [Fact]
    public void An_infection_before_the_level_began_does_not_shorten_or_lengthen_the_count()
    {
        Assert.Equal(7, High(lastInfection: Start.AddDays(-2)).DaysWithoutNewInfection(Day(7)));
    }

    [Fact]
    public void Ninth_high_to_medium_then_3_more_days_to_low_without_a_screening()
    {
        // Stepped down to medium on day 8: that day is day 1 of the medium count.
        var medium = new AreaStanding(RiskAreaLevel.Medium, Day(8), RiskAreaLevel.High, null);
        Assert.Null(ReleaseEvaluation.Evaluate(medium, Ninth, Day(9), []));
        var evidence = ReleaseEvaluation.Evaluate(medium, Ninth, Day(10), []);
        Assert.NotNull(evidence);
        Assert.Equal((RiskAreaLevel.Medium, RiskAreaLevel.Low, RiskAreaLevel.High), (evidence.Rule.From, evidence.Rule.To, evidence.Rule.DowngradedFrom));
        Assert.Equal(3, evidence.DaysWithoutNewInfection);
        Assert.Null(evidence.Screening);
    }

    [Fact]
    public void Ninth_medium_designated_as_such_needs_7_days_and_a_negative_day_7_screening()
    {
        var medium = new AreaStanding(RiskAreaLevel.Medium, Start, null, null);
        Assert.Null(ReleaseEvaluation.Evaluate(medium, Ninth, Day(3), []));
        Assert.Null(ReleaseEvaluation.Evaluate(medium, Ninth, Day(6), [Screening(Day(6))]));
        Assert.Null(ReleaseEvaluation.Evaluate(medium, Ninth, Day(7), []));
        var evidence = ReleaseEvaluation.Evaluate(medium, Ninth, Day(7), [Screening(Day(7))]);
        Assert.NotNull(evidence);
        Assert.Equal((RiskAreaLevel.Low, 7, (RiskAreaLevel?)null), (evidence.Rule.To, evidence.Rule.NegativeScreeningOnDay, evidence.Rule.DowngradedFrom));
    }

    [Fact]
    public void Ninth_low_has_no_release_rule()
    {
        Assert.Null(ReleaseEvaluation.Evaluate(new AreaStanding(RiskAreaLevel.Low, Start, null, null), Ninth, Day(30), [Screening(Day(30))]));
    }

    [Fact]
    public void Twenty_measures_high_goes_straight_to_low_after_5_days_without_a_screening()
    {
        Assert.Null(ReleaseEvaluation.Evaluate(High(), Twenty, Day(4), []));
        var evidence = ReleaseEvaluation.Evaluate(High(), Twenty, Day(5), []);
        Assert.NotNull(evidence);
        Assert.Equal((RiskAreaLevel.High, RiskAreaLevel.Low, 5), (evidence.Rule.From, evidence.Rule.To, evidence.DaysWithoutNewInfection));
        Assert.Null(ReleaseEvaluation.Evaluate(High(lastInfection: Day(2)), Twenty, Day(6), []));
        Assert.NotNull(ReleaseEvaluation.Evaluate(High(lastInfection: Day(2)), Twenty, Day(7), []));
    }

    [Fact]
    public void Tenth_edition_releases_nothing_because_it_has_no_rules()
    {
        Assert.Null(ReleaseEvaluation.Evaluate(High(), PolicyPresets.TenthEdition.ReleaseRules, Day(60), [Screening(Day(60))]));
    }

    [Fact]
    public void Entity_and_standing_count_the_same_days()
    {
        var area = new RiskArea { Name = "1栋", Reason = "r", CreatedByName = "t", Level = RiskAreaLevel.High, StartDay = Start, LevelSince = Start, LastInfectionDay = Day(2) };
        Assert.Equal(3, area.DaysWithoutNewInfection(Day(5)));
        Assert.Equal(0, area.DaysWithoutNewInfection(Day(2)));
    }
}
