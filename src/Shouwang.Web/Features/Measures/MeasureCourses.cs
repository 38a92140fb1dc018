using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.FollowUps;
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

    /// <summary>
    /// The old course's stages still running or ahead become superseded (those already served stay as they were) and its
    /// restriction is lifted, by whoever put the new one in force. Today's recorded checks carry over to the new course, so a
    /// correction does not make the grid worker visit again, nor flag the check as missed.
    /// </summary>
    internal static async Task SupersedeAsync(AppDbContext db, IReadOnlyList<ControlMeasure> oldStages, Restriction replacement, DateOnly today,
        CancellationToken cancellationToken)
    {
        await CarryOverTodaysChecksAsync(db, oldStages, replacement, today, cancellationToken);
        foreach (var stage in oldStages.Where(s => s.State is MeasureState.Active or MeasureState.PendingApproval && s.EndDay >= today))
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

    private static async Task CarryOverTodaysChecksAsync(AppDbContext db, IReadOnlyList<ControlMeasure> oldStages, Restriction replacement, DateOnly today,
        CancellationToken cancellationToken)
    {
        var oldIds = oldStages.Select(s => s.Id).ToList();
        var todays = await db.FollowUps.AsNoTracking().Where(f => oldIds.Contains(f.MeasureId) && f.Day == today && f.RecordedAt != null).ToListAsync(cancellationToken);
        if (todays.Count == 0) return;
        // The new stages are either just added (a change on a verified basis) or loaded by the approval that activates them.
        var newStages = db.ControlMeasures.Local.Where(m => m.CourseId == replacement.Id).ToList();
        if (newStages.Count == 0) newStages = await db.ControlMeasures.Where(m => m.CourseId == replacement.Id).ToListAsync(cancellationToken);
        if (newStages.FirstOrDefault(m => m.StartDay <= today && today <= m.EndDay) is not { } current) return;
        var taken = await db.FollowUps.Where(f => f.MeasureId == current.Id && f.Day == today).Select(f => f.Slot).ToListAsync(cancellationToken);
        foreach (var check in todays.Where(f => f.Slot <= current.ChecksPerDay && !taken.Contains(f.Slot)))
        {
            db.FollowUps.Add(new FollowUp
            {
                MeasureId = current.Id, PersonId = check.PersonId, CommunityCode = current.CommunityCode, GridId = current.GridId, Day = today, Slot = check.Slot,
                Missed = check.Missed, FlaggedAt = check.FlaggedAt, Reached = check.Reached, Temperature = check.Temperature, Symptoms = check.Symptoms,
                Note = check.Note, RecordedAt = check.RecordedAt, RecordedBy = check.RecordedBy, RecordedByName = check.RecordedByName, WorkOrderId = check.WorkOrderId,
            });
        }
    }
}
