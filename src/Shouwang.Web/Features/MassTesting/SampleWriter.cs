using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Web.Features.MassTesting;

/// <summary>What a stored sample is now: for a duplicate (a re-sent client id), the sample stored the first time.</summary>
public sealed record SampleWritten(
    Guid Id, bool Duplicate, Guid PersonId, Guid RoundId, string TubeBarcode, int TubeCount, int TubeCapacity, bool TubeSealed, bool AlreadySampled);

/// <summary>Why a tube took none of a request's samples.</summary>
public enum TubeRefusal { Closed, Full }

/// <summary>A request's answer: all its samples written (or already stored), or none, with the rows whose tube refused them.</summary>
public sealed record SamplesWritten(IReadOnlyList<SampleWritten>? Written, IReadOnlyList<(int Index, TubeRefusal Reason, int Capacity)> Refused);

/// <summary>
/// Group commit for samples, as <see cref="Checkpoints.PassageWriter"/> does for passages: requests queue their samples, one
/// loop writes whatever has gathered in one transaction and answers only after the commit. Client ids already stored are
/// answered with the stored sample. Tube counts change in the same transaction, checked against capacity in memory and again
/// in SQL (Count + n &lt;= Capacity on an open tube), so two devices filling one tube never exceed k; a tube seals itself at k.
/// A request whose samples do not all fit is written not at all.
/// </summary>
public sealed class SampleWriter : IAsyncDisposable
{
    private const int MaxBatch = 2000;
    private const int Attempts = 3;
    /// <summary>The writer's own connection gets a 32 MiB page cache (SQLite's default is 2,000 KiB): the index pages it keeps.</summary>
    private const string WriterPragmas = "PRAGMA cache_size = -32768;";
    private const string ReaderPragmas = "PRAGMA cache_size = -2000;";

    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<SampleWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000) { SingleReader = true });
    private readonly Task _loop;
    private AppDbContext? _db;

    private sealed record Pending(IReadOnlyList<Sample> Items, TaskCompletionSource<SamplesWritten> Done);

    /// <summary>A tube changed under the batch (another process added or sealed): the batch is read again.</summary>
    private sealed class TubeChangedException() : Exception("A tube changed while the batch was written.");

    private sealed class TubeNow(Tube tube)
    {
        public Tube Tube { get; } = tube;
        public int Count { get; set; } = tube.Count;
        public TubeState State { get; set; } = tube.State;
        public int Added { get; set; }
    }

    public SampleWriter(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, ILogger<SampleWriter> logger)
    {
        _dbFactory = dbFactory;
        _time = time;
        _logger = logger;
        using (ExecutionContext.SuppressFlow()) _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes once the samples are committed (or were already, or refused); answers in the same order.</summary>
    public async Task<SamplesWritten> WriteAsync(IReadOnlyList<Sample> samples, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(samples, new TaskCompletionSource<SamplesWritten>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
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
                catch (Exception e) when (attempt < Attempts && e is DbUpdateException or System.Data.Common.DbException or TubeChangedException)
                {
                    _logger.LogWarning(e, "Writing {Count} samples failed (attempt {Attempt}); retrying", rows, attempt);
                }
                catch (Exception e) when (batch.Count > 1)
                {
                    // One request's rows must not sink the others gathered with it: write each request on its own.
                    _logger.LogError(e, "Writing {Count} samples together failed; writing each request alone", rows);
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
                    _logger.LogError(e, "Writing {Count} samples failed", rows);
                    foreach (var pending in batch) pending.Done.TrySetException(e);
                    break;
                }
            }
            batch.Clear();
        }
    }

    /// <summary>
    /// The loop's context, kept from batch to batch with its connection open, so no reader takes that connection in between. A
    /// SQLite connection empties its page cache when another connection has committed since its last read; the writer is the
    /// one committing, so on a connection of its own the index pages it probes and extends stay cached, where a connection last
    /// used by a reader starts cold. Dropped after a failure, so a retry starts on a fresh one.
    /// </summary>
    private async Task<AppDbContext> ContextAsync()
    {
        if (_db is not null) return _db;
        using var _ = CallerContext.AsSystem();
        var db = await _dbFactory.CreateDbContextAsync();
        try
        {
            await db.Database.OpenConnectionAsync();
            if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync(WriterPragmas);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
        return _db = db;
    }

    private async Task DropContextAsync()
    {
        // Forgotten before it is returned: a pooled context disposed twice would return whoever leased it next.
        if (_db is not { } db) return;
        _db = null;
        try
        {
            // The connection goes back to the pool, where a reader would otherwise inherit the writer's large page cache.
            if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync(ReaderPragmas);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            _logger.LogDebug(e, "Could not reset the writer's connection before returning it");
        }
        await db.DisposeAsync();
    }

    private async Task<Dictionary<Pending, SamplesWritten>> SaveAsync(List<Pending> batch)
    {
        try
        {
            return await SaveOnceAsync(await ContextAsync(), batch);
        }
        catch
        {
            await DropContextAsync();
            throw;
        }
    }

    private async Task<Dictionary<Pending, SamplesWritten>> SaveOnceAsync(AppDbContext db, List<Pending> batch)
    {
        using var _ = CallerContext.AsSystem();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = _time.GetUtcNow().UtcDateTime;
        var items = batch.SelectMany(p => p.Items).ToList();

        var ids = items.Select(i => i.Id).Distinct().ToList();
        var stored = new Dictionary<Guid, (Guid PersonId, Guid RoundId, Guid TubeId, bool Live)>();
        foreach (var chunk in ids.Chunk(1000))
            foreach (var row in await db.Samples.IgnoreQueryFilters().AsNoTracking().Where(s => EF.Parameter(chunk).Contains(s.Id))
                .Select(s => new { s.Id, s.PersonId, s.RoundId, s.TubeId, Live = s.RemovedAt == null }).ToListAsync())
                stored[row.Id] = (row.PersonId, row.RoundId, row.TubeId, row.Live);

        var tubeIds = items.Select(i => i.TubeId).Concat(stored.Values.Select(s => s.TubeId)).Distinct().ToList();
        var tubes = (await db.Tubes.IgnoreQueryFilters().AsNoTracking().Where(t => EF.Parameter(tubeIds).Contains(t.Id)).ToListAsync())
            .ToDictionary(t => t.Id, t => new TubeNow(t));

        // Who already has a sample that counts in these rounds, to warn "already sampled".
        var roundIds = items.Select(i => i.RoundId).Distinct().ToList();
        var personIds = items.Select(i => i.PersonId).Distinct().ToList();
        // Counted, not listed: the count comes from IX_Samples_Live alone, where listing the samples' ids read each one's row.
        var live = new Dictionary<(Guid Round, Guid Person), int>();
        foreach (var chunk in personIds.Chunk(1000))
            foreach (var row in await db.Samples.IgnoreQueryFilters().AsNoTracking()
                .Where(s => EF.Parameter(roundIds).Contains(s.RoundId) && EF.Parameter(chunk).Contains(s.PersonId) && s.RemovedAt == null)
                .GroupBy(s => new { s.RoundId, s.PersonId }).Select(g => new { g.Key.RoundId, g.Key.PersonId, Count = g.Count() }).ToListAsync())
                live[(row.RoundId, row.PersonId)] = row.Count;

        var results = new Dictionary<Pending, SamplesWritten>();
        var fresh = new List<Sample>();
        foreach (var pending in batch)
        {
            var adding = new Dictionary<Guid, int>();
            var seen = new HashSet<Guid>();
            var refused = new List<(int, TubeRefusal, int)>();
            for (var i = 0; i < pending.Items.Count; i++)
            {
                var sample = pending.Items[i];
                if (stored.ContainsKey(sample.Id) || !seen.Add(sample.Id)) continue;
                var tube = tubes[sample.TubeId];
                var taken = adding.GetValueOrDefault(tube.Tube.Id);
                if (tube.State != TubeState.Open && taken == 0) refused.Add((i, TubeRefusal.Closed, tube.Tube.Capacity));
                else if (tube.Count + taken + 1 > tube.Tube.Capacity) refused.Add((i, TubeRefusal.Full, tube.Tube.Capacity));
                else adding[tube.Tube.Id] = taken + 1;
            }
            if (refused.Count > 0)
            {
                results[pending] = new SamplesWritten(null, refused);
                continue;
            }
            var already = new bool[pending.Items.Count];
            var duplicate = new bool[pending.Items.Count];
            for (var i = 0; i < pending.Items.Count; i++)
            {
                var sample = pending.Items[i];
                if (stored.TryGetValue(sample.Id, out var old))
                {
                    // Already sampled: a live sample other than this one.
                    duplicate[i] = true;
                    already[i] = live.GetValueOrDefault((old.RoundId, old.PersonId)) - (old.Live ? 1 : 0) > 0;
                    continue;
                }
                var others = live.GetValueOrDefault((sample.RoundId, sample.PersonId));
                already[i] = others > 0;
                live[(sample.RoundId, sample.PersonId)] = others + 1;
                sample.ReceivedAt = now;
                fresh.Add(sample);
                stored[sample.Id] = (sample.PersonId, sample.RoundId, sample.TubeId, true);
                var tube = tubes[sample.TubeId];
                tube.Count++;
                tube.Added++;
                if (tube.Count == tube.Tube.Capacity) tube.State = TubeState.Sealed;
            }
            // Answered with the tube as this request leaves it.
            results[pending] = new SamplesWritten(pending.Items.Select((sample, i) =>
            {
                var (person, round, tubeId, _) = stored[sample.Id];
                var tube = tubes[tubeId];
                return new SampleWritten(sample.Id, duplicate[i], person, round, tube.Tube.Barcode, tube.Count, tube.Tube.Capacity, tube.State != TubeState.Open, already[i]);
            }).ToList(), []);
        }

        // One UPDATE per distinct count rather than per tube: a device's batch mostly fills its tubes by the same number.
        foreach (var group in tubes.Values.Where(t => t.Added > 0).GroupBy(t => t.Added))
            if (!await Tubes.PutInAsync(db, group.Select(t => t.Tube.Id).ToList(), group.Key, now, CancellationToken.None)) throw new TubeChangedException();
        // Plain INSERTs, not the change tracker: most of a batch's time went there. Samples are not in the entity log (the rows say who sampled).
        await RowInsert.WriteAsync(db, fresh, CancellationToken.None);
        await transaction.CommitAsync();
        return results;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        await DropContextAsync();
    }
}
