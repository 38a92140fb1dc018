using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.FollowUps;

/// <summary>
/// The follow-up day on the local (Asia/Shanghai) clock: at 00:05 the day's door-to-door sampling orders are opened, at 23:59
/// the day's checks still not recorded are flagged as missed. On start it catches up: the last <see cref="CatchUpDays"/> days
/// are flagged (flagging is idempotent) and today's sampling orders opened. Reads time only through <see cref="TimeProvider"/>,
/// so tests drive it with a fake clock.
/// </summary>
public sealed class FollowUpDayService(IServiceProvider services, TimeProvider time, LocalClock clock, ILogger<FollowUpDayService> logger) : BackgroundService
{
    public const int CatchUpDays = 7;
    public static readonly TimeOnly FlagAt = new(23, 59);
    public static readonly TimeOnly SampleAt = new(0, 5);

    private DateOnly _flaggedThrough;
    private DateOnly _sampledThrough;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var _ = CallerContext.AsSystem();
        var today = clock.Today();
        _flaggedThrough = today.AddDays(-CatchUpDays - 1);
        _sampledThrough = today.AddDays(-1);
        while (!stoppingToken.IsCancellationRequested)
        {
            await CatchUpAsync(stoppingToken);
            var delay = NextRun() - clock.UtcNow;
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Flags every day whose 23:59 has passed and opens the orders of every day whose 00:05 has passed, not done yet.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var now = clock.ToLocal(clock.UtcNow);
        var today = DateOnly.FromDateTime(now);
        var lastToFlag = TimeOnly.FromDateTime(now) >= FlagAt ? today : today.AddDays(-1);
        for (var day = _flaggedThrough.AddDays(1); day <= lastToFlag; day = day.AddDays(1))
        {
            await RunAsync("flagging missed follow-ups of " + day, async s =>
            {
                var flagged = await s.GetRequiredService<FlagMissedFollowUps>().HandleAsync(day, cancellationToken);
                if (flagged > 0) logger.LogInformation("Flagged {Count} missed follow-ups of {Day}", flagged, day);
            });
            _flaggedThrough = day;
        }
        if (_sampledThrough < today && TimeOnly.FromDateTime(now) >= SampleAt)
        {
            await RunAsync("opening sampling orders of " + today, async s =>
            {
                if (await s.GetRequiredService<SamplingOrders>().HandleAsync(today, cancellationToken) is Outcome<SamplingOrdersResult>.Success { Value.Opened: > 0 } done)
                    logger.LogInformation("Opened {Count} door-to-door sampling orders for {Day}", done.Value.Opened, today);
            });
            _sampledThrough = today;
        }
    }

    private DateTime NextRun()
    {
        var now = clock.ToLocal(clock.UtcNow);
        var today = DateOnly.FromDateTime(now);
        var flag = today.ToDateTime(FlagAt);
        if (flag <= now) flag = flag.AddDays(1);
        var sample = today.ToDateTime(SampleAt);
        if (sample <= now) sample = sample.AddDays(1);
        return clock.ToUtc(flag < sample ? flag : sample);
    }

    private async Task RunAsync(string what, Func<IServiceProvider, Task> work)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            await work(scope.ServiceProvider);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Follow-up day: {What} failed", what);
        }
    }
}
