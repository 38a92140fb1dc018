using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

public sealed record SamplingSiteInput
{
    public string? Name { get; init; }
    public string? Address { get; init; }
    /// <summary>The committee the site serves.</summary>
    public string? CommunityCode { get; init; }
    public Guid? GridId { get; init; }
    /// <summary>Local opening time; with <see cref="ClosesAt"/> or not at all. A window past midnight (22:00–06:00) is allowed.</summary>
    public TimeOnly? OpensAt { get; init; }
    public TimeOnly? ClosesAt { get; init; }
    public bool? IsActive { get; init; }
}

public sealed record SamplingSiteItem(
    Guid Id, string Name, string Address, string CommunityCode, Guid? GridId, TimeOnly? OpensAt, TimeOnly? ClosesAt, bool IsActive, int SamplerCount);

public sealed record SamplerInput(Guid? AccountId);

public sealed record SamplerItem(Guid AccountId, string Name, DateTime AssignedAt);

public sealed record SamplerCandidate(Guid AccountId, string Name, string NodeCode, string PhoneMasked, bool IsSampler);

/// <summary>Sampling sites (采样点) of the caller's jurisdiction: list, create, change; the samplers working at them.</summary>
public sealed class SamplingSites(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<SamplingSitesResource> l)
{
    /// <summary>The roles that may take samples: only their accounts can be assigned to a site.</summary>
    public static readonly StaffRoles SamplingRoles = Enum.GetValues<StaffRoles>()
        .Where(r => r != StaffRoles.None && RolePermissions.Allows(r, Permission.TakeSamples))
        .Aggregate(StaffRoles.None, (a, b) => a | b);

