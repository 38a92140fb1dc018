using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Measures;

/// <summary>A course's stages follow its restriction: approved, rejected or lifted (ended early) through the one approval mechanism.</summary>
public static class MeasureCourses
{
    public const string SupersededReason = "superseded";

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

        // A replacement course (a change, a recomputation) takes over once it is in force; rejected, it leaves the old one running.
        var replaced = await db.ControlMeasures.Where(m => m.SupersededBy == restriction.Id).ToListAsync(cancellationToken);
        if (replaced.Count == 0) return;
        if (restriction.State == RestrictionState.Active)
            await SupersedeAsync(db, replaced, restriction, today, cancellationToken);
        else if (restriction.State == RestrictionState.Rejected)
            foreach (var stage in replaced) stage.SupersededBy = null;
    }

    /// <summary>The old course's active stages become superseded and its restriction is lifted, by whoever put the new one in force.</summary>
    internal static async Task SupersedeAsync(AppDbContext db, IReadOnlyList<ControlMeasure> oldStages, Restriction replacement, DateOnly today,
        CancellationToken cancellationToken)
    {
        foreach (var stage in oldStages.Where(s => s.State is MeasureState.Active or MeasureState.PendingApproval))
        {
            stage.State = MeasureState.Superseded;
            stage.SupersededBy = replacement.Id;
            stage.EndedOn = today;
            stage.EndReason = SupersededReason;
            stage.EndedBy = replacement.DecidedBy ?? replacement.RequestedBy;
            stage.EndedByName = replacement.DecidedByName ?? replacement.RequestedByName;
        }
        var oldIds = oldStages.Select(s => s.CourseId).Distinct().ToList();
        foreach (var old in await db.Restrictions.Where(r => oldIds.Contains(r.Id) && r.State == RestrictionState.Active).ToListAsync(cancellationToken))
        {
            old.Lift(replacement.DecidedBy ?? replacement.RequestedBy, replacement.DecidedByName ?? replacement.RequestedByName,
                replacement.DecidedAt ?? replacement.RequestedAt, $"{SupersededReason} {replacement.Id}");
        }
    }
}
