using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.FollowUps;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Bench;

/// <summary>
/// Issue #4's figure: the day's follow-up list for a street with 50,000 people under measures (a third of them checked twice a
/// day, about 40 % of today's checks recorded), on SQLite. Seeds the street with the app's `seed` verb, lays the courses in
/// directly (one restriction and one stage per person, started today so the server's start-up catch-up has nothing to flag),
/// then times GET /follow-ups over HTTP as the street's administrator: all grids, first page, and the Due filter.
/// </summary>
public static class FollowUpScenarios
{
    private const string Street = "430202005";
    private const int UnderMeasures = 50_000;
    private const double TargetMs = 2000;

    public static async Task RunAsync(BenchContext context)
    {
        Console.WriteLine();
        Console.WriteLine($"== 9. Follow-ups: the day's list for {UnderMeasures:N0} people under measures in {Street} (SQLite) ==");
        var folder = context.NewFolder("followups");
        var file = Path.Combine(context.Root, "followups.db");
        var connection = $"Data Source={file}";
        var environment = new Dictionary<string, string>
        {
            ["Shouwang__Database__Provider"] = "Sqlite",
            ["Shouwang__Database__ConnectionString"] = connection,
            ["Shouwang__Demo"] = "false",
        };
        var people = Math.Max(UnderMeasures + 10_000, 70_000);
        var watch = Stopwatch.StartNew();
        await using (var seed = AppProcess.Start(context, ["seed", "--under", Street, "--people", people.ToString(CultureInfo.InvariantCulture)],
            environment, Path.Combine(folder, "seed.log")))
        {
            var exit = await seed.WaitForExitAsync(TimeSpan.FromMinutes(30));
            if (exit != 0) throw new InvalidOperationException($"seed exited {exit}: {seed.Tail()}");
        }
        Console.WriteLine($"  Seeded {people:N0} persons under {Street} in {watch.Elapsed.TotalSeconds:F1} s");

        watch.Restart();
        var (measures, slots, recorded) = await LayCoursesAsync(connection);
        Console.WriteLine($"  Laid {measures:N0} stages in force today ({slots:N0} checks due, {recorded:N0} recorded) in {watch.Elapsed.TotalSeconds:F1} s");

        var initial = await BenchAccounts.CreateAsync(context, environment, folder, "bench", "Admin", Street);
        await using var server = AppProcess.StartServer(context, environment, Path.Combine(folder, "server.log"));
        server.BenchAccount = ("bench", initial);
        await Scenarios.WaitUntilAsync(server, $"/api/v1/jurisdictions/{Street}", json => json.GetProperty("counts").GetProperty("persons").GetInt32());
        using var client = Http.Create(server.BaseUrl, 1, TimeSpan.FromMinutes(2));
        (string Figure, string Url)[] lists =
        [
            ("Follow-up list, whole street, first page", $"/api/v1/follow-ups?jurisdiction={Street}&pageSize=50"),
            ("Follow-up list, whole street, Due only", $"/api/v1/follow-ups?jurisdiction={Street}&state=Due&pageSize=50"),
            ("Follow-up list, whole street, page 100", $"/api/v1/follow-ups?jurisdiction={Street}&pageSize=50&page=100"),
        ];
        foreach (var (figure, url) in lists)
        {
            var result = await LoadRunner.RepeatAsync(client, url, warmup: 2, runs: 9, TimeSpan.FromMinutes(5));
            var stats = result.Overall;
            Console.WriteLine($"  GET {url}: {stats}");
            context.Summary.Add($"{figure} ({UnderMeasures / 1000}k under measures)", LatencyStats.Ms(stats.P50), LatencyStats.Ms(stats.P95),
                $"median < {TargetMs / 1000:F0} s", stats.P50 < TargetMs && stats.Errors == 0);
        }
        Console.WriteLine($"  Server VmHWM {server.PeakRssMb():F0} MB");
    }

    /// <summary>Courses for the first 50,000 persons of the street: home quarantine (2 checks), centralised quarantine (2), monitoring (1).</summary>
    private static async Task<(int Measures, int Slots, int Recorded)> LayCoursesAsync(string connection)
    {
        var options = new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).Options;
        using var _ = CallerContext.AsSystem();
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, shanghai).DateTime);
        var now = DateTime.UtcNow;
        List<(Guid Id, long CommunityCode, Guid? GridId)> persons;
        await using (var db = new SqliteAppDbContext(options))
        {
            var (min, max) = Domain.Jurisdictions.JurisdictionCode.Parse(Street).SubtreeRange;
            persons = (await db.Persons.AsNoTracking().Where(p => p.CommunityCode >= min && p.CommunityCode <= max).OrderBy(p => p.Id)
                .Select(p => new { p.Id, p.CommunityCode, p.GridId }).Take(UnderMeasures).ToListAsync())
                .Select(p => (p.Id, p.CommunityCode, p.GridId)).ToList();
        }
        var random = new Random(4);
        var slots = 0;
        var recorded = 0;
        foreach (var chunk in persons.Chunk(5_000))
        {
            await using var db = new SqliteAppDbContext(options);
            db.AuditEntityWrites = false;
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var (id, community, grid) in chunk)
            {
                var kind = random.Next(3) switch { 0 => MeasureKind.HomeQuarantine, 1 => MeasureKind.CentralisedQuarantine, _ => MeasureKind.HomeHealthMonitoring };
                var checks = kind == MeasureKind.HomeHealthMonitoring ? 1 : 2;
                var restriction = new Restriction
                {
                    PersonId = id, CommunityCode = community, GridId = grid, Kind = RestrictionKind.ControlMeasure, Reason = "bench 密接管控",
                    Basis = RestrictionBasis.Contact, BasisReference = "BENCH", Until = today.AddDays(4), State = RestrictionState.Active,
                    RequestedByName = "bench", RequestedAt = now,
                };
                var stage = new ControlMeasure
                {
                    CourseId = restriction.Id, PersonId = id, CommunityCode = community, GridId = grid, Category = PersonCategory.CloseContact, Kind = kind,
                    StageIndex = 0, StageCount = 1, PolicyCode = "NHC-9", AnchorDay = today.AddDays(-3), IdentifiedDay = today,
                    // Found late: day 3 of 7, served from today, so the start-up catch-up has no earlier day to flag.
                    StageFirstDay = today.AddDays(-2), StartDay = today, EndDay = today.AddDays(4), TestDays = "1,2,5,7", ChecksPerDay = checks,
                    Place = kind == MeasureKind.CentralisedQuarantine ? MeasurePlace.QuarantineSite : MeasurePlace.Home, PlaceName = "bench",
                    Basis = RestrictionBasis.Contact, BasisReference = "BENCH", State = MeasureState.Active, CreatedByName = "bench", CreatedAt = now,
                };
                db.Restrictions.Add(restriction);
                db.ControlMeasures.Add(stage);
                for (var slot = 1; slot <= checks; slot++)
                {
                    slots++;
                    if (random.NextDouble() >= 0.4) continue;
                    recorded++;
                    db.FollowUps.Add(new FollowUp
                    {
                        MeasureId = stage.Id, PersonId = id, CommunityCode = community, GridId = grid, Day = today, Slot = slot, Reached = true,
                        Temperature = 36.5m, RecordedAt = now, RecordedByName = "bench",
                    });
                }
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
        }
        return (persons.Count, slots, recorded);
    }
}
