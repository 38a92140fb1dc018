using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.PassCards;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Web.Features.Checkpoints;

/// <summary>An exit that uses a household's pass card: it takes one of the window's slots or is turned back.</summary>
public sealed record PassQuota(Guid RuleId, int PersonsPerWindow, int Window, DateTime DueBackAt, Guid HouseholdId, long CommunityCode, Guid? GridId);

/// <summary>
/// One passage to commit, with its decision as the server made it. <see cref="DecisionIfUsedUp"/> replaces the decision
/// when <see cref="Quota"/> has no slot left. <see cref="Effects"/> makes the rows that follow from the final decision
/// (alerts, a fever-referral order): they are written in the passage's transaction, and only when the passage is new.
/// </summary>
public sealed record PassageToWrite(Passage Passage, CheckpointDecision Decision)
{
    public PassQuota? Quota { get; init; }
    public CheckpointDecision? DecisionIfUsedUp { get; init; }
    /// <summary>An entry of someone whose household has a trip open: it closes that trip.</summary>
    public Guid? ReturningHouseholdId { get; init; }
    public Func<Passage, CheckpointDecision, IEnumerable<object>>? Effects { get; init; }
}

/// <summary>What was stored: for a duplicate (a re-sent client id), the decision stored the first time.</summary>
public sealed record PassageWritten(Guid Id, bool Duplicate, PassageVerdict Verdict, IReadOnlyList<DecisionReason> Reasons);

