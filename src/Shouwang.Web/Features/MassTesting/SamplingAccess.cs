using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

/// <summary>A site the caller may work at in an open round that covers it.</summary>
public sealed record SamplingWork(SamplingSite Site, TestingRound Round);

/// <summary>
/// Who may do what at a sampling site. Seeing a site: it lies in the caller's jurisdiction, or the caller is assigned to it
/// (the assignment is the grant, as <see cref="SamplingSites.MineAsync"/> says). Working there: assigned, or ManageTesting
/// over the site's committee; the round must be open and cover the site's committee.
/// </summary>
public sealed class SamplingAccess(IStringLocalizer<SamplingResource> l)
{
    /// <summary>
    /// The caller the sampling handlers write as once access is checked: the same account and name (so the audit log and the
    /// rows say who), but past the context's scope guard, because a person sampled here may live in another committee and
    /// their sample is counted where they live. Handlers read by explicit site, round and tube ids only.
    /// </summary>
    public static Caller Worker(Caller caller) => caller with { IsSystem = true };

    public static Task<bool> IsAssignedAsync(AppDbContext db, Caller caller, Guid siteId, CancellationToken ct) =>
        caller.AccountId is not { } account
            ? Task.FromResult(false)
            : db.SamplingSiteStaff.IgnoreQueryFilters().AnyAsync(s => s.SiteId == siteId && s.AccountId == account, ct);

    public static async Task<SamplingSite?> VisibleSiteAsync(AppDbContext db, Caller caller, Guid siteId, CancellationToken ct)
    {
        var site = await db.SamplingSites.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null) return null;
        return caller.Covers(site.CommunityCode) || await IsAssignedAsync(db, caller, siteId, ct) ? site : null;
    }

    /// <summary>The site and round if the caller may sample there now, else why not (404, 403 or 409).</summary>
    public async Task<Outcome<SamplingWork>> WorkAsync(AppDbContext db, Caller caller, Guid siteId, Guid roundId, CancellationToken ct)
    {
        var site = await db.SamplingSites.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId, ct);
        var assigned = site is not null && await IsAssignedAsync(db, caller, siteId, ct);
        if (site is null || (!assigned && !caller.Covers(site.CommunityCode))) return new Outcome<SamplingWork>.NotFound(l["Error.SiteNotFound"]);
        if (!assigned && !caller.Can(Permission.ManageTesting)) return new Outcome<SamplingWork>.Forbidden(l["Error.NotAssigned"]);
        var round = await db.TestingRounds.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null) return new Outcome<SamplingWork>.NotFound(l["Error.RoundNotFound"]);
        if (round.State != RoundState.Open) return new Outcome<SamplingWork>.Conflict(l["Error.RoundNotOpen"]);
        var code = site.CommunityCode;
        if (!await db.TestingRoundScopes.IgnoreQueryFilters().AnyAsync(s => s.RoundId == roundId && code >= s.Min && code <= s.Max, ct))
            return new Outcome<SamplingWork>.Conflict(l["Error.SiteOutsideRound"]);
        return new SamplingWork(site, round);
    }

    /// <summary>A tube's site and round, for changing the tube (seal, remove, move): 404 when the caller may not see its site.</summary>
    public async Task<Outcome<SamplingWork>> WorkOnTubeAsync(AppDbContext db, Caller caller, Tube tube, CancellationToken ct)
    {
        var work = await WorkAsync(db, caller, tube.SiteId, tube.RoundId, ct);
        return work is Outcome<SamplingWork>.NotFound ? new Outcome<SamplingWork>.NotFound(l["Error.TubeNotFound"]) : work;
    }
}

public static class OutcomeCast
{
    /// <summary>The same failure for another value type (a failed access check answers for the handler).</summary>
    public static Outcome<T> Fail<T, TFrom>(this Outcome<TFrom> failure) => failure switch
    {
        Outcome<TFrom>.NotFound n => new Outcome<T>.NotFound(n.Message),
        Outcome<TFrom>.Forbidden f => new Outcome<T>.Forbidden(f.Message),
        Outcome<TFrom>.Conflict c => new Outcome<T>.Conflict(c.Message),
        Outcome<TFrom>.Invalid i => new Outcome<T>.Invalid(i.Errors),
        Outcome<TFrom>.TooManyRequests t => new Outcome<T>.TooManyRequests(t.Message),
        _ => throw new InvalidOperationException("Not a failure"),
    };
}
