using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Hotline;

/// <summary>
/// Residents' requests come in bursts (a lockdown notice goes out and a thousand households ask for food at once). Each
/// request is acknowledged only when it is on disk, and the requests that arrived together share one transaction (group
/// commit), so a burst costs a few disk flushes instead of one per request.
/// </summary>
public sealed class PublicRequestWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly ILogger<PublicRequestWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000) { SingleReader = true });
    private readonly Task _loop;

    private sealed record Pending(WorkOrder Order, WorkOrderEvent Created, TaskCompletionSource Done);

    public PublicRequestWriter(IDbContextFactory<AppDbContext> dbFactory, ILogger<PublicRequestWriter> logger)
    {
        _dbFactory = dbFactory;
        _logger = logger;
        // The loop must not inherit the caller of whichever request happened to create it.
        using (ExecutionContext.SuppressFlow()) _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes once the order and its first history line are committed; throws <see cref="DbUpdateException"/> if this order was refused (e.g. its number was taken).</summary>
    public async Task WriteAsync(WorkOrder order, WorkOrderEvent created, CancellationToken cancellationToken)
    {
        var pending = new Pending(order, created, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
            try
            {
                await SaveAsync(batch);
                foreach (var pending in batch) pending.Done.TrySetResult();
            }
            catch (DbUpdateException)
            {
                // One bad row (a number drawn twice) must not sink its neighbours: write them one by one.
                foreach (var pending in batch)
                {
                    try
                    {
                        await SaveAsync([pending]);
                        pending.Done.TrySetResult();
                    }
                    catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
                    {
                        pending.Done.TrySetException(e);
                    }
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.Data.Common.DbException)
            {
                _logger.LogError(e, "Writing {Count} public requests failed", batch.Count);
                foreach (var pending in batch) pending.Done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    private async Task SaveAsync(IReadOnlyList<Pending> batch)
    {
        await using var db = await _dbFactory.CreateSystemContextAsync();
        foreach (var pending in batch)
        {
            db.WorkOrders.Add(pending.Order);
            db.WorkOrderEvents.Add(pending.Created);
        }
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}
