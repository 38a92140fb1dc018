using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.FollowUps;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.FollowUps;

/// <summary>
/// At the end of a local day, every check that was due and has no row gets a Missed row, and each grid with any gets one
/// alert saying how many. Running it again for the same day adds nothing. Runs as the platform.
/// </summary>
public sealed class FlagMissedFollowUps(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, AuditLog audit, IStringLocalizer<FollowUpsResource> l)
{
    private const int Batch = 2_000;

    /// <summary>Returns how many checks were flagged.</summary>
    public async Task<int> HandleAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateSystemContextAsync(cancellationToken);
        var missing = await FollowUpSlots.Due(db, day, issuedBefore: clock.StartOfDayUtc(day.AddDays(1))).Where(s => s.FollowUpId == null)
            .Select(s => new { s.MeasureId, s.PersonId, s.CommunityCode, s.GridId, s.Slot }).ToListAsync(cancellationToken);
        if (missing.Count == 0) return 0;
        var now = clock.UtcNow;
        var flagged = 0;
        foreach (var chunk in missing.Chunk(Batch))
        {
            await using var batch = await dbFactory.CreateSystemContextAsync(cancellationToken);
            // One summary line in the log below, not one per flagged check.
            batch.AuditEntityWrites = false;
            batch.FollowUps.AddRange(chunk.Select(m => new FollowUp
            {
                MeasureId = m.MeasureId, PersonId = m.PersonId, CommunityCode = m.CommunityCode, GridId = m.GridId, Day = day, Slot = m.Slot,
                Missed = true, FlaggedAt = now,
            }));
            try
            {
                await batch.SaveChangesAsync(cancellationToken);
                flagged += chunk.Length;
            }
            catch (DbUpdateException)
            {
                // A check was recorded while we flagged: flag the rest of this chunk one by one.
                foreach (var m in chunk)
                {
                    await using var one = await dbFactory.CreateSystemContextAsync(cancellationToken);
                    one.AuditEntityWrites = false;
                    if (await one.FollowUps.AnyAsync(f => f.MeasureId == m.MeasureId && f.Day == day && f.Slot == m.Slot, cancellationToken)) continue;
                    one.FollowUps.Add(new FollowUp
                    {
                        MeasureId = m.MeasureId, PersonId = m.PersonId, CommunityCode = m.CommunityCode, GridId = m.GridId, Day = day, Slot = m.Slot,
                        Missed = true, FlaggedAt = now,
                    });
                    try
                    {
                        await one.SaveChangesAsync(cancellationToken);
                        flagged++;
                    }
                    catch (DbUpdateException)
                    {
                        // Recorded in between: nothing to flag.
                    }
                }
            }
        }

        if (flagged == 0) return 0;
        var dayText = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var grid in missing.GroupBy(m => (m.CommunityCode, m.GridId)))
        {
            var persons = grid.Select(m => m.PersonId).Distinct().Count();
            db.Alerts.Add(new Alert
            {
                Kind = AlertKind.FollowUpMissed, CommunityCode = grid.Key.CommunityCode, GridId = grid.Key.GridId,
                Title = l["Alert.Missed", dayText, grid.Count(), persons], CreatedAt = now,
            });
        }
        db.AuditEntries.Add(audit.Entry(AuditAction.Update, nameof(FollowUp), dayText, 0, $"Missed follow-ups of {dayText} flagged", rowCount: flagged, caller: db.Caller));
        await db.SaveChangesAsync(cancellationToken);
        return flagged;
    }
}