    public async Task<Outcome<IReadOnlyList<SamplingSiteItem>>> ListAsync(string? community, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.SamplingSites.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(community))
        {
            if (!Committees.TryParse(community.Trim(), out var code))
            {
                var invalid = new FieldErrors();
                invalid.Add("community", l["Error.CommunityInvalid"]);
                return invalid.ToOutcome<IReadOnlyList<SamplingSiteItem>>();
            }
            query = query.Where(s => s.CommunityCode == code);
        }
        var sites = await query.OrderBy(s => s.CommunityCode).ThenBy(s => s.Name).ToListAsync(cancellationToken);
        var counts = await CountsAsync(db, sites.Select(s => s.Id).ToList(), cancellationToken);
        return sites.Select(s => Item(s, counts.GetValueOrDefault(s.Id))).ToList();
    }

    public async Task<Outcome<SamplingSiteItem>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await db.SamplingSites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null) return new Outcome<SamplingSiteItem>.NotFound(l["Error.SiteNotFound"]);
        return Item(site, await db.SamplingSiteStaff.CountAsync(s => s.SiteId == id, cancellationToken));
    }

    public async Task<Outcome<SamplingSiteItem>> CreateAsync(SamplingSiteInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.UtcNow;
        var site = new SamplingSite { Name = "", Address = "", CreatedAt = now };
        if (await ApplyAsync(db, site, input, cancellationToken) is { } invalid) return invalid;
        site.UpdatedAt = now;
        db.SamplingSites.Add(site);
        await db.SaveChangesAsync(cancellationToken);
        return Item(site, 0);
    }

    public async Task<Outcome<SamplingSiteItem>> UpdateAsync(Guid id, SamplingSiteInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await db.SamplingSites.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null) return new Outcome<SamplingSiteItem>.NotFound(l["Error.SiteNotFound"]);
        if (await ApplyAsync(db, site, input, cancellationToken) is { } invalid) return invalid;
        site.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        return Item(site, await db.SamplingSiteStaff.CountAsync(s => s.SiteId == id, cancellationToken));
    }

    public async Task<Outcome<IReadOnlyList<SamplerItem>>> SamplersAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.SamplingSites.AnyAsync(s => s.Id == id, cancellationToken)) return new Outcome<IReadOnlyList<SamplerItem>>.NotFound(l["Error.SiteNotFound"]);
        return new Outcome<IReadOnlyList<SamplerItem>>.Success(await SamplersOfAsync(db, id, cancellationToken));
    }

    /// <summary>Assigns a sampler to the site; assigning one already there changes nothing.</summary>
    public async Task<Outcome<IReadOnlyList<SamplerItem>>> AssignAsync(Guid id, SamplerInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await db.SamplingSites.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.Id, s.CommunityCode }).FirstOrDefaultAsync(cancellationToken);
        if (site is null) return new Outcome<IReadOnlyList<SamplerItem>>.NotFound(l["Error.SiteNotFound"]);
        var errors = new FieldErrors();
        if (input.AccountId is not { } accountId)
        {
            errors.Add(nameof(input.AccountId), l["Error.AccountRequired"]);
            return errors.ToOutcome<IReadOnlyList<SamplerItem>>();
        }
        // An account outside the caller's jurisdiction is answered like one that does not exist.
        var account = await InScope(db.Users.AsNoTracking(), db.Caller).FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null || account.IsDisabled) errors.Add(nameof(input.AccountId), l["Error.AccountNotFound"]);
        else if ((account.Roles & SamplingRoles) == StaffRoles.None) errors.Add(nameof(input.AccountId), l["Error.NotASampler"]);
        if (errors.Any) return errors.ToOutcome<IReadOnlyList<SamplerItem>>();

        if (!await db.SamplingSiteStaff.AnyAsync(s => s.SiteId == id && s.AccountId == accountId, cancellationToken))
        {
            db.SamplingSiteStaff.Add(new SamplingSiteStaff
            {
                SiteId = id, CommunityCode = site.CommunityCode, AccountId = accountId, AccountName = account!.DisplayName, AssignedAt = clock.UtcNow,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Assigned by a simultaneous request: the same outcome; anything else is a real failure.
                if (!await StillAssignedAsync(id, accountId, cancellationToken)) throw;
            }
        }
        return new Outcome<IReadOnlyList<SamplerItem>>.Success(await SamplersOfAsync(db, id, cancellationToken));
    }

    public async Task<Outcome<IReadOnlyList<SamplerItem>>> UnassignAsync(Guid id, Guid accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.SamplingSites.AnyAsync(s => s.Id == id, cancellationToken)) return new Outcome<IReadOnlyList<SamplerItem>>.NotFound(l["Error.SiteNotFound"]);
        var rows = await db.SamplingSiteStaff.Where(s => s.SiteId == id && s.AccountId == accountId).ToListAsync(cancellationToken);
        if (rows.Count == 0) return new Outcome<IReadOnlyList<SamplerItem>>.NotFound(l["Error.SamplerNotAssigned"]);
        db.SamplingSiteStaff.RemoveRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<IReadOnlyList<SamplerItem>>.Success(await SamplersOfAsync(db, id, cancellationToken));
    }

    /// <summary>
    /// The sites the calling account is assigned to. The assignment itself is the grant, so a sampler bound to another node than
    /// the site's committee still finds the sites they were sent to.
    /// </summary>
    public async Task<IReadOnlyList<SamplingSiteItem>> MineAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (db.Caller.AccountId is not { } accountId) return [];
        var siteIds = db.SamplingSiteStaff.IgnoreQueryFilters().Where(s => s.AccountId == accountId).Select(s => s.SiteId);
        var sites = await db.SamplingSites.IgnoreQueryFilters().AsNoTracking().Where(s => siteIds.Contains(s.Id))
            .OrderBy(s => s.CommunityCode).ThenBy(s => s.Name).ToListAsync(cancellationToken);
        var ids = sites.Select(s => s.Id).ToList();
        var counts = (await db.SamplingSiteStaff.IgnoreQueryFilters().Where(s => ids.Contains(s.SiteId)).GroupBy(s => s.SiteId)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken)).ToDictionary(x => x.Key, x => x.Count);
        return sites.Select(s => Item(s, counts.GetValueOrDefault(s.Id))).ToList();
    }

    /// <summary>Accounts of the caller's jurisdiction that may take samples (samplers first), phone masked.</summary>
    public async Task<IReadOnlyList<SamplerCandidate>> CandidatesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var roles = SamplingRoles;
        var rows = await InScope(db.Users.AsNoTracking(), db.Caller).Where(a => !a.IsDisabled && (a.Roles & roles) != StaffRoles.None)
            .Select(a => new { a.Id, a.DisplayName, a.NodeCode, a.PhoneNumber, a.Roles }).Take(1000).ToListAsync(cancellationToken);
        return rows.Select(a => new SamplerCandidate(a.Id, a.DisplayName, a.NodeCode, PhoneNumber.Mask(a.PhoneNumber), a.Roles.HasFlag(StaffRoles.Sampler)))
            .OrderByDescending(a => a.IsSampler).ThenBy(a => a.NodeCode, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
    }

    private static IQueryable<StaffAccount> InScope(IQueryable<StaffAccount> accounts, Caller caller)
    {
        long min = caller.ScopeMin, max = caller.ScopeMax;
        return accounts.Where(a => min <= a.NodeMin && a.NodeMax <= max);
    }

    private async Task<bool> StillAssignedAsync(Guid siteId, Guid accountId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SamplingSiteStaff.AnyAsync(s => s.SiteId == siteId && s.AccountId == accountId, cancellationToken);
    }

    private static async Task<Dictionary<Guid, int>> CountsAsync(AppDbContext db, List<Guid> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : (await db.SamplingSiteStaff.Where(s => ids.Contains(s.SiteId)).GroupBy(s => s.SiteId)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken)).ToDictionary(x => x.Key, x => x.Count);

    private static async Task<IReadOnlyList<SamplerItem>> SamplersOfAsync(AppDbContext db, Guid id, CancellationToken cancellationToken) =>
        (await db.SamplingSiteStaff.AsNoTracking().Where(s => s.SiteId == id).ToListAsync(cancellationToken))
        .OrderBy(s => s.AssignedAt).Select(s => new SamplerItem(s.AccountId, s.AccountName, s.AssignedAt)).ToList();

    private static SamplingSiteItem Item(SamplingSite s, int samplers) => new(
        s.Id, s.Name, s.Address, s.CommunityCode.ToString(CultureInfo.InvariantCulture), s.GridId, s.OpensAt, s.ClosesAt, s.IsActive, samplers);

    /// <summary>Checks every field and applies them all, or none (returns the field errors).</summary>
    private async Task<Outcome<SamplingSiteItem>?> ApplyAsync(AppDbContext db, SamplingSite site, SamplingSiteInput input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(nameof(input.Name), l["Error.NameRequired"]);
        else if (name.Length > 100) errors.Add(nameof(input.Name), l["Error.TooLong", 100]);
        var address = input.Address?.Trim();
        if (string.IsNullOrEmpty(address)) errors.Add(nameof(input.Address), l["Error.AddressRequired"]);
        else if (address.Length > 200) errors.Add(nameof(input.Address), l["Error.TooLong", 200]);
        switch (input.OpensAt, input.ClosesAt)
        {
            case (null, not null): errors.Add(nameof(input.OpensAt), l["Error.HoursBoth"]); break;
            case (not null, null): errors.Add(nameof(input.ClosesAt), l["Error.HoursBoth"]); break;
            case ({ } opens, { } closes) when opens == closes: errors.Add(nameof(input.ClosesAt), l["Error.HoursEqual"]); break;
        }
        var committee = await db.FindCommitteeAsync(input.CommunityCode, cancellationToken);
        if (committee is null) errors.Add(nameof(input.CommunityCode), l["Error.CommunityInvalid"]);
        else if (input.GridId is { } gridId && !await db.Grids.AnyAsync(g => g.Id == gridId && g.CommunityCode == committee, cancellationToken))
            errors.Add(nameof(input.GridId), l["Error.GridInvalid"]);
        if (errors.Any) return errors.ToOutcome<SamplingSiteItem>();

        if (site.CommunityCode != 0 && site.CommunityCode != committee!.Value)
        {
            // The samplers' rows carry the site's committee for scoping; they move with it.
            var staff = await db.SamplingSiteStaff.Where(s => s.SiteId == site.Id).ToListAsync(cancellationToken);
            if (staff.Count > 0)
            {
                db.SamplingSiteStaff.RemoveRange(staff);
                db.SamplingSiteStaff.AddRange(staff.Select(s => new SamplingSiteStaff
                {
                    SiteId = s.SiteId, CommunityCode = committee.Value, AccountId = s.AccountId, AccountName = s.AccountName, AssignedAt = s.AssignedAt,
                }));
            }
        }
        site.Name = name!;
        site.Address = address!;
        site.CommunityCode = committee!.Value;
        site.GridId = input.GridId;
        (site.OpensAt, site.ClosesAt) = (input.OpensAt, input.ClosesAt);
        site.IsActive = input.IsActive ?? true;
        return null;
    }
}
