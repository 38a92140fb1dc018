using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Alerts;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.PassCards;

/// <summary>
/// One PassCardOverdue alert per trip out past its time, raised once: a trip that already has one is skipped. Runs are
/// serialised in the process, so the timer and an immediate run never raise the same alert twice.
/// </summary>
public sealed class PassCardOverdueAlerts(IDbContextFactory<AppDbContext> dbFactory, PassCardTrips trips, LocalClock clock, IStringLocalizer<PassCardsResource> l)
{
    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Raises the missing alerts for the overdue trips the current caller can see; returns how many were raised.</summary>
    public async Task<int> RaiseAsync(CancellationToken cancellationToken = default)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var overdue = await trips.OverdueAsync(db, cancellationToken);
            if (overdue.Count == 0) return 0;
            var raised = new HashSet<Guid>();
            foreach (var chunk in overdue.Select(o => o.TripId).Chunk(1000))
                foreach (var id in await db.Alerts.IgnoreQueryFilters().Where(a => a.Kind == AlertKind.PassCardOverdue && a.SubjectId != null && chunk.Contains(a.SubjectId.Value))
                    .Select(a => a.SubjectId!.Value).ToListAsync(cancellationToken))
                    raised.Add(id);
            var now = clock.UtcNow;
            var added = 0;
            foreach (var trip in overdue.Where(o => !raised.Contains(o.TripId)))
            {
                db.Alerts.Add(new Alert
                {
                    Kind = AlertKind.PassCardOverdue, CommunityCode = long.Parse(trip.CommunityCode, System.Globalization.CultureInfo.InvariantCulture),
                    GridId = trip.GridId, SubjectId = trip.TripId, CreatedAt = now,
                    Title = l["Alert.Overdue", trip.Address ?? "", trip.NameMasked ?? "", clock.ToLocal(trip.DueBackAt).ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)],
                });
                added++;
            }
            if (added > 0) await db.SaveChangesAsync(cancellationToken);
            return added;
        }
        finally
        {
            _running.Release();
        }
    }
}

/// <summary>Every five minutes, as the platform: the overdue trips of every community get their alert.</summary>
public sealed class PassCardOverdueService(PassCardOverdueAlerts alerts, TimeProvider time, ILogger<PassCardOverdueService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var _ = CallerContext.AsSystem();
                var raised = await alerts.RaiseAsync(stoppingToken);
                if (raised > 0) logger.LogInformation("Raised {Count} pass-card overdue alerts", raised);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Pass-card overdue alerts failed");
            }
        }
    }
}
