using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Measures;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.FollowUps;

public sealed record SamplingOrdersResult(DateOnly Day, int Due, int Opened);

/// <summary>A door-to-door sampling order to open for a person, given to their grid.</summary>
public sealed record DoorToDoorOrder(string Number, string Title, Guid PersonId, string? Place, long CommunityCode, Guid? GridId, DateTime DueAt);

/// <summary>
/// Test days of people served at home: one door-to-door sampling order per person and test day, given to their grid and due
/// at 18:00 that day. Idempotent: a person who already has a sampling order due that day gets no second one.
/// Works in the caller's scope (the platform's when the day timer runs it).
/// </summary>
public sealed class SamplingOrders(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<FollowUpsResource> l)
{
    private const int Batch = 1_000;

    /// <summary>
    /// "Once per person per day" is a read-then-insert, so the 00:05 timer and a dispatcher's click must not run it at the same
    /// time. This serialises them within a process; several processes over one database would need a unique index (not yet).
    /// </summary>
    internal static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async Task<Outcome<SamplingOrdersResult>> HandleAsync(DateOnly? day, CancellationToken cancellationToken = default)
    {
        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await OpenAsync(day, cancellationToken);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private async Task<Outcome<SamplingOrdersResult>> OpenAsync(DateOnly? day, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var testDay = day ?? today;
        if (testDay < today || testDay > today.AddDays(1))
        {
            var errors = new FieldErrors();
            errors.Add("Day", l["Error.SamplingDay"]);
            return errors.ToOutcome<SamplingOrdersResult>();
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!db.Caller.Can(Permission.DispatchWorkOrders)) return new Outcome<SamplingOrdersResult>.Forbidden(l["Error.CannotDispatch"]);
        var candidates = await (from m in FollowUpSlots.InForce(db, testDay)
                                where m.Place == MeasurePlace.Home && m.TestDays != ""
                                join p in db.Persons on m.PersonId equals p.Id
                                select new { m.PersonId, m.CommunityCode, m.GridId, m.TestDays, m.StageFirstDay, m.Days, m.PlaceName, p.Name })
            .ToListAsync(cancellationToken);
        var due = candidates.Where(c => FollowUpSlots.IsTestDay(c.TestDays, c.StageFirstDay, testDay))
            .DistinctBy(c => c.PersonId).ToList();
        if (due.Count == 0) return new SamplingOrdersResult(testDay, 0, 0);

        var from = clock.StartOfDayUtc(testDay);
        var to = clock.StartOfDayUtc(testDay.AddDays(1));
        var existing = (await db.WorkOrders.IgnoreQueryFilters()
            .Where(w => w.Source == WorkOrderSource.DoorToDoorSampling && w.DueAt >= from && w.DueAt < to && w.PersonId != null)
            .Select(w => w.PersonId!.Value).ToListAsync(cancellationToken)).ToHashSet();
        var caller = db.Caller;
        var dueAt = from.AddHours(18);
        var orders = due.Where(c => !existing.Contains(c.PersonId)).Select(c => new DoorToDoorOrder(WorkOrderNumbers.New(today),
            l["Sampling.Title", c.Name, testDay.DayNumber - c.StageFirstDay.DayNumber + 1, c.Days].Value, c.PersonId, c.PlaceName, c.CommunityCode,
            c.GridId, dueAt)).ToList();
        var opened = await OpenAsync(dbFactory, orders, caller, caller.IsSystem ? l["Actor.System"] : caller.Name, clock.UtcNow, cancellationToken);
        return new SamplingOrdersResult(testDay, due.Count, opened);
    }

    /// <summary>Writes the orders (assigned to the grid, or pending without one) with their Created event, 1,000 to a transaction.</summary>
    internal static async Task<int> OpenAsync(IDbContextFactory<AppDbContext> dbFactory, IReadOnlyCollection<DoorToDoorOrder> orders, Caller caller,
        string actor, DateTime now, CancellationToken cancellationToken)
    {
        foreach (var chunk in orders.Chunk(Batch))
        {
            await using var batch = await dbFactory.CreateDbContextAsync(cancellationToken);
            foreach (var c in chunk)
            {
                var order = new WorkOrder
                {
                    Number = c.Number, Source = WorkOrderSource.DoorToDoorSampling, Title = c.Title,
                    SubjectKind = WorkOrderSubject.Person, PersonId = c.PersonId, Place = c.Place, CommunityCode = c.CommunityCode,
                    GridId = c.GridId, AssigneeGridId = c.GridId, DueAt = c.DueAt,
                    Status = c.GridId is null ? WorkOrderStatus.Pending : WorkOrderStatus.Assigned,
                    CreatedBy = caller.AccountId, CreatedAt = now, UpdatedAt = now,
                };
                batch.WorkOrders.Add(order);
                batch.WorkOrderEvents.Add(new WorkOrderEvent { WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Created, AccountId = caller.AccountId, Actor = actor });
            }
            await batch.SaveChangesAsync(cancellationToken);
        }
        return orders.Count;
    }
}
