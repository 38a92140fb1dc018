using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.People;
using Shouwang.Domain.PlaceCodes;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.PlaceCodes;

public sealed record PlaceInput
{
    public string? Name { get; init; }
    public PlaceKind? Kind { get; init; }
    public string? Address { get; init; }
    public string? CommunityCode { get; init; }
    public Guid? GridId { get; init; }
    public string? ContactName { get; init; }
    public string? ContactPhone { get; init; }
    public bool? IsActive { get; init; }
}

public sealed record PlaceItem(
    Guid Id, string Name, PlaceKind Kind, string Address, string CommunityCode, string? CommunityName, Guid? GridId, string? GridName,
    string? ContactName, string? ContactPhone, bool IsActive, int PresencesToday, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record PlaceSearch(string? CommunityCode, string? Q, PlaceKind? Kind, bool? IsActive, int? Page, int? PageSize);

public sealed record PresenceSearch(DateOnly? From, DateOnly? To, int? Page, int? PageSize);

/// <summary>One presence as staff see it: who (masked) and when.</summary>
public sealed record PresenceItem(Guid Id, DateTime At, string Name, string? Phone, bool IsResident, Guid? PersonId, Guid? VisitorId);

/// <summary>场所码 places: list, create, change (within the caller's jurisdiction), and the presences recorded at each.</summary>
public sealed class ManagePlaceCodes(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<PlaceCodesResource> t)
{
    public const int MaxNameLength = 100;
    public const int MaxAddressLength = 200;
    public const int MaxContactNameLength = 50;

    public async Task<Paged<PlaceItem>> ListAsync(PlaceSearch search, CancellationToken cancellationToken = default)
    {
        var (page, size) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Places.AsNoTracking();
        if (Committees.TryParse(search.CommunityCode, out var community)) query = query.Where(p => p.CommunityCode == community);
        if (search.Kind is { } kind) query = query.Where(p => p.Kind == kind);
        if (search.IsActive is { } active) query = query.Where(p => p.IsActive == active);
        if (search.Q is { Length: > 0 } q) query = query.Where(p => p.Name.Contains(q.Trim()) || p.Address.Contains(q.Trim()));
        var total = await query.CountAsync(cancellationToken);
        var places = await query.OrderBy(p => p.CommunityCode).ThenBy(p => p.Name).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new Paged<PlaceItem>(await ItemsAsync(db, places, cancellationToken), total, page, size);
    }

    public async Task<Outcome<PlaceItem>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var place = await db.Places.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return place is null ? NotFound() : (await ItemsAsync(db, [place], cancellationToken))[0];
    }

    public Task<Outcome<PlaceItem>> CreateAsync(PlaceInput input, CancellationToken cancellationToken = default) => SaveAsync(null, input, cancellationToken);

    public Task<Outcome<PlaceItem>> UpdateAsync(Guid id, PlaceInput input, CancellationToken cancellationToken = default) => SaveAsync(id, input, cancellationToken);

    private async Task<Outcome<PlaceItem>> SaveAsync(Guid? id, PlaceInput input, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Place? place = null;
        if (id is { } existing && (place = await db.Places.FirstOrDefaultAsync(p => p.Id == existing, cancellationToken)) is null) return NotFound();

        var errors = new FieldErrors();
        var name = TextNormalizer.CleanText(input.Name);
        if (name.Length == 0) errors.Add(nameof(PlaceInput.Name), t["Error.NameRequired"]);
        else if (name.Length > MaxNameLength) errors.Add(nameof(PlaceInput.Name), t["Error.TooLong", MaxNameLength]);
        if (input.Kind is not { } kind || !Enum.IsDefined(kind)) { errors.Add(nameof(PlaceInput.Kind), t["Error.KindRequired"]); kind = default; }
        var address = TextNormalizer.CleanText(input.Address);
        if (address.Length == 0) errors.Add(nameof(PlaceInput.Address), t["Error.AddressRequired"]);
        else if (address.Length > MaxAddressLength) errors.Add(nameof(PlaceInput.Address), t["Error.TooLong", MaxAddressLength]);
        var community = await db.FindCommitteeAsync(input.CommunityCode, cancellationToken);
        if (community is null) errors.Add(nameof(PlaceInput.CommunityCode), t["Error.CommunityUnknown"]);
        if (input.GridId is { } gridId && community is { } c && !await db.Grids.AnyAsync(g => g.Id == gridId && g.CommunityCode == c, cancellationToken))
            errors.Add(nameof(PlaceInput.GridId), t["Error.GridUnknown"]);
        var contactName = TextNormalizer.CleanText(input.ContactName);
        if (contactName.Length > MaxContactNameLength) errors.Add(nameof(PlaceInput.ContactName), t["Error.TooLong", MaxContactNameLength]);
        string? contactPhone = null;
        if (!string.IsNullOrWhiteSpace(input.ContactPhone) && !TryMobile(input.ContactPhone, out contactPhone))
            errors.Add(nameof(PlaceInput.ContactPhone), t["Error.PhoneInvalid"]);
        if (errors.Any) return errors.ToOutcome<PlaceItem>();

        var now = clock.UtcNow;
        if (place is null)
        {
            place = new Place { Name = name, Address = address, CreatedAt = now };
            db.Places.Add(place);
        }
        place.Name = name;
        place.Kind = kind;
        place.Address = address;
        place.CommunityCode = community!.Value;
        place.GridId = input.GridId;
        place.ContactName = contactName.Length == 0 ? null : contactName;
        place.ContactPhone = contactPhone;
        place.IsActive = input.IsActive ?? true;
        place.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return (await ItemsAsync(db, [place], cancellationToken))[0];
    }

    public async Task<Outcome<Paged<PresenceItem>>> PresencesAsync(Guid placeId, PresenceSearch search, CancellationToken cancellationToken = default)
    {
        var (page, size) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Places.AnyAsync(p => p.Id == placeId, cancellationToken)) return new Outcome<Paged<PresenceItem>>.NotFound(t["Error.PlaceNotFound"]);
        var query = db.Passages.AsNoTracking().Where(p => p.PlaceId == placeId && p.Kind == PassageKind.Presence);
        if (search.From is { } from) { var start = clock.StartOfDayUtc(from); query = query.Where(p => p.At >= start); }
        if (search.To is { } to) { var end = clock.StartOfDayUtc(to.AddDays(1)); query = query.Where(p => p.At < end); }
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(p => p.At).ThenByDescending(p => p.Id).Skip((page - 1) * size).Take(size)
            .Select(p => new { p.Id, p.At, p.PersonId, p.VisitorId }).ToListAsync(cancellationToken);

        // Visitors to a place come from anywhere: their names are read as the platform, and only ever shown masked.
        var personIds = rows.Where(r => r.PersonId != null).Select(r => r.PersonId!.Value).Distinct().ToList();
        var visitorIds = rows.Where(r => r.VisitorId != null).Select(r => r.VisitorId!.Value).Distinct().ToList();
        using (CallerContext.AsSystem())
        {
            await using var all = await dbFactory.CreateDbContextAsync(cancellationToken);
            var persons = await all.Persons.AsNoTracking().Where(p => personIds.Contains(p.Id)).Select(p => new { p.Id, p.Name, p.Phone }).ToDictionaryAsync(p => p.Id, cancellationToken);
            var visitors = await all.Visitors.AsNoTracking().Where(v => visitorIds.Contains(v.Id)).Select(v => new { v.Id, v.Name, v.Phone }).ToDictionaryAsync(v => v.Id, cancellationToken);
            var items = rows.Select(r =>
            {
                if (r.PersonId is { } pid && persons.TryGetValue(pid, out var person))
                    return new PresenceItem(r.Id, r.At, PersonName.Mask(person.Name), person.Phone is null ? null : PhoneNumber.Mask(person.Phone), true, pid, null);
                var visitor = r.VisitorId is { } vid ? visitors.GetValueOrDefault(vid) : null;
                return new PresenceItem(r.Id, r.At, PersonName.Mask(visitor?.Name), visitor?.Phone is null ? null : PhoneNumber.Mask(visitor.Phone), false, null, r.VisitorId);
            }).ToList();
            return new Paged<PresenceItem>(items, total, page, size);
        }
    }

    /// <summary>A mainland mobile number (the presence form and a place's contact): 11 digits, 1[3-9]….</summary>
    public static bool TryMobile(string? input, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? normalized)
    {
        normalized = PhoneNumber.TryNormalize(input, out var phone) && phone.Length == 11 && phone[0] == '1' ? phone : null;
        return normalized is not null;
    }

    private async Task<List<PlaceItem>> ItemsAsync(AppDbContext db, IReadOnlyList<Place> places, CancellationToken cancellationToken)
    {
        var ids = places.Select(p => p.Id).ToList();
        var start = clock.StartOfDayUtc(clock.Today());
        var counts = await db.Passages.Where(p => p.PlaceId != null && ids.Contains(p.PlaceId.Value) && p.Kind == PassageKind.Presence && p.At >= start)
            .GroupBy(p => p.PlaceId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var communities = places.Select(p => p.CommunityCode.ToString(CultureInfo.InvariantCulture)).Distinct().ToList();
        var communityNames = await db.Jurisdictions.Where(j => communities.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
        var gridIds = places.Where(p => p.GridId != null).Select(p => p.GridId!.Value).Distinct().ToList();
        var gridNames = await db.Grids.Where(g => gridIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        return places.Select(p =>
        {
            var code = p.CommunityCode.ToString(CultureInfo.InvariantCulture);
            return new PlaceItem(p.Id, p.Name, p.Kind, p.Address, code, communityNames.GetValueOrDefault(code), p.GridId,
                p.GridId is { } g ? gridNames.GetValueOrDefault(g) : null, p.ContactName, p.ContactPhone, p.IsActive, counts.GetValueOrDefault(p.Id), p.CreatedAt, p.UpdatedAt);
        }).ToList();
    }

    private Outcome<PlaceItem> NotFound() => new Outcome<PlaceItem>.NotFound(t["Error.PlaceNotFound"]);
}
