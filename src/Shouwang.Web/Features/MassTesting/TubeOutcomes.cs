using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Cases;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Restrictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

public sealed class MassTestingOptions
{
    public const string Section = "Shouwang:MassTesting";

    /// <summary>Hours from a positive pool's result to the deadline of its members' single-tube retests.</summary>
    public int RetestDueHours { get; set; } = 6;
}

/// <summary>A tube whose result has just been stored (in the caller's open transaction).</summary>
public sealed record ResultedTube(Guid Id, string Barcode, Guid RoundId, long CommunityCode, int Capacity, TubeResult Result, DateTime At);

public sealed class TubeOutcomeCounts
{
    public int PoolsPositive { get; set; }
    public int SingleTubesPositive { get; set; }
    public int TubesInvalid { get; set; }
    public int RetestsOpened { get; set; }
    public int CasesOpened { get; set; }
    public int RetestsResolved { get; set; }
    public int RestrictionsLifted { get; set; }
}

/// <summary>
/// What a tube's result does to its members, in the transaction that stored the result: a positive pool puts each member
/// under a verified stay-home restriction with a single-tube retest order for their grid; a positive single tube opens a
/// case; an invalid tube takes its samples out of coverage and schedules a re-sample; a single-tube (or re-sampled) result
/// closes the retests waiting for it. Idempotent per tube and member (the retest's unique index backs it).
/// </summary>
public sealed class TubeOutcomes(LocalClock clock, IOptions<MassTestingOptions> options, IStringLocalizer<LabResultsResource> l)
{
    private const int Chunk = 1_000;

    public async Task<TubeOutcomeCounts> ApplyAsync(AppDbContext db, IReadOnlyList<ResultedTube> tubes, CancellationToken ct)
    {
        var counts = new TubeOutcomeCounts();
        var now = clock.UtcNow;
        var today = clock.Today();
        var caller = db.Caller;
        // The platform acting for an importer still names them; a timer or command has no account.
        var actor = caller.AccountId is null ? l["Actor.System"].Value : caller.Name;
        var due = TimeSpan.FromHours(Math.Max(1, options.Value.RetestDueHours));
        // Resolve first: a retest still waiting is closed by the new single-tube result before new ones are opened.
        await ResolveAsync(db, tubes, counts, now, actor, ct);

        var effect = tubes.Where(t => t.Result is TubeResult.Positive or TubeResult.Invalid).ToList();
        if (effect.Count == 0) return counts;
        var ids = effect.Select(t => t.Id).ToList();
        var members = new List<Sample>();
        var retested = new HashSet<(Guid, Guid)>();
        var cased = new HashSet<(Guid, Guid)>();
        var alerted = new HashSet<Guid>();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            members.AddRange(await db.Samples.Where(s => chunk.Contains(s.TubeId) && s.RemovedAt == null).ToListAsync(ct));
            retested.UnionWith((await db.Retests.Where(r => chunk.Contains(r.TubeId)).Select(r => new { r.TubeId, r.PersonId }).ToListAsync(ct))
                .Select(r => (r.TubeId, r.PersonId)));
            cased.UnionWith((await db.Cases.Where(c => c.TubeId != null && chunk.Contains(c.TubeId.Value)).Select(c => new { c.TubeId, c.PersonId }).ToListAsync(ct))
                .Select(c => (c.TubeId!.Value, c.PersonId)));
            alerted.UnionWith(await db.Alerts.Where(a => a.SubjectId != null && chunk.Contains(a.SubjectId.Value) && a.Kind == AlertKind.PositivePool)
                .Select(a => a.SubjectId!.Value).ToListAsync(ct));
        }
        var personIds = members.Select(m => m.PersonId).Distinct().ToList();
        var names = new Dictionary<Guid, string>();
        foreach (var chunk in personIds.Chunk(Chunk))
        {
            foreach (var p in await db.Persons.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(ct))
                names[p.Id] = p.Name;
        }
        var byTube = members.ToLookup(m => m.TubeId);
        var added = new NewRows();

