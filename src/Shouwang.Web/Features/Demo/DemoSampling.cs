using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Demo;

/// <summary>
/// Demo only: an open 10:1 round over 晏家湾 and its sampling site with the demo sampler (caiyang) assigned, so /sampling has
/// somewhere to work. No samples: the demo starts with everyone missing.
/// </summary>
public sealed class DemoSampling(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock)
{
    public async Task SeedIfNoneAsync(CancellationToken cancellationToken = default)
    {
        using var _ = CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.TestingRounds.AnyAsync(cancellationToken) || await db.SamplingSites.AnyAsync(cancellationToken)) return;
        var sampler = await db.Users.AsNoTracking().FirstOrDefaultAsync(a => a.UserName == "caiyang" && a.IsDemo, cancellationToken);
        if (sampler is null) return;
        var community = long.Parse(DemoAccounts.Community);
        var now = clock.UtcNow;
        var grid = await db.Grids.Where(g => g.CommunityCode == community).OrderBy(g => g.Name).Select(g => (Guid?)g.Id).FirstOrDefaultAsync(cancellationToken);
        var site = new SamplingSite
        {
            Name = "晏家湾社区核酸采样点", Address = "晏家湾社区党群服务中心广场", CommunityCode = community, GridId = grid,
            OpensAt = new TimeOnly(7, 0), ClosesAt = new TimeOnly(21, 0), CreatedAt = now, UpdatedAt = now,
        };
        var round = new TestingRound
        {
            Name = "晏家湾社区全员核酸检测（演示）", StartsAt = now.AddHours(-1), EndsAt = now.AddDays(2), PoolSize = 10, State = RoundState.Open,
            CreatedByName = "指挥部值班", CreatedAt = now, UpdatedAt = now,
        };
        var (min, max) = JurisdictionCode.Parse(DemoAccounts.Community).SubtreeRange;
        db.SamplingSites.Add(site);
        db.SamplingSiteStaff.Add(new SamplingSiteStaff { SiteId = site.Id, CommunityCode = community, AccountId = sampler.Id, AccountName = sampler.DisplayName, AssignedAt = now });
        db.TestingRounds.Add(round);
        db.TestingRoundScopes.Add(new TestingRoundScope { RoundId = round.Id, NodeCode = DemoAccounts.Community, Min = min, Max = max });
        await db.SaveChangesAsync(cancellationToken);
    }
}
