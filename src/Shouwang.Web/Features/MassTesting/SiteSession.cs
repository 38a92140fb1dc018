using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

public sealed record SessionSite(Guid Id, string Name);

public sealed record SessionRound(Guid Id, string Name, int PoolSize);

/// <param name="SealedTubes">Sealed and not yet boxed.</param>
/// <param name="Samples">Samples that count (not removed) in this round's tubes at this site.</param>
public sealed record SiteSessionView(SessionSite Site, SessionRound Round, IReadOnlyList<TubeView> OpenTubes, int SealedTubes, int Samples, IReadOnlyList<BoxView> Boxes);

/// <summary>What the sampler's page loads to resume at a site in a round: its open tubes with their members, counts and boxes.</summary>
public sealed class SiteSession(IDbContextFactory<AppDbContext> dbFactory, IStringLocalizer<SamplingResource> l)
{
    public async Task<Outcome<SiteSessionView>> GetAsync(Guid siteId, Guid roundId, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var site = await SamplingAccess.VisibleSiteAsync(db, caller, siteId, ct);
        if (site is null) return new Outcome<SiteSessionView>.NotFound(l["Error.SiteNotFound"]);
        var round = await db.TestingRounds.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct);
        var code = site.CommunityCode;
        if (round is null || !await db.TestingRoundScopes.IgnoreQueryFilters().AnyAsync(s => s.RoundId == roundId && code >= s.Min && code <= s.Max, ct))
            return new Outcome<SiteSessionView>.NotFound(l["Error.RoundNotFound"]);
        var tubes = db.Tubes.IgnoreQueryFilters().AsNoTracking().Where(t => t.RoundId == roundId && t.SiteId == siteId);
        var open = await tubes.Where(t => t.State == TubeState.Open).OrderBy(t => t.OpenedAt).ToListAsync(ct);
        var sealedTubes = await tubes.CountAsync(t => t.State == TubeState.Sealed, ct);
        var samples = await tubes.SumAsync(t => t.Count, ct);
        var boxes = await db.TransferBoxes.IgnoreQueryFilters().AsNoTracking().Where(b => b.RoundId == roundId && b.SiteId == siteId)
            .OrderBy(b => b.CreatedAt).ToListAsync(ct);
        return new SiteSessionView(new SessionSite(site.Id, site.Name), new SessionRound(round.Id, round.Name, round.PoolSize),
            await Tubes.ViewsAsync(db, open, ct), sealedTubes, samples, await TransferBoxes.ViewsAsync(db, boxes, ct));
    }
}
