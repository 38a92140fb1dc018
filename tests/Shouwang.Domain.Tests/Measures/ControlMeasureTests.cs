using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;

namespace Shouwang.Domain.Tests.Measures;

public class ControlMeasureTests
{
    private static DateOnly D(int month, int day) => new(2022, month, day);

    private static List<ControlMeasure> Course(PolicyVersion policy, PersonCategory category, DateOnly anchor, DateOnly identified, MeasureState state = MeasureState.Active)
    {
        var schedule = MeasureSchedule.Compute(policy.RuleFor(category)!, anchor, identified);
        return ControlMeasure.FromSchedule(schedule, new CourseDetails(Guid.NewGuid(), Guid.NewGuid(), 430202005001, null, Guid.NewGuid(), policy.Code,
            "晏家湾1栋101", "金山酒店", RestrictionBasis.Contact, "C-1", state, null, "测试", DateTime.UtcNow));
    }

    [Fact]
    public void FromSchedule_lays_one_row_per_stage_with_places_test_days_and_checks()
    {
        var stages = Course(PolicyPresets.NinthEdition, PersonCategory.CloseContact, D(8, 25), D(8, 25));

        Assert.Equal(2, stages.Count);
        var (quarantine, monitoring) = (stages[0], stages[1]);
        Assert.Equal((0, 2, MeasurePlace.QuarantineSite, "金山酒店", 2, "1,2,3,5,7"),
            (quarantine.StageIndex, quarantine.StageCount, quarantine.Place, quarantine.PlaceName, quarantine.ChecksPerDay, quarantine.TestDays));
        Assert.Equal((D(8, 26), D(8, 26), D(9, 1), 7), (quarantine.StageFirstDay, quarantine.StartDay, quarantine.EndDay, quarantine.Days));
        Assert.Equal((1, MeasurePlace.Home, "晏家湾1栋101", D(9, 2), D(9, 4)), (monitoring.StageIndex, monitoring.Place, monitoring.PlaceName, monitoring.StartDay, monitoring.EndDay));
        Assert.All(stages, s => Assert.Equal((quarantine.CourseId, "NHC-9", RestrictionBasis.Contact), (s.CourseId, s.PolicyCode, s.Basis)));
        Assert.Equal([D(9, 4)], monitoring.TestDates);
    }

    [Fact]
    public void Found_late_the_elapsed_stage_is_left_out_and_the_running_one_keeps_its_day_numbers()
    {
        var late = Course(PolicyPresets.NinthEdition, PersonCategory.CloseContact, D(8, 25), D(8, 30));
        Assert.Equal(2, late.Count);
        Assert.Equal((D(8, 30), 5, 7), (late[0].StartDay, late[0].DayNumberOn(D(8, 30)), late[0].Days));
        Assert.Equal([D(8, 30), D(9, 1)], late[0].TestDates);

        var monitoringOnly = Course(PolicyPresets.NinthEdition, PersonCategory.CloseContact, D(8, 25), D(9, 3));
        var only = Assert.Single(monitoringOnly);
        Assert.Equal((MeasureKind.HomeHealthMonitoring, 0, 1, true), (only.Kind, only.StageIndex, only.StageCount, only.IsLastStage));
        Assert.Equal((D(9, 3), 2, 3), (only.StartDay, only.DayNumberOn(D(9, 3)), only.Days));
    }

    [Fact]
    public void StatusOn_follows_the_dates_converted_then_released()
    {
        var stages = Course(PolicyPresets.NinthEdition, PersonCategory.CloseContact, D(8, 25), D(8, 25));
        Assert.Equal([MeasureStatus.Upcoming, MeasureStatus.Upcoming], stages.Select(s => s.StatusOn(D(8, 25))));
        Assert.Equal([MeasureStatus.InForce, MeasureStatus.Upcoming], stages.Select(s => s.StatusOn(D(9, 1))));
        Assert.Equal([MeasureStatus.Converted, MeasureStatus.InForce], stages.Select(s => s.StatusOn(D(9, 2))));
        Assert.Equal([MeasureStatus.Converted, MeasureStatus.Released], stages.Select(s => s.StatusOn(D(9, 5))));
        Assert.True(stages[1].IsInForceOn(D(9, 2)) && !stages[0].IsInForceOn(D(9, 2)));
    }

    [Fact]
    public void StatusOn_the_stored_state_wins_over_the_dates()
    {
        var pending = Course(PolicyPresets.TwentyMeasures, PersonCategory.CloseContact, D(11, 20), D(11, 20), MeasureState.PendingApproval);
        Assert.All(pending, s => Assert.Equal(MeasureStatus.PendingApproval, s.StatusOn(D(11, 22))));
        Assert.False(pending[0].IsInForceOn(D(11, 22)));
        foreach (var (state, status) in new[] { (MeasureState.Rejected, MeasureStatus.Rejected), (MeasureState.EndedEarly, MeasureStatus.EndedEarly), (MeasureState.Superseded, MeasureStatus.Superseded) })
        {
            pending[0].State = state;
            Assert.Equal(status, pending[0].StatusOn(D(11, 22)));
        }
    }

    [Fact]
    public void Twenty_measures_close_contact_is_5_centralised_then_3_home_quarantine_both_at_two_checks()
    {
        var stages = Course(PolicyPresets.TwentyMeasures, PersonCategory.CloseContact, D(11, 20), D(11, 20));
        Assert.Equal([(MeasureKind.CentralisedQuarantine, 5, D(11, 25)), (MeasureKind.HomeQuarantine, 3, D(11, 28))], stages.Select(s => (s.Kind, s.Days, s.EndDay)));
        Assert.All(stages, s => Assert.Equal(2, s.ChecksPerDay));
        Assert.Equal(MeasurePlace.Home, stages[1].Place);
    }
}
