using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Restrictions;

public sealed record RestrictionSearch(RestrictionState? State, int? Page, int? PageSize);

/// <summary>
/// What restricts a person today, their history, and the queue for approvers. Checkpoints and the status colour ask
/// <see cref="StatusAsync"/>; nothing else decides whether a restriction is in force.
/// </summary>
public sealed class CurrentRestrictions(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<RestrictionsResource> l)
{
    public async Task<Outcome<PersonStatus>> StatusAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Persons.Where(p => p.Id == personId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null) return new Outcome<PersonStatus>.NotFound(l["Error.PersonNotFound"]);
        var today = clock.Today();
        var active = await db.Restrictions.AsNoTracking()
            .Where(r => r.PersonId == personId && r.State == RestrictionState.Active && (r.Until == null || r.Until >= today))
            .ToListAsync(cancellationToken);
        return new PersonStatus(personId, Restriction.ColourInForce(active, today), Restriction.DeniesPassage(active, today),
            active.OrderByDescending(r => r.RequestedAt).Select(r => RestrictionItem.From(r, name, today)).ToList());
    }

    public async Task<Outcome<IReadOnlyList<RestrictionItem>>> HistoryAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Persons.Where(p => p.Id == personId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null) return new Outcome<IReadOnlyList<RestrictionItem>>.NotFound(l["Error.PersonNotFound"]);
        var today = clock.Today();
        var rows = await db.Restrictions.AsNoTracking().Where(r => r.PersonId == personId).ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.RequestedAt).Select(r => RestrictionItem.From(r, name, today)).ToList();
    }

    public async Task<Paged<RestrictionItem>> SearchAsync(RestrictionSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = from r in db.Restrictions.AsNoTracking()
                    join p in db.Persons on r.PersonId equals p.Id
                    select new { r, p.Name };
        if (search.State is { } state) query = query.Where(x => x.r.State == state);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(x => x.r.RequestedAt).ThenBy(x => x.r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var today = clock.Today();
        return new Paged<RestrictionItem>(rows.Select(x => RestrictionItem.From(x.r, x.Name, today)).ToList(), total, page, pageSize);
    }
}
