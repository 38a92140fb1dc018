using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.PassCards;

public sealed record PassCardTripSearch(string? CommunityCode = null, bool? Open = null, int? Page = 1, int? PageSize = 50);

public sealed record PassCardTripItem(
    Guid Id, Guid HouseholdId, string? Address, string? NameMasked, DateTime ExitAt, DateTime DueBackAt, DateTime? ReturnAt, bool Overdue,
    Guid? CheckpointId, string? CheckpointName);

public sealed record OverdueTrip(
    Guid TripId, Guid HouseholdId, string CommunityCode, Guid? GridId, string? Address, string? NameMasked, string? PhoneMasked,
    DateTime ExitAt, DateTime DueBackAt, double HoursOverdue, Guid? CheckpointId, string? CheckpointName);

public sealed record PassCardSummary(int Cards, int TripsToday, int OpenTrips, int Overdue);

/// <summary>Trips out on a pass card, and the households whose member is out past the time they were due back.</summary>
public sealed class PassCardTrips(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock)
{
    private sealed class Row
    {
        public required Guid Id { get; init; }
        public required Guid HouseholdId { get; init; }
        public required long CommunityCode { get; init; }
        public Guid? GridId { get; init; }
        public Guid? PersonId { get; init; }
        public DateTime ExitAt { get; init; }
        public DateTime DueBackAt { get; init; }
        public DateTime? ReturnAt { get; init; }
        public string? Address { get; init; }
        public Guid? HeadPersonId { get; init; }
        public Guid? CheckpointId { get; init; }
        public string? CheckpointName { get; init; }
    }

    public async Task<Paged<PassCardTripItem>> SearchAsync(PassCardTripSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Narrow(db, search.CommunityCode);
        var trips = db.PassCardTrips.AsNoTracking();
        if (search.Open == true) trips = trips.Where(t => t.ReturnAt == null);
        else if (search.Open == false) trips = trips.Where(t => t.ReturnAt != null);
        var total = await trips.CountAsync(cancellationToken);
        var rows = await WithDetails(db, trips.OrderByDescending(t => t.ExitAt).ThenByDescending(t => t.Id).Skip((page - 1) * pageSize).Take(pageSize))
            .ToListAsync(cancellationToken);
        var people = await PeopleAsync(db, rows, cancellationToken);
        var now = clock.UtcNow;
        var items = rows.Select(r => new PassCardTripItem(r.Id, r.HouseholdId, r.Address, people.GetValueOrDefault(r.PersonId ?? r.HeadPersonId ?? Guid.Empty).Name,
            r.ExitAt, r.DueBackAt, r.ReturnAt, r.ReturnAt == null && r.DueBackAt < now, r.CheckpointId, r.CheckpointName)).ToList();
        return new Paged<PassCardTripItem>(items, total, page, pageSize);
    }

    /// <summary>Out and not back, past the time they were due: the list the community calls round.</summary>
    public async Task<IReadOnlyList<OverdueTrip>> OverdueAsync(string? communityCode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Narrow(db, communityCode);
        return await OverdueAsync(db, cancellationToken);
    }

    internal async Task<IReadOnlyList<OverdueTrip>> OverdueAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var rows = await WithDetails(db, db.PassCardTrips.AsNoTracking().Where(t => t.ReturnAt == null && t.DueBackAt < now).OrderBy(t => t.DueBackAt))
            .ToListAsync(cancellationToken);
        var people = await PeopleAsync(db, rows, cancellationToken);
        return rows.Select(r =>
        {
            var person = people.GetValueOrDefault(r.PersonId ?? r.HeadPersonId ?? Guid.Empty);
            return new OverdueTrip(r.Id, r.HouseholdId, r.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture), r.GridId, r.Address,
                person.Name, person.Phone, r.ExitAt, r.DueBackAt, Math.Round((now - r.DueBackAt).TotalHours, 1), r.CheckpointId, r.CheckpointName);
        }).ToList();
    }

    public async Task<PassCardSummary> SummaryAsync(string? communityCode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Narrow(db, communityCode);
        var now = clock.UtcNow;
        var startOfToday = clock.StartOfDayUtc(clock.Today());
        return new PassCardSummary(
            await db.PassCards.CountAsync(c => c.RevokedAt == null, cancellationToken),
            await db.PassCardTrips.CountAsync(t => t.ExitAt >= startOfToday, cancellationToken),
            await db.PassCardTrips.CountAsync(t => t.ReturnAt == null, cancellationToken),
            await db.PassCardTrips.CountAsync(t => t.ReturnAt == null && t.DueBackAt < now, cancellationToken));
    }

    private static void Narrow(AppDbContext db, string? communityCode)
    {
        if (string.IsNullOrWhiteSpace(communityCode)) return;
        // An unreadable code narrows to nothing rather than to everything.
        db.NarrowTo(JurisdictionCode.TryParse(communityCode, out var node) ? node.Value : JurisdictionCode.Parse("99"));
    }

    private static IQueryable<Row> WithDetails(AppDbContext db, IQueryable<Domain.PassCards.PassCardTrip> trips) =>
        from t in trips
        join h in db.Households on t.HouseholdId equals h.Id into hs
        from h in hs.DefaultIfEmpty()
        join p in db.Passages on t.ExitPassageId equals p.Id into ps
        from p in ps.DefaultIfEmpty()
        join c in db.Checkpoints on p.CheckpointId equals c.Id into cs
        from c in cs.DefaultIfEmpty()
        select new Row
        {
            Id = t.Id, HouseholdId = t.HouseholdId, CommunityCode = t.CommunityCode, GridId = t.GridId, PersonId = t.PersonId, ExitAt = t.ExitAt,
            DueBackAt = t.DueBackAt, ReturnAt = t.ReturnAt, Address = h == null ? null : h.Address, HeadPersonId = h == null ? null : h.HeadPersonId,
            CheckpointId = p == null ? null : p.CheckpointId, CheckpointName = c == null ? null : c.Name,
        };

    private static async Task<Dictionary<Guid, (string? Name, string? Phone)>> PeopleAsync(AppDbContext db, IReadOnlyList<Row> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.PersonId ?? r.HeadPersonId).Where(id => id != null).Select(id => id!.Value).Distinct().ToList();
        var people = new Dictionary<Guid, (string? Name, string? Phone)>();
        foreach (var chunk in ids.Chunk(1000))
            foreach (var p in await db.Persons.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => new { p.Id, p.Name, p.Phone }).ToListAsync(cancellationToken))
                people[p.Id] = (PersonName.Mask(p.Name), p.Phone is null ? null : PhoneNumber.Mask(p.Phone));
        return people;
    }
}