        foreach (var tube in effect)
        {
            var samples = byTube[tube.Id].DistinctBy(s => s.PersonId).ToList();
            if (tube.Result == TubeResult.Positive && tube.Capacity > 1)
            {
                counts.PoolsPositive++;
                var verified = await RestrictionBases.VerifiesForAsync(db, RestrictionBasis.PositiveTube, tube.Barcode, [.. samples.Select(s => s.PersonId)], ct);
                foreach (var s in samples.Where(s => retested.Add((tube.Id, s.PersonId))))
                {
                    OpenPoolRetest(db, added, tube, s, names.GetValueOrDefault(s.PersonId, ""), verified.Contains(s.PersonId), tube.At + due, now, today, actor);
                    counts.RetestsOpened++;
                }
                if (alerted.Add(tube.Id))
                {
                    added.Alerts.Add(new Alert
                    {
                        Kind = AlertKind.PositivePool, CommunityCode = tube.CommunityCode, SubjectId = tube.Id, CreatedAt = now,
                        Title = Truncate(l["Alert.PositivePool", tube.Barcode, samples.Count].Value, 200),
                    });
                }
            }
            else if (tube.Result == TubeResult.Positive)
            {
                counts.SingleTubesPositive++;
                foreach (var s in samples.Where(s => cased.Add((tube.Id, s.PersonId))))
                {
                    var found = new Case
                    {
                        Number = WorkOrderNumbers.New("BL", today), PersonId = s.PersonId, CommunityCode = s.CommunityCode, GridId = s.GridId,
                        HouseholdId = s.HouseholdId, Source = CaseSource.PositiveSingleTube, RoundId = tube.RoundId, TubeId = tube.Id,
                        FoundAt = tube.At, CreatedAt = now,
                    };
                    db.Cases.Add(found);
                    db.Alerts.Add(new Alert
                    {
                        Kind = AlertKind.PositiveCase, CommunityCode = s.CommunityCode, GridId = s.GridId, PersonId = s.PersonId, SubjectId = found.Id,
                        CreatedAt = now, Title = Truncate(l["Alert.PositiveCase", names.GetValueOrDefault(s.PersonId, ""), found.Number, tube.Barcode].Value, 200),
                    });
                    counts.CasesOpened++;
                }
            }
            else
            {
                counts.TubesInvalid++;
                // The samples stop counting, so coverage lists the members as missing again and the grid worker's missing
                // list is what sends them back to a site (no extra order: it would duplicate that list).
                foreach (var s in byTube[tube.Id])
                {
                    s.RemovedAt = now;
                    s.Removal = SampleRemoval.InvalidTube;
                    s.RemovedBy = caller.AccountId;
                    s.RemovedByName = actor;
                }
                foreach (var s in samples.Where(s => retested.Add((tube.Id, s.PersonId))))
                {
                    added.Retests.Add(new Retest
                    {
                        Kind = RetestKind.InvalidTube, RoundId = tube.RoundId, TubeId = tube.Id, PersonId = s.PersonId, CommunityCode = s.CommunityCode,
                        GridId = s.GridId, HouseholdId = s.HouseholdId, State = RetestState.Awaiting, DueAt = tube.At + due, CreatedAt = now,
                    });
                    counts.RetestsOpened++;
                }
            }
        }
        // Parents first (a retest points at its restriction and order). Thousands of rows for a big file: plain INSERTs,
        // as the change tracker costs several times what the database does (1 s of a 100,000-row import).
        await RowInsert.WriteAsync(db, added.Restrictions, ct);
        await RowInsert.WriteAsync(db, added.Orders, ct);
        await RowInsert.WriteAsync(db, added.Events, ct);
        await RowInsert.WriteAsync(db, added.Retests, ct);
        await RowInsert.WriteAsync(db, added.Alerts, ct);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        return counts;
    }

    /// <summary>The rows a file's pools and invalid tubes open, written by <see cref="RowInsert"/> rather than tracked.</summary>
    private sealed class NewRows
    {
        public List<Restriction> Restrictions { get; } = [];
        public List<WorkOrder> Orders { get; } = [];
        public List<WorkOrderEvent> Events { get; } = [];
        public List<Retest> Retests { get; } = [];
        public List<Alert> Alerts { get; } = [];
    }

    private void OpenPoolRetest(AppDbContext db, NewRows added, ResultedTube tube, Sample s, string name, bool verified, DateTime dueAt, DateTime now, DateOnly today, string actor)
    {
        var caller = db.Caller;
        var restriction = new Restriction
        {
            PersonId = s.PersonId, CommunityCode = s.CommunityCode, GridId = s.GridId, Kind = RestrictionKind.CheckpointDenial,
            Reason = l["Restriction.Reason", tube.Barcode].Value, Basis = RestrictionBasis.PositiveTube, BasisReference = tube.Barcode,
            State = Restriction.InitialState(RestrictionBasis.PositiveTube, verified), RequestedBy = caller.AccountId, RequestedByName = actor, RequestedAt = now,
        };
        var order = new WorkOrder
        {
            Number = WorkOrderNumbers.New(today), Source = WorkOrderSource.SingleTubeRetest, Title = Truncate(l["Order.Title", name, tube.Barcode].Value, 100),
            Description = l["Order.Description", tube.Barcode, clock.ToLocal(dueAt).ToString("yyyy-MM-dd HH:mm")].Value,
            SubjectKind = WorkOrderSubject.Person, PersonId = s.PersonId, HouseholdId = s.HouseholdId, CommunityCode = s.CommunityCode, GridId = s.GridId,
            AssigneeGridId = s.GridId, DueAt = dueAt, Status = s.GridId is null ? WorkOrderStatus.Pending : WorkOrderStatus.Assigned,
            CreatedBy = caller.AccountId, CreatedAt = now, UpdatedAt = now,
        };
        added.Restrictions.Add(restriction);
        added.Orders.Add(order);
        added.Events.Add(new WorkOrderEvent { WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Created, AccountId = caller.AccountId, Actor = actor });
        if (s.GridId is not null)
            added.Events.Add(new WorkOrderEvent { WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Assigned, AccountId = caller.AccountId, Actor = actor });
        added.Retests.Add(new Retest
        {
            Kind = RetestKind.PositivePool, RoundId = tube.RoundId, TubeId = tube.Id, PersonId = s.PersonId, CommunityCode = s.CommunityCode, GridId = s.GridId,
            HouseholdId = s.HouseholdId, State = RetestState.Awaiting, RestrictionId = restriction.Id, WorkOrderId = order.Id, DueAt = dueAt, CreatedAt = now,
        });
    }

    /// <summary>
    /// Retests waiting in these tubes' rounds whose person is in one of the tubes: a positive pool's retest is closed by a
    /// single tube only; an invalid tube's by any valid result. A negative retest lifts its stay-home restriction; the order
    /// stays with the grid worker (they finish it, and the lift is noted on it), so the order's own history stays true.
    /// </summary>
    private async Task ResolveAsync(AppDbContext db, IReadOnlyList<ResultedTube> tubes, TubeOutcomeCounts counts, DateTime now, string actor, CancellationToken ct)
    {
        var valid = tubes.Where(t => t.Result is TubeResult.Negative or TubeResult.Positive).ToDictionary(t => t.Id);
        if (valid.Count == 0) return;
        var rounds = valid.Values.Select(t => t.RoundId).Distinct().ToList();
        // Without a single tube among the results only invalid tubes' retests can close (a pool does not decide a pool).
        var singles = valid.Values.Any(t => t.Capacity == 1);
        var waiting = await db.Retests.Where(r => r.State == RetestState.Awaiting && rounds.Contains(r.RoundId) && (singles || r.Kind == RetestKind.InvalidTube))
            .ToListAsync(ct);
        if (waiting.Count == 0) return;
        var samples = new List<(Guid PersonId, Guid TubeId)>();
        foreach (var chunk in waiting.Select(r => r.PersonId).Distinct().Chunk(Chunk))
        {
            // By person only (their index): a round filter here lets SQLite walk the whole round's samples instead.
            samples.AddRange((await db.Samples.AsNoTracking().Where(s => chunk.Contains(s.PersonId) && s.RemovedAt == null)
                .Select(s => new { s.PersonId, s.TubeId }).ToListAsync(ct)).Where(s => valid.ContainsKey(s.TubeId)).Select(s => (s.PersonId, s.TubeId)));
        }
        var tubesOf = samples.ToLookup(s => s.PersonId, s => valid[s.TubeId]);
        foreach (var retest in waiting)
        {
            var tube = tubesOf[retest.PersonId].Where(t => t.Id != retest.TubeId && (retest.Kind == RetestKind.InvalidTube || t.Capacity == 1))
                .OrderByDescending(t => t.Result).FirstOrDefault();
            if (tube is null) continue;
            retest.State = tube.Result == TubeResult.Positive ? RetestState.Positive : RetestState.Negative;
            retest.ResolvedByTubeId = tube.Id;
            retest.ResolvedAt = now;
            counts.RetestsResolved++;
            if (retest.State != RetestState.Negative) continue;
            if (retest.RestrictionId is { } restrictionId
                && await db.Restrictions.FirstOrDefaultAsync(r => r.Id == restrictionId, ct) is { State: RestrictionState.Active } restriction)
            {
                restriction.Lift(db.Caller.AccountId, actor, now, l["Restriction.Lifted", tube.Barcode].Value);
                counts.RestrictionsLifted++;
            }
            if (retest.WorkOrderId is { } orderId)
            {
                db.WorkOrderEvents.Add(new WorkOrderEvent
                {
                    WorkOrderId = orderId, At = now, Kind = WorkOrderEventKind.Commented, AccountId = db.Caller.AccountId, Actor = actor,
                    Text = l["Order.RetestNegative", tube.Barcode].Value,
                });
            }
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
