using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Hotline;

public sealed record PublicCommunity(string Code, string Name);

/// <summary>The committees a resident can report to: those with at least one grid, i.e. someone to send the order to.</summary>
public sealed class ServedCommunities(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<IReadOnlyList<PublicCommunity>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateSystemContextAsync(cancellationToken);
        var codes = (await db.Grids.Select(g => g.CommunityCode).Distinct().ToListAsync(cancellationToken))
            .Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList();
        return await db.Jurisdictions.Where(j => codes.Contains(j.Code)).OrderBy(j => j.Code)
            .Select(j => new PublicCommunity(j.Code, j.Name)).ToListAsync(cancellationToken);
    }

    public static async Task<bool> IsServedAsync(AppDbContext db, long communityCode, CancellationToken cancellationToken)
    {
        var code = communityCode.ToString(CultureInfo.InvariantCulture);
        return await db.Grids.AnyAsync(g => g.CommunityCode == communityCode, cancellationToken)
            && await db.Jurisdictions.AnyAsync(j => j.Code == code, cancellationToken);
    }

    // FilePublicRequest (edited elsewhere in parallel) still takes its context from here; it can move to CreateSystemContextAsync directly.
    internal Task<AppDbContext> SystemContextAsync(CancellationToken cancellationToken) => dbFactory.CreateSystemContextAsync(cancellationToken);
}
