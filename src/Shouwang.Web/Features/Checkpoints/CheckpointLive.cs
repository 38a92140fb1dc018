using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Alerts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Checkpoints;

/// <summary>One local hour at a checkpoint: <see cref="Hour"/> is its start (UTC).</summary>
public sealed record HourCounts(DateTime Hour, int Passed, int Stopped, int Fevers);

public sealed record CheckpointLiveItem(
    Guid Id, string Name, CheckpointKind Kind, string CommunityCode, bool IsActive, int PassedToday, int StoppedToday, int FeversToday,
    IReadOnlyList<HourCounts> Hours);

public sealed record CheckpointLiveView(DateTime At, IReadOnlyList<CheckpointLiveItem> Checkpoints, IReadOnlyList<AlertItem> Alerts);

/// <summary>The command centre's and community's live picture: per checkpoint the last 24 hours, and the open alerts of the gates.</summary>
public sealed class CheckpointLive(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock)
{
    public const int HoursShown = 24;
    public const int AlertsShown = 50;

    public async Task<CheckpointLiveView> GetAsync(string? communityCode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(communityCode))
        {
            // A node outside the caller's subtree narrows to nothing.
            if (JurisdictionCode.TryParse(communityCode, out var node)) db.NarrowTo(node.Value);
            else db.NarrowTo(JurisdictionCode.Parse("99"));
        }
        var now = clock.UtcNow;
        var currentHour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var start = currentHour.AddHours(-(HoursShown - 1));
        var end = currentHour.AddHours(1);
        // Asia/Shanghai is a whole number of hours from UTC, so local hours are UTC hours, and within 24 consecutive hours
        // the hour of the day names each one: one GROUP BY (checkpoint, hour) answers all of them.
        var counts = await (from p in db.Passages
                            join c in db.Checkpoints on p.CheckpointId equals c.Id
                            where p.At >= start && p.At < end
                            group new { p.Verdict, p.Temperature, c.FeverThreshold } by new { c.Id, p.At.Hour } into g
                            select new
                            {
                                g.Key.Id, g.Key.Hour,
                                Passed = g.Count(x => x.Verdict == PassageVerdict.Allow),
                                Stopped = g.Count(x => x.Verdict != PassageVerdict.Allow),
                                Fevers = g.Count(x => x.Temperature != null && x.Temperature >= x.FeverThreshold),
                            }).ToListAsync(cancellationToken);
        var checkpoints = await db.Checkpoints.AsNoTracking().OrderBy(c => c.CommunityCode).ThenBy(c => c.Name)
            .Select(c => new { c.Id, c.Name, c.Kind, c.CommunityCode, c.IsActive }).ToListAsync(cancellationToken);
        var startOfToday = clock.StartOfDayUtc(clock.Today());
        var byCheckpoint = counts.ToLookup(c => c.Id);
        var items = checkpoints.Select(c =>
        {
            var hours = byCheckpoint[c.Id].ToDictionary(h => h.Hour);
            var series = Enumerable.Range(0, HoursShown).Select(i =>
            {
                var hour = start.AddHours(i);
                return hours.TryGetValue(hour.Hour, out var h) ? new HourCounts(hour, h.Passed, h.Stopped, h.Fevers) : new HourCounts(hour, 0, 0, 0);
            }).ToList();
            var today = series.Where(h => h.Hour >= startOfToday).ToList();
            return new CheckpointLiveItem(c.Id, c.Name, c.Kind, c.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture), c.IsActive,
                today.Sum(h => h.Passed), today.Sum(h => h.Stopped), today.Sum(h => h.Fevers), series);
        }).ToList();

        // An alert belongs to the person's committee, the passage to the gate's: a committee sees its residents' stops and fevers
        // at any gate, and every stop and fever at its own gates (the titles carry masked names only). An overdue member who
        // is back is no longer news.
        var ownGates = checkpoints.Select(c => c.Id).ToList();
        var (min, max) = db.ScopeRange;
        var grid = db.Caller.IsSystem ? null : db.Caller.GridId;
        var allPassages = db.Passages.IgnoreQueryFilters();
        var alerts = await db.Alerts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.AcknowledgedAt == null
                && (((a.Kind == AlertKind.CheckpointStop || a.Kind == AlertKind.FeverOrSymptoms)
                        && allPassages.Any(p => p.Id == a.SubjectId && p.CheckpointId != null)
                        && ((a.CommunityCode >= min && a.CommunityCode <= max && (grid == null || a.GridId == null || a.GridId == grid)) || allPassages.Any(p => p.Id == a.SubjectId && ownGates.Contains(p.CheckpointId!.Value))))
                    || (a.Kind == AlertKind.PassCardOverdue && a.CommunityCode >= min && a.CommunityCode <= max && (grid == null || a.GridId == grid)
                        && db.PassCardTrips.Any(t => t.Id == a.SubjectId && t.ReturnAt == null))))
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(AlertsShown).ToListAsync(cancellationToken);
        return new CheckpointLiveView(now, items, alerts.Select(AlertItem.From).ToList());
    }
}
