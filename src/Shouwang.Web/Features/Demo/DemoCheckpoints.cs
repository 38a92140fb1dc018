using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.PassCards;
using Shouwang.Domain.PlaceCodes;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Demo;

/// <summary>
/// Demo only: the gates of the demo street, so the demo guard (kakou) has somewhere to scan — a compound gate and a village
/// road in 晏家湾, a traffic health point guarding the whole street — plus 晏家湾's pass-card rule (one person per household
/// every two days, back within four hours) and two places with place codes.
/// </summary>
public sealed class DemoCheckpoints(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock)
{
    public async Task SeedIfNoneAsync(CancellationToken cancellationToken = default)
    {
        using var _ = CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Checkpoints.AnyAsync(cancellationToken)) return;
        var community = long.Parse(DemoAccounts.Community);
        var now = clock.UtcNow;
        var compound = await db.Compounds.Where(c => c.CommunityCode == community).OrderBy(c => c.Name).FirstOrDefaultAsync(cancellationToken);
        var grid = await db.Grids.Where(g => g.CommunityCode == community).OrderBy(g => g.Name).Select(g => (Guid?)g.Id).FirstOrDefaultAsync(cancellationToken);

        Checkpoint Gate(string name, CheckpointKind kind, string guarded, string location) => new()
        {
            Name = name, Kind = kind, CommunityCode = community, GridId = grid, GuardedCode = guarded, Location = location,
            YellowCode = Checkpoint.DefaultYellowCode(kind), CreatedAt = now, UpdatedAt = now,
        };
        var gate = Gate($"{compound?.Name ?? "晏家湾小区"}南门", CheckpointKind.CompoundGate, DemoAccounts.Community, "南门岗亭");
        gate.CompoundId = compound?.Id;
        db.Checkpoints.AddRange(
            gate,
            Gate("晏家湾村口卡点", CheckpointKind.VillageRoad, DemoAccounts.Community, "晏家湾路与金山路交叉口"),
            Gate("金山街道交通健康服务点", CheckpointKind.TrafficHealthPoint, DemoSeeder.DemoStreet, "沪昆高速金山收费站出口"));
        db.PassCardRules.Add(new PassCardRule
        {
            CommunityCode = community, PersonsPerWindow = 1, WindowDays = 2, MaxHoursOut = 4, UpdatedByName = "指挥部值班", UpdatedAt = now,
        });
        db.Places.AddRange(
            new Place { Name = "晏家湾生活超市", Kind = PlaceKind.Supermarket, Address = "晏家湾路18号", CommunityCode = community, GridId = grid, CreatedAt = now, UpdatedAt = now },
            new Place { Name = "金山大药房", Kind = PlaceKind.Pharmacy, Address = "金山路66号", CommunityCode = community, GridId = grid, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
    }
}
