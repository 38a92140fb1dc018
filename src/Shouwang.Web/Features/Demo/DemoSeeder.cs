using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Demo;

/// <summary>
/// The demo sub-district 湖南省株洲市荷塘区金山街道 (430202005) with its real committees, and larger generated
/// populations for benchmarks. Only ever writes into committees that hold nobody yet.
/// </summary>
public sealed class DemoSeeder(IDbContextFactory<AppDbContext> dbFactory, DivisionImporter divisions, LocalClock clock, ILogger<DemoSeeder> logger)
{
    public const string DemoStreet = "430202005";
    public const int DemoPopulation = 41_200;
    public const int DemoSeed = 20220414;

    /// <summary>First start on an empty database: the shipped divisions, then the demo street.</summary>
    public async Task SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Persons.AnyAsync(cancellationToken)) return;
            if (!await db.Jurisdictions.AnyAsync(cancellationToken)) await divisions.ImportEmbeddedAsync(cancellationToken);
        }
        await SeedAsync(DemoStreet, DemoPopulation, DemoSeed, cancellationToken);
    }

    /// <summary>Spreads <paramref name="people"/> over the empty committees under <paramref name="under"/>; returns persons written.</summary>
    public async Task<int> SeedAsync(string under, int people, int seed, CancellationToken cancellationToken = default)
    {
        // Seeding is the platform's own work, whoever starts it.
        using var _ = CallerContext.AsSystem();
        var code = JurisdictionCode.Parse(under);
        var (min, max) = code.SubtreeRange;
        List<Jurisdiction> committees;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var occupied = await db.Persons.Where(p => p.CommunityCode >= min && p.CommunityCode <= max)
                .Select(p => p.CommunityCode).Distinct().ToListAsync(cancellationToken);
            committees = (await db.Jurisdictions.AsNoTracking()
                .Where(j => j.Level == JurisdictionLevel.Community && j.Code.StartsWith(code.Value)).OrderBy(j => j.Code).ToListAsync(cancellationToken))
                .Where(j => !occupied.Contains(long.Parse(j.Code))).ToList();
        }
        if (committees.Count == 0) throw new InvalidOperationException($"No empty committee under {under} (load divisions first, or choose another code)");

        // Urban residents' committees are larger than villages.
        var weights = committees.Select(c => JurisdictionCode.Parse(c.Code).IsVillage ? 0.6 : 1.4).ToList();
        var totalWeight = weights.Sum();
        var generator = new PopulationGenerator(seed, clock.UtcNow);
        var written = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < committees.Count; i++)
        {
            var target = i == committees.Count - 1 ? people - written : (int)Math.Round(people * weights[i] / totalWeight);
            if (target <= 0) continue;
            var generated = generator.Generate(committees[i], target);
            await BulkWriter.WriteAsync(dbFactory, generated, cancellationToken);
            written += generated.Persons.Count;
            logger.LogInformation("Seeded {Community} {Name}: {Persons} persons in {Households} households", committees[i].Code, committees[i].Name,
                generated.Persons.Count, generated.Households.Count);
        }
        logger.LogInformation("Seeded {Persons} persons under {Code} in {Seconds:F1} s", written, under, watch.Elapsed.TotalSeconds);
        return written;
    }
}
