using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Measures;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.FollowUps;

public enum FollowUpState { Due = 0, Done = 1, Missed = 2 }

/// <summary>One check owed on a day: a stage in force and one of its slots, with the row recorded (or flagged) for it, if any.</summary>
public sealed class DueSlot
{
    public Guid MeasureId { get; init; }
    public Guid PersonId { get; init; }
    public long CommunityCode { get; init; }
    public Guid? GridId { get; init; }
    public int Slot { get; init; }
    public Guid? FollowUpId { get; init; }
    public DateTime? RecordedAt { get; init; }
    public bool Missed { get; init; }
}

/// <summary>
/// The checks owed on a local day, as one query: every stage in force that day (active, started, not ended) gives slot 1,
/// and slot 2 where it asks for two checks, left-joined with that day's follow-up rows. Lists, counts and the end-of-day
/// flagging all start here, so they agree on what was due.
/// </summary>
public static class FollowUpSlots
{
    public static IQueryable<ControlMeasure> InForce(AppDbContext db, DateOnly day) =>
        db.ControlMeasures.AsNoTracking().Where(m => m.State == MeasureState.Active && m.EndDay >= day && m.StartDay <= day);

    /// <param name="issuedBefore">Only stages issued before this instant: a day is owed only from the day the course was issued, not
    /// for the earlier days a late-found person's course reaches back to.</param>
    public static IQueryable<DueSlot> Due(AppDbContext db, DateOnly day, Guid? gridId = null, DateTime? issuedBefore = null)
    {
        var measures = InForce(db, day);
        if (gridId is { } grid) measures = measures.Where(m => m.GridId == grid);
        if (issuedBefore is { } before) measures = measures.Where(m => m.CreatedAt < before);
        var first = measures.Select(m => new { m.Id, m.PersonId, m.CommunityCode, m.GridId, Slot = 1 });
        var second = measures.Where(m => m.ChecksPerDay >= 2).Select(m => new { m.Id, m.PersonId, m.CommunityCode, m.GridId, Slot = 2 });
        var rows = db.FollowUps.AsNoTracking().Where(f => f.Day == day);
        return from s in first.Concat(second)
               join f in rows on new { MeasureId = s.Id, s.Slot } equals new { f.MeasureId, f.Slot } into fs
               from f in fs.DefaultIfEmpty()
               select new DueSlot
               {
                   MeasureId = s.Id, PersonId = s.PersonId, CommunityCode = s.CommunityCode, GridId = s.GridId, Slot = s.Slot,
                   FollowUpId = f == null ? null : f.Id, RecordedAt = f == null ? null : f.RecordedAt, Missed = f != null && f.Missed,
               };
    }

    public static IQueryable<DueSlot> InState(this IQueryable<DueSlot> slots, FollowUpState state) => state switch
    {
        FollowUpState.Done => slots.Where(s => s.RecordedAt != null),
        FollowUpState.Missed => slots.Where(s => s.RecordedAt == null && s.Missed),
        _ => slots.Where(s => s.RecordedAt == null && !s.Missed),
    };

    public static FollowUpState StateOf(DateTime? recordedAt, bool missed) =>
        recordedAt is not null ? FollowUpState.Done : missed ? FollowUpState.Missed : FollowUpState.Due;

    /// <summary>Whether a day is one of a stage's test days (its 1-based day numbers, "1,2,3,5,7").</summary>
    public static bool IsTestDay(string testDays, DateOnly stageFirstDay, DateOnly day)
    {
        var number = day.DayNumber - stageFirstDay.DayNumber + 1;
        foreach (var part in testDays.Split(',', StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse(part, out var n) && n == number) return true;
        return false;
    }
}
