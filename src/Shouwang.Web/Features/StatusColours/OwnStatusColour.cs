using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.RiskAreas;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.StatusColours;

/// <summary>
/// The platform's own colour: the most severe of (a) a colour set by hand (人工赋码) in force, (b) a measure stage in force
/// today (quarantine or a case → red, health monitoring or tests only → yellow), and (c) the risk area the person lives in
/// (high → red, medium → yellow). Reads in the caller's scope: people outside it are left out of the answer.
/// </summary>
public sealed class OwnStatusColour(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<PoliciesResource> labels,
    IStringLocalizer<FollowUpsResource> l) : IStatusColourSource
{
    public async Task<IReadOnlyDictionary<Guid, StatusColourResult>> ColoursAsync(IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken = default)
    {
        var today = clock.Today();
        var ids = personIds.Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = await db.Persons.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken);
        if (known.Count == 0) return new Dictionary<Guid, StatusColourResult>();

        var manual = await db.Restrictions.AsNoTracking()
            .Where(r => known.Contains(r.PersonId) && r.Kind == RestrictionKind.StatusColour && r.State == RestrictionState.Active
                && (r.Until == null || r.Until >= today) && r.Colour != null)
            .ToListAsync(cancellationToken);
        var measures = await db.ControlMeasures.AsNoTracking()
            .Where(m => known.Contains(m.PersonId) && m.State == MeasureState.Active && m.StartDay <= today && m.EndDay >= today)
            .ToListAsync(cancellationToken);
        var covers = await RiskAreaCover.ForPersonsAsync(db, known, cancellationToken);
        return known.ToDictionary(id => id, id => Combine(manual.Where(r => r.PersonId == id), measures.Where(m => m.PersonId == id),
            covers.GetValueOrDefault(id), today));
    }

    /// <summary>
    /// The colour from what is already loaded: the person's active manual colours, measure stages in force today and the area
    /// they live in. Checkpoints load these anyway and call this instead of <see cref="ColoursAsync"/>, so a scan reads them once.
    /// </summary>
    public StatusColourResult Combine(IEnumerable<Restriction> manual, IEnumerable<ControlMeasure> measuresInForce, AreaCover? cover, DateOnly today)
    {
        var found = new List<(StatusColour Colour, string Reason)>();
        foreach (var r in manual.Where(r => r.Kind == RestrictionKind.StatusColour && r.Colour != null && r.IsInForce(today)))
            found.Add((r.Colour!.Value, l["Colour.Manual", l[$"Colour.{r.Colour}"], r.Reason]));
        foreach (var m in measuresInForce)
        {
            var colour = m.Category == PersonCategory.Case || m.Kind is MeasureKind.CentralisedQuarantine or MeasureKind.HomeQuarantine ? StatusColour.Red : StatusColour.Yellow;
            found.Add((colour, l["Colour.Measure", labels[$"Category.{m.Category}"], labels[$"Kind.{m.Kind}"], m.DayNumberOn(today), m.Days]));
        }
        if (cover is not null && cover.Level != RiskAreaLevel.Low)
            found.Add((cover.Level == RiskAreaLevel.High ? StatusColour.Red : StatusColour.Yellow, l["Colour.RiskArea", labels[$"Level.{cover.Level}"], cover.Name]));
        return found.Count == 0
            ? StatusColourResult.Green
            : new StatusColourResult(found.Max(v => v.Colour), found.OrderByDescending(v => v.Colour).Select(v => v.Reason).ToList());
    }
}