/// <summary>
/// Group commit for passages: requests queue their passages, one loop writes whatever has gathered in one transaction
/// (SQLite synchronous=FULL or PostgreSQL: durable on commit), and only then are the requests answered. So an answered
/// passage is on disk, and the disk is synced once per batch instead of once per passage. Client ids already stored are
/// answered as duplicates with their stored decision, never written twice; pass-card slots are taken inside the same
/// transaction, so the unique (household, window, slot) index keeps the quota across processes.
/// </summary>
public sealed class PassageWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private const int Attempts = 3;

    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<PassageWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000) { SingleReader = true });
    private readonly Task _loop;

    private sealed record Pending(IReadOnlyList<PassageToWrite> Items, TaskCompletionSource<IReadOnlyList<PassageWritten>> Done);

    public PassageWriter(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, ILogger<PassageWriter> logger)
    {
        _dbFactory = dbFactory;
        _time = time;
        _logger = logger;
        using (ExecutionContext.SuppressFlow()) _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes once every passage of <paramref name="items"/> is committed (or was already); answers in the same order.</summary>
    public async Task<IReadOnlyList<PassageWritten>> WriteAsync(IReadOnlyList<PassageToWrite> items, CancellationToken cancellationToken = default)
    {
        if (items.Count == 0) return [];
        var pending = new Pending(items, new TaskCompletionSource<IReadOnlyList<PassageWritten>>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        // Once queued it is written even if the client goes away: its device will send it again and get "duplicate".
        return await pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            var rows = 0;
            while (rows < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                rows += pending.Items.Count;
            }
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var written = await SaveAsync(batch);
                    foreach (var pending in batch) pending.Done.TrySetResult(written[pending]);
                    break;
                }
                catch (Exception e) when (attempt < Attempts && e is DbUpdateException or System.Data.Common.DbException)
                {
                    // Another process stored one of these ids a moment ago, or a deadlock on a slot: the next round sees it.
                    _logger.LogWarning(e, "Writing {Count} passages failed (attempt {Attempt}); retrying", rows, attempt);
                }
                catch (Exception e) when (batch.Count > 1)
                {
                    // One request's rows must not sink the others gathered with it: write each request on its own.
                    _logger.LogError(e, "Writing {Count} passages together failed; writing each request alone", rows);
                    foreach (var pending in batch)
                    {
                        try
                        {
                            pending.Done.TrySetResult((await SaveAsync([pending]))[pending]);
                        }
                        catch (Exception alone)
                        {
                            pending.Done.TrySetException(alone);
                        }
                    }
                    break;
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "Writing {Count} passages failed", rows);
                    foreach (var pending in batch) pending.Done.TrySetException(e);
                    break;
                }
            }
            batch.Clear();
        }
    }

    private async Task<Dictionary<Pending, IReadOnlyList<PassageWritten>>> SaveAsync(List<Pending> batch)
    {
        using var _ = CallerContext.AsSystem();
        await using var db = await _dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = _time.GetUtcNow().UtcDateTime;

        var ids = batch.SelectMany(p => p.Items).Select(i => i.Passage.Id).Distinct().ToList();
        var stored = new Dictionary<Guid, PassageWritten>();
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await db.Passages.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => new { p.Id, p.Verdict, p.Reasons }).ToListAsync();
            foreach (var row in rows) stored[row.Id] = new PassageWritten(row.Id, true, row.Verdict, PassageReasons.FromJson(row.Reasons));
        }

        var results = new Dictionary<Pending, IReadOnlyList<PassageWritten>>();
        foreach (var pending in batch)
        {
            var answers = new List<PassageWritten>(pending.Items.Count);
            foreach (var item in pending.Items)
            {
                if (stored.TryGetValue(item.Passage.Id, out var existing))
                {
                    answers.Add(existing with { Duplicate = true });
                    continue;
                }
                var passage = item.Passage;
                passage.PassCardTripId = null; // a retried batch starts from the request's passage again
                var decision = item.Decision;
                if (item.Quota is { } quota && decision.Verdict == PassageVerdict.Allow)
                {
                    var trip = await TakeSlotAsync(db, quota, passage);
                    if (trip is null) decision = item.DecisionIfUsedUp ?? decision;
                    else passage.PassCardTripId = trip.Id;
                }
                // Back at the gate is back, whatever happens next (a fever holds them there): the trip is over.
                if (item.ReturningHouseholdId is { } household)
                    passage.PassCardTripId = await CloseTripAsync(db, household, passage);
                passage.Verdict = decision.Verdict;
                passage.Reasons = PassageReasons.ToJson(decision.Reasons);
                passage.ReceivedAt = now;
                db.Passages.Add(passage);
                if (item.Effects is not null)
                    foreach (var effect in item.Effects(passage, decision)) db.Add(effect);
                var written = new PassageWritten(passage.Id, false, decision.Verdict, decision.Reasons);
                stored[passage.Id] = written;
                answers.Add(written);
            }
            results[pending] = answers;
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return results;
    }

    /// <summary>
    /// Takes the first free slot of the household's window. Each try is its own save inside the batch's transaction: EF
    /// wraps it in a savepoint, so a slot another process holds (unique violation) costs only that try.
    /// </summary>
    private static async Task<PassCardTrip?> TakeSlotAsync(AppDbContext db, PassQuota quota, Passage passage)
    {
        var taken = await db.PassCardTrips.Where(t => t.HouseholdId == quota.HouseholdId && t.Window == quota.Window).Select(t => t.Slot).ToListAsync();
        for (var slot = 1; slot <= quota.PersonsPerWindow; slot++)
        {
            if (taken.Contains(slot)) continue;
            var trip = new PassCardTrip
            {
                HouseholdId = quota.HouseholdId, CommunityCode = quota.CommunityCode, GridId = quota.GridId, RuleId = quota.RuleId,
                Window = quota.Window, Slot = slot, PersonId = passage.PersonId, ExitPassageId = passage.Id, ExitAt = passage.At, DueBackAt = quota.DueBackAt,
            };
            db.PassCardTrips.Add(trip);
            try
            {
                await db.SaveChangesAsync();
                return trip;
            }
            catch (DbUpdateException)
            {
                db.Entry(trip).State = EntityState.Detached;
            }
        }
        return null;
    }

    /// <summary>
    /// The return closes the person's own open trip, or else one opened with the card alone (nobody named). A card scanned
    /// without a person closes the household's oldest open trip. A member who went out without the card closes nobody's.
    /// </summary>
    private static async Task<Guid?> CloseTripAsync(AppDbContext db, Guid householdId, Passage passage)
    {
        var open = await db.PassCardTrips.Where(t => t.HouseholdId == householdId && t.ReturnAt == null).OrderBy(t => t.ExitAt).ToListAsync();
        var trip = passage.PersonId is { } person
            ? open.FirstOrDefault(t => t.PersonId == person) ?? open.FirstOrDefault(t => t.PersonId == null)
            : open.FirstOrDefault();
        if (trip is null) return null;
        trip.ReturnPassageId = passage.Id;
        trip.ReturnAt = passage.At;
        return trip.Id;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}
