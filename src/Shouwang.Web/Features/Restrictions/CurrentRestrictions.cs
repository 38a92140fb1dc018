using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.RiskAreas;
using Shouwang.Web.Features.StatusColours;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Restrictions;

public sealed record RestrictionSearch(RestrictionState? State, int? Page, int? PageSize);

/// <summary>
/// What restricts a person today, their history, and the queue for approvers. Checkpoints and the status colour ask
/// <see cref="StatusAsync"/>; nothing else decides whether a restriction is in force.
/// </summary>
public sealed class CurrentRestrictions(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<RestrictionsResource> l,
    IStatusColourSource colours)
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
        // The colour is the configured source's (our own, or a province's health code); passage is ours: a denial by hand, a
        // quarantine stage in force, or a risk area nobody may leave.
        var colour = (await colours.ColoursAsync([personId], cancellationToken)).GetValueOrDefault(personId) ?? StatusColourResult.Green;
        var quarantined = await db.ControlMeasures.AnyAsync(m => m.PersonId == personId && m.State == MeasureState.Active && m.StartDay <= today
            && m.EndDay >= today && (m.Kind == MeasureKind.CentralisedQuarantine || m.Kind == MeasureKind.HomeQuarantine), cancellationToken);
        var area = await RiskAreaCover.ForPersonAsync(db, personId, cancellationToken);
        var denied = Restriction.DeniesPassage(active, today) || quarantined || area?.DeniesExit == true;
        return new PersonStatus(personId, colour.Colour, denied,
            active.OrderByDescending(r => r.RequestedAt).Select(r => RestrictionItem.From(r, name, today)).ToList(), colour.Reasons);
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
