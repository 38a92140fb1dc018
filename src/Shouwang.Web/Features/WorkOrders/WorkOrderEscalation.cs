using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.WorkOrders;

/// <summary>
/// Raises overdue orders one level (community, then street) per <c>Shouwang:WorkOrders:EscalateAfterHours</c> (default 2)
/// past their deadline, writing an Escalated event each time. Runs as the platform.
/// </summary>
public sealed class WorkOrderEscalation(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, IConfiguration configuration,
    IStringLocalizer<WorkOrdersResource> l)
{
    private const int Batch = 500;

    public TimeSpan EscalateAfter => TimeSpan.FromHours(configuration.GetValue("Shouwang:WorkOrders:EscalateAfterHours", 2.0));

    /// <summary>Returns how many orders were raised.</summary>
    public async Task<int> EscalateOverdueAsync(CancellationToken cancellationToken)
    {
        using var _ = CallerContext.AsSystem();
        var after = EscalateAfter;
        if (after <= TimeSpan.Zero) return 0;
        var raised = 0;
        while (true)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var level1 = now - after;
            var level2 = now - after * 2;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var orders = await db.WorkOrders
                .Where(w => w.Status != WorkOrderStatus.Done && ((w.EscalationLevel < 1 && w.DueAt <= level1) || (w.EscalationLevel < 2 && w.DueAt <= level2)))
                .OrderBy(w => w.DueAt).Take(Batch).ToListAsync(cancellationToken);
            foreach (var order in orders.Where(o => o.Escalate(now, after)))
            {
                db.WorkOrderEvents.Add(new WorkOrderEvent
                {
                    WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Escalated, Actor = l["Actor.System"],
                    Text = l[$"Escalation.Level{order.EscalationLevel}"],
                });
                raised++;
            }
            await db.SaveChangesAsync(cancellationToken);
            if (orders.Count < Batch) return raised;
        }
    }
}

/// <summary>Checks for overdue orders every minute.</summary>
public sealed class WorkOrderEscalationService(WorkOrderEscalation escalation, TimeProvider time, ILogger<WorkOrderEscalationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            try
            {
                var raised = await escalation.EscalateOverdueAsync(stoppingToken);
                if (raised > 0) logger.LogInformation("Escalated {Count} overdue work orders", raised);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Escalating overdue work orders failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
