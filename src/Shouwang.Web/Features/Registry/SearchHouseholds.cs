using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Registry;

/// <param name="Q">Part of the address, or the head's name.</param>
public sealed record HouseholdSearch(string? Q = null, string? Jurisdiction = null, Guid? GridId = null, Guid? CompoundId = null,
    Guid? BuildingId = null, int? Page = 1, int? PageSize = 20);

public sealed record HouseholdListItem(Guid Id, string Address, string? HeadName, int MemberCount, VulnerabilityTags MemberTags,
    string CommunityCode, string? CommunityName, Guid GridId, string? GridName);

public sealed class SearchHouseholds(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<Paged<HouseholdListItem>> HandleAsync(HouseholdSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Filter(db, search);
        var total = await query.CountAsync(cancellationToken);
        var households = await query.OrderBy(h => h.CommunityCode).ThenBy(h => h.Address).ThenBy(h => h.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<HouseholdListItem>(await ToItemsAsync(db, households, cancellationToken), total, page, pageSize);
    }

    public async Task<IReadOnlyList<HouseholdListItem>> AllAsync(HouseholdSearch search, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var households = await Filter(db, search).OrderBy(h => h.CommunityCode).ThenBy(h => h.Address).Take(limit).ToListAsync(cancellationToken);
        return await ToItemsAsync(db, households, cancellationToken);
    }

    private static IQueryable<Domain.Registry.Household> Filter(AppDbContext db, HouseholdSearch search)
    {
        var query = db.Households.AsNoTracking();
        // The node narrows the context's own scope range (one range per query, see AppDbContext.NarrowTo).
        if (JurisdictionCode.TryParse(search.Jurisdiction, out var code)) db.NarrowTo(code.Value);
        if (search.GridId is { } grid) query = query.Where(h => h.GridId == grid);
        if (search.CompoundId is { } compound) query = query.Where(h => h.CompoundId == compound);
        if (search.BuildingId is { } building) query = query.Where(h => h.BuildingId == building);
        var text = TextNormalizer.CleanText(search.Q);
        if (text.Length > 0)
        {
            query = query.Where(h => h.Address.Contains(text)
                || db.Persons.Any(p => p.Id == h.HeadPersonId && p.Name.Contains(text)));
        }
        return query;
    }

    private static async Task<List<HouseholdListItem>> ToItemsAsync(AppDbContext db, List<Domain.Registry.Household> households, CancellationToken cancellationToken)
    {
        var ids = households.Select(h => h.Id).ToList();
        var members = await db.Persons.AsNoTracking().Where(p => p.HouseholdId != null && ids.Contains(p.HouseholdId.Value))
            .Select(p => new { p.HouseholdId, p.Id, p.Name, p.Tags }).ToListAsync(cancellationToken);
        var byHousehold = members.ToLookup(m => m.HouseholdId!.Value);
        var communityCodes = households.Select(h => h.CommunityCode.ToString()).Distinct().ToList();
        var communities = await db.Jurisdictions.AsNoTracking().Where(j => communityCodes.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
        var gridIds = households.Select(h => h.GridId).Distinct().ToList();
        var grids = await db.Grids.AsNoTracking().Where(g => gridIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        return households.Select(h =>
        {
            var people = byHousehold[h.Id].ToList();
            var community = h.CommunityCode.ToString();
            return new HouseholdListItem(h.Id, h.Address, people.FirstOrDefault(p => p.Id == h.HeadPersonId)?.Name, people.Count,
                people.Aggregate(VulnerabilityTags.None, (tags, p) => tags | p.Tags), community, communities.GetValueOrDefault(community),
                h.GridId, grids.GetValueOrDefault(h.GridId));
        }).ToList();
    }
}
