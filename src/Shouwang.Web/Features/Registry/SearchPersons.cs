using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Registry;

/// <param name="Q">Name, ID number (whole or its last digits), phone, or part of the address.</param>
/// <param name="Jurisdiction">Division code of the subtree to search (default: everything).</param>
public sealed record PersonSearch(
    string? Q = null, string? Jurisdiction = null, VulnerabilityTags? Tag = null, ResidenceType? ResidenceType = null,
    Guid? GridId = null, Guid? HouseholdId = null, int? Page = 1, int? PageSize = 20);

public sealed record PersonListItem(
    Guid Id, string Name, DocumentType DocumentType, string DocumentNumber, Sex Sex, int? Age, string? Phone,
    Guid? HouseholdId, string? Address, RelationToHead RelationToHead, ResidenceType ResidenceType, VulnerabilityTags Tags,
    int VaccinationDoses, string CommunityCode, string? CommunityName, Guid? GridId, string? GridName);

public sealed class SearchPersons(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock)
{
    public async Task<Paged<PersonListItem>> HandleAsync(PersonSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var persons = Filter(db, search);
        // Counted on persons alone: the household join is only needed for the page's addresses.
        var total = await persons.CountAsync(cancellationToken);
        var rows = await WithAddress(db, persons
            .OrderBy(p => p.CommunityCode).ThenBy(p => p.Name).ThenBy(p => p.Id)
            .Skip((page - 1) * pageSize).Take(pageSize))
            .ToListAsync(cancellationToken);
        var items = await ToItemsAsync(db, rows, masked: true, cancellationToken);
        return new Paged<PersonListItem>(items, total, page, pageSize);
    }

    /// <summary>Every match, unpaged, for exports (capped so a mistaken export can't exhaust memory).</summary>
    public async Task<IReadOnlyList<PersonListItem>> AllAsync(PersonSearch search, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await WithAddress(db, Filter(db, search).OrderBy(p => p.CommunityCode).ThenBy(p => p.Name).Take(limit)).ToListAsync(cancellationToken);
        return await ToItemsAsync(db, rows, masked: true, cancellationToken);
    }

    // Member-init (not a constructor) so EF can translate it.
    internal sealed class Row
    {
        public required Person Person { get; init; }
        public string? Address { get; init; }
    }

    private static IQueryable<Row> WithAddress(AppDbContext db, IQueryable<Person> persons) =>
        from p in persons
        join h in db.Households on p.HouseholdId equals h.Id into hs
        from h in hs.DefaultIfEmpty()
        select new Row { Person = p, Address = h == null ? null : h.Address };

    private static IQueryable<Person> Filter(AppDbContext db, PersonSearch search)
    {
        var persons = db.Persons.AsNoTracking();
        // The node narrows the context's own scope range (one range per query, see AppDbContext.NarrowTo).
        if (JurisdictionCode.TryParse(search.Jurisdiction, out var code)) db.NarrowTo(code.Value);
        if (search.Tag is { } tag && tag != VulnerabilityTags.None) persons = persons.Where(p => (p.Tags & tag) != 0);
        if (search.ResidenceType is { } residence) persons = persons.Where(p => p.ResidenceType == residence);
        if (search.GridId is { } grid) persons = persons.Where(p => p.GridId == grid);
        if (search.HouseholdId is { } household) persons = persons.Where(p => p.HouseholdId == household);

        var q = TextNormalizer.Normalize(search.Q).ToUpperInvariant();
        if (q.Length == 0) return persons;
        // A whole, valid ID number is looked up by equality, so the unique index answers it.
        if (IdCardNumber.TryParse(q, out var id, out _)) return persons.Where(p => p.DocumentNumber == id.Value.Value);
        if (q.Length >= 15 && q.All(char.IsAsciiLetterOrDigit)) return persons.Where(p => p.DocumentNumber.StartsWith(q));
        // Digits, optionally ending in the check character X: a tail ("尾号") or phone search.
        if (q.All(char.IsAsciiDigit) || (q.Length >= 4 && q[^1] == 'X' && q[..^1].All(char.IsAsciiDigit)))
        {
            // 11 digits starting with 1 is a mobile; shorter digit runs are "尾号" searches on phone or ID.
            if (q.Length == 11 && q[0] == '1') return persons.Where(p => p.Phone == q);
            return q.Length >= 4
                ? persons.Where(p => p.DocumentNumber.EndsWith(q) || (p.Phone != null && p.Phone.EndsWith(q)))
                : persons.Where(p => db.Households.Any(h => h.Id == p.HouseholdId && h.Address.Contains(q)));
        }
        var text = TextNormalizer.CleanText(search.Q);
        // Households are a third of persons: match addresses there once instead of joining every person.
        var households = db.Households.Where(h => h.Address.Contains(text)).Select(h => (Guid?)h.Id);
        return persons.Where(p => p.Name.Contains(text) || households.Contains(p.HouseholdId));
    }

    private async Task<List<PersonListItem>> ToItemsAsync(AppDbContext db, List<Row> rows, bool masked, CancellationToken cancellationToken)
    {
        var communityCodes = rows.Select(r => r.Person.CommunityCode.ToString()).Distinct().ToList();
        var communities = await db.Jurisdictions.AsNoTracking().Where(j => communityCodes.Contains(j.Code))
            .ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
        var gridIds = rows.Where(r => r.Person.GridId != null).Select(r => r.Person.GridId!.Value).Distinct().ToList();
        var grids = await db.Grids.AsNoTracking().Where(g => gridIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var today = clock.Today();
        return rows.Select(r =>
        {
            var p = r.Person;
            var community = p.CommunityCode.ToString();
            return new PersonListItem(
                p.Id, p.Name, p.DocumentType, masked ? DocumentNumber.Mask(p.DocumentNumber) : p.DocumentNumber, p.Sex, p.AgeOn(today),
                masked && p.Phone is not null ? PhoneNumber.Mask(p.Phone) : p.Phone, p.HouseholdId, r.Address, p.RelationToHead, p.ResidenceType, p.Tags,
                p.VaccinationDoses, community, communities.GetValueOrDefault(community),
                p.GridId, p.GridId is { } g ? grids.GetValueOrDefault(g) : null);
        }).ToList();
    }
}
