using Shouwang.Domain.Policies;

namespace Shouwang.Domain.Tests.Policies;

public class MeasureScheduleTests
{
    private static CategoryRule Rule(PolicyVersion policy, PersonCategory category) =>
        policy.RuleFor(category) ?? throw new InvalidOperationException($"{policy.Code} has no rule for {category}");

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    private static DateOnly[] TestDates(MeasureSchedule schedule, int stageIndex) => schedule.Stages[stageIndex].Tests.Select(t => t.Date).ToArray();

    [Fact]
    public void Ninth_edition_close_contact_is_7_days_centralised_then_3_days_monitoring_counted_from_the_day_after_exposure()
    {
        // Last exposure on 25 August: quarantine 26 Aug – 1 Sep (crossing the month end), monitoring 2–4 Sep.
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.CloseContact), D(2022, 8, 25), D(2022, 8, 25));

        Assert.Equal(2, schedule.Stages.Count);
        var (quarantine, monitoring) = (schedule.Stages[0], schedule.Stages[1]);
        Assert.Equal((MeasureKind.CentralisedQuarantine, D(2022, 8, 26), D(2022, 9, 1)), (quarantine.Kind, quarantine.FirstDay, quarantine.LastDay));
        Assert.Equal([D(2022, 8, 26), D(2022, 8, 27), D(2022, 8, 28), D(2022, 8, 30), D(2022, 9, 1)], TestDates(schedule, 0));
        Assert.Equal((MeasureKind.HomeHealthMonitoring, D(2022, 9, 2), D(2022, 9, 4)), (monitoring.Kind, monitoring.FirstDay, monitoring.LastDay));
        Assert.Equal([D(2022, 9, 4)], TestDates(schedule, 1));
        Assert.Equal((D(2022, 8, 26), D(2022, 9, 4)), (schedule.FirstDay, schedule.LastDay));
        Assert.Equal(6, schedule.RemainingTests.Count());
        Assert.False(schedule.IsEnded);
    }

    [Fact]
    public void Twenty_measures_close_contact_is_5_days_centralised_then_3_days_home_quarantine_across_the_year_end()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.TwentyMeasures, PersonCategory.CloseContact), D(2022, 12, 28), D(2022, 12, 28));

        Assert.Equal((MeasureKind.CentralisedQuarantine, D(2022, 12, 29), D(2023, 1, 2)), (schedule.Stages[0].Kind, schedule.Stages[0].FirstDay, schedule.Stages[0].LastDay));
        Assert.Equal([D(2022, 12, 29), D(2022, 12, 30), D(2022, 12, 31), D(2023, 1, 2)], TestDates(schedule, 0));
        Assert.Equal((MeasureKind.HomeQuarantine, D(2023, 1, 3), D(2023, 1, 5)), (schedule.Stages[1].Kind, schedule.Stages[1].FirstDay, schedule.Stages[1].LastDay));
        Assert.Equal([D(2023, 1, 3), D(2023, 1, 5)], TestDates(schedule, 1));
    }

    [Fact]
    public void Exposure_on_new_years_eve_starts_quarantine_on_new_years_day()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.TwentyMeasures, PersonCategory.CloseContact), D(2022, 12, 31), D(2022, 12, 31));

        Assert.Equal(D(2023, 1, 1), schedule.FirstDay);
        Assert.Equal(D(2023, 1, 8), schedule.LastDay);
        Assert.Equal([D(2023, 1, 1), D(2023, 1, 2), D(2023, 1, 3), D(2023, 1, 5)], TestDates(schedule, 0));
        Assert.Equal([D(2023, 1, 6), D(2023, 1, 8)], TestDates(schedule, 1));
    }

    [Fact]
    public void Ninth_edition_secondary_contact_is_7_days_home_quarantine_with_tests_on_days_1_4_7()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.SecondaryContact), D(2022, 7, 29), D(2022, 7, 29));

        var stage = Assert.Single(schedule.Stages);
        Assert.Equal((MeasureKind.HomeQuarantine, D(2022, 7, 30), D(2022, 8, 5)), (stage.Kind, stage.FirstDay, stage.LastDay));
        Assert.Equal([D(2022, 7, 30), D(2022, 8, 2), D(2022, 8, 5)], TestDates(schedule, 0));
    }

    [Fact]
    public void Ninth_edition_medium_risk_arrival_counts_7_days_home_quarantine_from_leaving_the_area()
    {
        var rule = Rule(PolicyPresets.NinthEdition, PersonCategory.MediumRiskAreaArrival);
        Assert.Equal(PeriodAnchor.LeftArea, rule.Anchor);

        // Left on 31 October, arrived and reported on 2 November: the first day (1 Nov) and its test are already past.
        var schedule = MeasureSchedule.Compute(rule, D(2022, 10, 31), D(2022, 11, 2));

        var stage = Assert.Single(schedule.Stages);
        Assert.Equal((MeasureKind.HomeQuarantine, D(2022, 11, 1), D(2022, 11, 7), D(2022, 11, 2)), (stage.Kind, stage.FirstDay, stage.LastDay, stage.ServedFrom));
        Assert.Equal([D(2022, 11, 4), D(2022, 11, 7)], schedule.RemainingTests.Select(t => t.Date));
        Assert.True(stage.Tests[0].Elapsed);
    }

    [Fact]
    public void Ninth_edition_high_risk_arrival_is_7_days_centralised_with_the_quarantine_test_days()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.HighRiskAreaArrival), D(2022, 9, 27), D(2022, 9, 27));

        var stage = Assert.Single(schedule.Stages);
        Assert.Equal((MeasureKind.CentralisedQuarantine, D(2022, 9, 28), D(2022, 10, 4)), (stage.Kind, stage.FirstDay, stage.LastDay));
        Assert.Equal([1, 2, 3, 5, 7], stage.Tests.Select(t => t.DayInStage));
    }

    [Fact]
    public void Low_risk_arrival_is_three_days_two_tests_on_days_1_and_3()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.LowRiskAreaArrival), D(2022, 9, 30), D(2022, 9, 30));

        var stage = Assert.Single(schedule.Stages);
        Assert.Equal((MeasureKind.TestsOnly, D(2022, 10, 1), D(2022, 10, 3)), (stage.Kind, stage.FirstDay, stage.LastDay));
        Assert.Equal([D(2022, 10, 1), D(2022, 10, 3)], TestDates(schedule, 0));
    }

    [Fact]
    public void Ninth_edition_inbound_traveller_is_counted_from_arrival_like_a_close_contact()
    {
        var rule = Rule(PolicyPresets.NinthEdition, PersonCategory.InboundTraveller);
        var schedule = MeasureSchedule.Compute(rule, D(2022, 7, 1), D(2022, 7, 1));

        Assert.Equal(PeriodAnchor.Arrival, rule.Anchor);
        Assert.Equal((D(2022, 7, 2), D(2022, 7, 11)), (schedule.FirstDay, schedule.LastDay));
        Assert.Equal([MeasureKind.CentralisedQuarantine, MeasureKind.HomeHealthMonitoring], schedule.Stages.Select(s => s.Kind));
    }

    [Fact]
    public void Twenty_measures_high_risk_leaver_and_closed_loop_worker()
    {
        var leaver = MeasureSchedule.Compute(Rule(PolicyPresets.TwentyMeasures, PersonCategory.HighRiskAreaArrival), D(2022, 11, 27), D(2022, 11, 27));
        Assert.Equal((MeasureKind.HomeQuarantine, D(2022, 11, 28), D(2022, 12, 4)), (leaver.Stages[0].Kind, leaver.FirstDay, leaver.LastDay));
        Assert.Equal([D(2022, 11, 28), D(2022, 11, 30), D(2022, 12, 2), D(2022, 12, 4)], TestDates(leaver, 0));

        var worker = MeasureSchedule.Compute(Rule(PolicyPresets.TwentyMeasures, PersonCategory.ClosedLoopWorker), D(2022, 11, 30), D(2022, 11, 30));
        Assert.Equal((MeasureKind.HomeHealthMonitoring, D(2022, 12, 1), D(2022, 12, 5)), (worker.Stages[0].Kind, worker.FirstDay, worker.LastDay));
        Assert.Equal([D(2022, 12, 1), D(2022, 12, 3), D(2022, 12, 5)], TestDates(worker, 0));
    }

    [Fact]
    public void Quarantine_converts_to_monitoring_the_day_after_it_ends()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.CloseContact), D(2022, 8, 25), D(2022, 8, 25));

        Assert.Equal(schedule.Stages[0].LastDay.AddDays(1), schedule.Stages[1].FirstDay);
        Assert.Equal(new DayCount(0, MeasureKind.CentralisedQuarantine, 7, 7), schedule.DayCounter(D(2022, 9, 1)));
        Assert.Equal(new DayCount(1, MeasureKind.HomeHealthMonitoring, 1, 3), schedule.DayCounter(D(2022, 9, 2)));
    }

    [Fact]
    public void Day_counter_covers_the_period_only()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.CloseContact), D(2022, 8, 25), D(2022, 8, 25));

        Assert.Null(schedule.DayCounter(D(2022, 8, 25))); // the exposure day is day 0
        Assert.Equal(new DayCount(0, MeasureKind.CentralisedQuarantine, 1, 7), schedule.DayCounter(D(2022, 8, 26)));
        Assert.Equal(new DayCount(0, MeasureKind.CentralisedQuarantine, 3, 7), schedule.DayCounter(D(2022, 8, 28)));
        Assert.Equal(new DayCount(1, MeasureKind.HomeHealthMonitoring, 3, 3), schedule.DayCounter(D(2022, 9, 4)));
        Assert.Null(schedule.DayCounter(D(2022, 9, 5)));
    }

    [Fact]
    public void Next_test_day_counts_todays_test_and_runs_out_after_the_last()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.CloseContact), D(2022, 8, 25), D(2022, 8, 25));

        Assert.Equal(D(2022, 8, 26), schedule.NextTestDay(D(2022, 8, 25))?.Date);
        Assert.Equal(D(2022, 8, 28), schedule.NextTestDay(D(2022, 8, 28))?.Date);
        Assert.Equal(new ScheduledTest(0, 5, D(2022, 8, 30), false), schedule.NextTestDay(D(2022, 8, 29)));
        Assert.Equal(new ScheduledTest(1, 3, D(2022, 9, 4), false), schedule.NextTestDay(D(2022, 9, 2)));
        Assert.Null(schedule.NextTestDay(D(2022, 9, 5)));
    }

    [Fact]
    public void A_contact_found_on_quarantine_day_4_serves_the_remaining_days_and_keeps_the_remaining_tests()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.CloseContact), D(2022, 8, 25), D(2022, 8, 29));

        Assert.Equal(D(2022, 8, 29), schedule.ServedFrom);
        Assert.Equal(D(2022, 9, 4), schedule.LastDay); // the end does not move
        Assert.Equal(D(2022, 8, 29), schedule.Stages[0].ServedFrom);
        Assert.Equal([true, true, true, false, false], schedule.Stages[0].Tests.Select(t => t.Elapsed));
        Assert.Equal([D(2022, 8, 30), D(2022, 9, 1), D(2022, 9, 4)], schedule.RemainingTests.Select(t => t.Date));
        Assert.Equal(new DayCount(0, MeasureKind.CentralisedQuarantine, 4, 7), schedule.DayCounter(D(2022, 8, 29)));
        Assert.Null(schedule.DayCounter(D(2022, 8, 28))); // not under the measure before being found
        Assert.Equal(D(2022, 8, 30), schedule.NextTestDay(D(2022, 8, 26))?.Date);
    }

    [Fact]
    public void A_contact_found_on_a_test_day_still_takes_that_test()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.CloseContact), D(2022, 8, 25), D(2022, 8, 30));

        Assert.Equal(D(2022, 8, 30), schedule.NextTestDay(D(2022, 8, 30))?.Date);
        Assert.Equal([5, 7], schedule.Stages[0].Tests.Where(t => !t.Elapsed).Select(t => t.DayInStage));
    }

    [Fact]
    public void A_contact_found_after_the_quarantine_serves_only_the_rest_of_the_monitoring()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.TwentyMeasures, PersonCategory.CloseContact), D(2022, 12, 28), D(2023, 1, 4));

        Assert.True(schedule.Stages[0].IsElapsed);
        Assert.Equal(D(2023, 1, 4), schedule.Stages[1].ServedFrom);
        Assert.Equal(D(2023, 1, 4), schedule.ServedFrom);
        Assert.Equal(new DayCount(1, MeasureKind.HomeQuarantine, 2, 3), schedule.DayCounter(D(2023, 1, 4)));
        Assert.Equal([D(2023, 1, 5)], schedule.RemainingTests.Select(t => t.Date));
    }

    [Fact]
    public void A_contact_found_on_the_last_day_serves_that_day()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.CloseContact), D(2022, 8, 25), D(2022, 9, 4));

        Assert.False(schedule.IsEnded);
        Assert.Equal(new DayCount(1, MeasureKind.HomeHealthMonitoring, 3, 3), schedule.DayCounter(D(2022, 9, 4)));
        Assert.Equal([D(2022, 9, 4)], schedule.RemainingTests.Select(t => t.Date));
    }

    [Fact]
    public void A_contact_found_after_the_whole_period_has_nothing_left()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.CloseContact), D(2022, 8, 25), D(2022, 9, 5));

        Assert.True(schedule.IsEnded);
        Assert.Null(schedule.ServedFrom);
        Assert.All(schedule.Stages, s => Assert.True(s.IsElapsed));
        Assert.Empty(schedule.RemainingTests);
        Assert.Null(schedule.DayCounter(D(2022, 9, 5)));
        Assert.Null(schedule.NextTestDay(D(2022, 9, 5)));
    }

    [Fact]
    public void An_arrival_reported_before_arriving_loses_no_days()
    {
        var schedule = MeasureSchedule.Compute(Rule(PolicyPresets.NinthEdition, PersonCategory.LowRiskAreaArrival), D(2022, 9, 30), D(2022, 9, 28));

        Assert.Equal(D(2022, 10, 1), schedule.ServedFrom);
        Assert.Equal(2, schedule.RemainingTests.Count());
    }

    [Fact]
    public void Test_days_are_laid_out_in_order_whatever_order_the_policy_lists_them()
    {
        var rule = new CategoryRule(PersonCategory.Fever, PeriodAnchor.Identified, [new(MeasureKind.TestsOnly, 3, [3, 1])]);

        var schedule = MeasureSchedule.Compute(rule, D(2022, 12, 30), D(2022, 12, 30));

        Assert.Equal([D(2022, 12, 31), D(2023, 1, 2)], TestDates(schedule, 0));
    }

    [Fact]
    public void A_rule_without_stages_cannot_be_laid_out()
    {
        var rule = new CategoryRule(PersonCategory.Fever, PeriodAnchor.Identified, []);

        Assert.Throws<ArgumentException>(() => MeasureSchedule.Compute(rule, D(2022, 12, 30), D(2022, 12, 30)));
    }
}
