using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.People;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.RiskAreas;

public sealed class RiskAreaQueries(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<RiskAreasResource> l)
{
    /// <summary>People whose household lies in the building or compound; for a whole committee, everyone registered there.</summary>
    public static IQueryable<Person> ResidentsOf(AppDbContext db, RiskArea area) => area.Scope switch
    {
        RiskAreaScope.Building => from p in db.Persons join h in db.Households on p.HouseholdId equals h.Id where h.BuildingId == area.BuildingId select p,
        RiskAreaScope.Compound => from p in db.Persons join h in db.Households on p.HouseholdId equals h.Id where h.CompoundId == area.CompoundId select p,
        _ => db.Persons.Where(p => p.CommunityCode == area.CommunityCode),
    };

    public async Task<Outcome<Paged<RiskAreaItem>>> SearchAsync(RiskAreaSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.RiskAreas.AsNoTracking();
        if (search.State is { } state) query = query.Where(a => a.State == state);
        if (search.Level is { } level) query = query.Where(a => a.Level == level);
        if (!string.IsNullOrWhiteSpace(search.Jurisdiction))
        {
            if (!JurisdictionCode.TryParse(search.Jurisdiction, out var node))
            {
                var errors = new FieldErrors();
                errors.Add(nameof(search.Jurisdiction), l["Error.JurisdictionInvalid"]);
                return errors.ToOutcome<Paged<RiskAreaItem>>();
            }
            var (min, max) = node.Value.SubtreeRange;
            query = query.Where(a => a.CommunityCode >= min && a.CommunityCode <= max);
        }
        var total = await query.CountAsync(cancellationToken);
        var areas = await query.OrderBy(a => a.State).ThenBy(a => a.Level).ThenByDescending(a => a.StartDay).ThenBy(a => a.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var ids = areas.Select(a => a.Id).ToList();
        var screenings = await db.RiskAreaScreenings.AsNoTracking().Where(s => ids.Contains(s.RiskAreaId)).ToListAsync(cancellationToken);
        var latest = screenings.GroupBy(s => s.RiskAreaId).ToDictionary(g => g.Key, g => g.MaxBy(s => s.Day)!);
        var pending = await db.RiskAreaReleaseProposals.AsNoTracking().Where(p => ids.Contains(p.RiskAreaId) && p.State == ReleaseProposalState.Proposed)
            .Select(p => new { p.RiskAreaId, p.Id }).ToListAsync(cancellationToken);
        var pendingByArea = pending.GroupBy(p => p.RiskAreaId).ToDictionary(g => g.Key, g => g.First().Id);
        var today = clock.Today();
        var items = areas.Select(a => RiskAreaItem.From(a, today, latest.GetValueOrDefault(a.Id),
            pendingByArea.TryGetValue(a.Id, out var p) ? p : null)).ToList();
        return new Paged<RiskAreaItem>(items, total, page, pageSize);
    }

    public async Task<Outcome<RiskAreaDetails>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var area = await db.RiskAreas.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (area is null) return new Outcome<RiskAreaDetails>.NotFound(l["Error.AreaNotFound"]);
        var residents = await ResidentsOf(db, area).CountAsync(cancellationToken);
        var events = (await db.RiskAreaEvents.AsNoTracking().Where(e => e.RiskAreaId == id).ToListAsync(cancellationToken))
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new RiskAreaEventItem(e.Id, e.Kind, e.FromLevel, e.ToLevel, e.Day, e.Note, e.ByName, e.At)).ToList();
        var screenings = (await db.RiskAreaScreenings.AsNoTracking().Where(s => s.RiskAreaId == id).ToListAsync(cancellationToken))
            .OrderBy(s => s.Day).ToList();
        var proposals = (await db.RiskAreaReleaseProposals.AsNoTracking().Where(p => p.RiskAreaId == id).ToListAsync(cancellationToken))
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Select(p => ProposalItem.From(p, area.Name)).ToList();
        var pending = proposals.FirstOrDefault(p => p.State == ReleaseProposalState.Proposed)?.Id;
        var item = RiskAreaItem.From(area, clock.Today(), screenings.LastOrDefault(), pending);
        return new RiskAreaDetails(item, residents, AreaEffects.Of(area), events, screenings.Select(ScreeningItem.From).ToList(), proposals);
    }

    public async Task<Outcome<Paged<AreaResidentItem>>> ResidentsAsync(Guid id, int? page, int? pageSize, CancellationToken cancellationToken = default)
    {
        var (p, size) = Paging.Clamp(page, pageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var area = await db.RiskAreas.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (area is null) return new Outcome<Paged<AreaResidentItem>>.NotFound(l["Error.AreaNotFound"]);
        var query = ResidentsOf(db, area).AsNoTracking();
        var total = await query.CountAsync(cancellationToken);
        var rows = await (from person in query
                          join h in db.Households on person.HouseholdId equals h.Id into hs
                          from h in hs.DefaultIfEmpty()
                          orderby person.Name, person.Id
                          select new { person.Id, person.Name, person.Phone, Address = h == null ? null : h.Address })
            .Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
        var covers = await RiskAreaCover.ForPersonsAsync(db, rows.Select(r => r.Id).ToList(), cancellationToken);
        var items = rows.Select(r =>
        {
            var cover = covers.GetValueOrDefault(r.Id);
            var effects = AreaEffects.Of(cover);
            return new AreaResidentItem(r.Id, r.Name, PhoneNumber.Mask(r.Phone), r.Address, cover?.RiskAreaId, cover?.Level,
                effects.DeniesExit, effects.DoorToDoorSupply, effects.DoorToDoorSampling, effects.SingleTubeSampling);
        }).ToList();
        return new Paged<AreaResidentItem>(items, total, p, size);
    }

    /// <summary>The committees in the caller's jurisdiction that have compounds, for the designation pickers.</summary>
    public async Task<IReadOnlyList<CommitteeOption>> CommitteesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var numbers = await db.Compounds.AsNoTracking().Select(c => c.CommunityCode).Distinct().ToListAsync(cancellationToken);
        var codes = numbers.Select(ProposalItem.Code).ToList();
        return await db.Jurisdictions.AsNoTracking().Where(j => codes.Contains(j.Code)).OrderBy(j => j.Code)
            .Select(j => new CommitteeOption(j.Code, j.Name)).ToListAsync(cancellationToken);
    }
}

public sealed record CommitteeOption(string Code, string Name);
