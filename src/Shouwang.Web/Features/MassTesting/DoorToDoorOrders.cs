using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.FollowUps;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

/// <param name="Opened">Orders opened by this call.</param>
/// <param name="AlreadyOpen">People who already had this round's door-to-door order (whatever its state now): none opened again.</param>
public sealed record DoorToDoorResult(int Opened, int AlreadyOpen);

/// <summary>
/// Door-to-door sampling for a round (issue #6 part 4): one order per required, not yet sampled person in the caller's scope who is
/// bedridden or of limited mobility, or under home quarantine today, given to their grid and due when the round ends. The order's
/// number is derived from (round, person), so the unique index on numbers keeps it to one per person and round with no new column.
/// </summary>
public sealed class DoorToDoorOrders(IDbContextFactory<AppDbContext> dbFactory, Coverage coverage, LocalClock clock, IStringLocalizer<DoorToDoorResource> l)
{
    public async Task<Outcome<DoorToDoorResult>> HandleAsync(Guid roundId, CancellationToken ct = default)
    {
        // Same lock as the follow-ups' sampling orders: both are read-then-insert over door-to-door orders.
        await SamplingOrders.OneAtATime.WaitAsync(ct);
        try
        {
            return await OpenAsync(roundId, ct);
        }
        finally
        {
            SamplingOrders.OneAtATime.Release();
        }
    }

    private async Task<Outcome<DoorToDoorResult>> OpenAsync(Guid roundId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.TestingRounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null) return new Outcome<DoorToDoorResult>.NotFound(l["Error.RoundNotFound"]);
        if (round.State == RoundState.Closed) return new Outcome<DoorToDoorResult>.Conflict(l["Error.RoundClosed"]);
        var candidates = await coverage.MissingQuery(db, round, null, null, twoRounds: false)
            .Where(r => r.HomeQuarantine || (r.Person.Tags & Coverage.DoorToDoorTags) != 0)
            .Select(r => new { r.Person.Id, r.Person.Name, r.Person.CommunityCode, r.Person.GridId, r.Address, r.HomeQuarantine })
            .ToListAsync(ct);
        // CreatedAt never changes, so neither does the number when the round is edited.
        var day = DateOnly.FromDateTime(clock.ToLocal(round.CreatedAt));
        var numbered = candidates.Select(c => (c, Number: WorkOrderNumbers.Derived(day, round.Id, c.Id))).ToList();
        var numbers = numbered.Select(n => n.Number).ToList();
        var existing = (await db.WorkOrders.IgnoreQueryFilters().Where(w => numbers.Contains(w.Number)).Select(w => w.Number).ToListAsync(ct)).ToHashSet();
        var orders = numbered.Where(n => !existing.Contains(n.Number)).Select(n => new DoorToDoorOrder(n.Number,
                l[n.c.HomeQuarantine ? "Order.TitleQuarantine" : "Order.Title", n.c.Name, round.Name].Value, n.c.Id, n.c.Address, n.c.CommunityCode,
                n.c.GridId, round.EndsAt))
            .ToList();
        var opened = await SamplingOrders.OpenAsync(dbFactory, orders, db.Caller, db.Caller.Name, clock.UtcNow, ct);
        return new DoorToDoorResult(opened, existing.Count);
    }
}
