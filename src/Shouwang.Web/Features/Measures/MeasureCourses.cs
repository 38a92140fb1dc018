using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Measures;

/// <summary>A course's stages follow its restriction: approved, rejected or lifted (ended early) through the one approval mechanism.</summary>
public static class MeasureCourses
{
    /// <summary>Brings the stages of a course in line with its restriction's new state; the caller saves both together.</summary>
    public static async Task FollowRestrictionAsync(AppDbContext db, Restriction restriction, DateOnly today, CancellationToken cancellationToken = default)
    {
        if (restriction.Kind != RestrictionKind.ControlMeasure) return;
        var stages = await db.ControlMeasures.Where(m => m.CourseId == restriction.Id).ToListAsync(cancellationToken);
        foreach (var stage in stages)
        {
            switch (restriction.State)
            {
                case RestrictionState.Active when stage.State == MeasureState.PendingApproval:
                    stage.State = MeasureState.Active;
                    break;
                case RestrictionState.Rejected when stage.State == MeasureState.PendingApproval:
                    stage.State = MeasureState.Rejected;
                    break;
                // Stages already served stay as they were (converted); the running one and those ahead end today.
                case RestrictionState.Lifted when stage.State == MeasureState.Active && stage.EndDay >= today:
                    stage.State = MeasureState.EndedEarly;
                    stage.EndedOn = today;
                    stage.EndReason = restriction.LiftReason;
                    stage.EndedBy = restriction.LiftedBy;
                    stage.EndedByName = restriction.LiftedByName;
                    break;
            }
        }
    }
}
