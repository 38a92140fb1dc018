using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Hotline;

public sealed record PublicCommunity(string Code, string Name);

/// <summary>
/// The committees a resident can report to: those with at least one grid, i.e. someone to send the order to. The public
/// pages are anonymous and come in bursts, so the list is cached for <see cref="Freshness"/>; a community missing from it
/// is looked up again before it is refused, so a grid added a moment ago is served at once.
/// </summary>
public sealed class ServedCommunities(IDbContextFactory<AppDbContext> dbFactory, IMemoryCache cache)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(60);
    private const string CacheKey = "hotline:served-communities";

    public async Task<IReadOnlyList<PublicCommunity>> ListAsync(CancellationToken cancellationToken = default) =>
        (await cache.GetOrCreateAsync(CacheKey, item =>
        {
            item.AbsoluteExpirationRelativeToNow = Freshness;
            return LoadAsync(cancellationToken);
        }))!;

    public async Task<bool> IsServedAsync(long communityCode, CancellationToken cancellationToken = default)
    {
        var code = communityCode.ToString(CultureInfo.InvariantCulture);
        if ((await ListAsync(cancellationToken)).Any(c => c.Code == code)) return true;
        // Only a positive answer is trusted from the cache; a miss may be a grid added since, so ask the database.
        await using var db = await dbFactory.CreateSystemContextAsync(cancellationToken);
        var served = await db.Grids.AnyAsync(g => g.CommunityCode == communityCode, cancellationToken)
            && await db.Jurisdictions.AnyAsync(j => j.Code == code, cancellationToken);
        if (served) cache.Remove(CacheKey);
        return served;
    }

    private async Task<IReadOnlyList<PublicCommunity>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateSystemContextAsync(cancellationToken);
        var codes = (await db.Grids.Select(g => g.CommunityCode).Distinct().ToListAsync(cancellationToken))
            .Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList();
        return await db.Jurisdictions.Where(j => codes.Contains(j.Code)).OrderBy(j => j.Code)
            .Select(j => new PublicCommunity(j.Code, j.Name)).ToListAsync(cancellationToken);
    }
}
