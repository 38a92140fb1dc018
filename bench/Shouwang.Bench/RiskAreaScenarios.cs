using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Policies;

namespace Shouwang.Bench;

/// <summary>
/// Issue #4's figure: the daily release evaluation (POST /risk-areas/evaluate) over N seeded persons with a few hundred active
/// areas (buildings, compounds, whole committees; infections, complete, incomplete and positive screenings) under 第九版 and 二十条.
/// </summary>
public static class RiskAreaScenarios
{
    private const int Areas = 500;
    private const int Runs = 7;

    public static async Task RunAsync(BenchContext context)
    {
        var people = context.Options.People;
        var label = people % 1_000_000 == 0 ? $"{people / 1_000_000}M" : $"{people / 1000.0:0.#}k";
        Console.WriteLine();
        Console.WriteLine($"== 9. Daily risk-area release evaluation on {people:N0} seeded persons, {Areas} areas (SQLite) ==  (load average {BenchContext.LoadAverage()})");
        var folder = context.NewFolder($"release-{label}");
        var connection = $"Data Source={Path.Combine(context.Root, $"seed{label.ToLowerInvariant()}-release.db")}";
        var environment = new Dictionary<string, string>
        {
            ["Shouwang__Database__Provider"] = "Sqlite",
            ["Shouwang__Database__ConnectionString"] = connection,
            ["Shouwang__Demo"] = "false",
        };
        if (await Scenarios.SeedAsync(context, environment, folder, people, "", label) is null) return;
        var initial = await BenchAccounts.CreateAsync(context, environment, folder, "bench", "Admin", "43");
        await using var server = AppProcess.StartServer(context, environment, Path.Combine(folder, "server.log"));
        server.BenchAccount = ("bench", initial);
        await Scenarios.WaitUntilAsync(server, "/api/v1/jurisdictions/430202", json => json.GetProperty("counts").GetProperty("persons").GetInt32());
        using var client = Http.Create(server.BaseUrl, 1, TimeSpan.FromMinutes(2), BenchAccounts.Tokens[server.BaseUrl]);

        var options = new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).AddInterceptors(new SqlitePragmaInterceptor()).Options;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        var arrange = Stopwatch.StartNew();
        int designated;
        using (CallerContext.AsSystem())
        {
            await using var db = new SqliteAppDbContext(options);
            designated = await ArrangeAsync(db, today);
        }
        Console.WriteLine($"  Designated {designated} areas with infections and screenings in {arrange.Elapsed.TotalSeconds:F1} s");

        var fresh = new List<double>();
        var repeat = new List<double>();
        EvaluationResult? last = null;
        for (var run = 0; run < Runs; run++)
        {
            using (CallerContext.AsSystem())
            {
                await using var db = new SqliteAppDbContext(options);
                await db.Alerts.Where(a => a.Kind == AlertKind.ReleaseProposed).ExecuteDeleteAsync();
                await db.RiskAreaEvents.Where(e => e.Kind == RiskAreaEventKind.ReleaseProposed).ExecuteDeleteAsync();
                await db.RiskAreaReleaseProposals.ExecuteDeleteAsync();
            }
            var (ms, result) = await EvaluateAsync(client);
            var (again, _) = await EvaluateAsync(client);
            fresh.Add(ms);
            repeat.Add(again);
            last = result;
            Console.WriteLine($"  run {run + 1}: {ms:F0} ms (evaluated {result.Evaluated}, proposed {result.Proposed}); again the same day {again:F0} ms");
        }
        var median = Median(fresh);
        Console.WriteLine($"  POST /risk-areas/evaluate: median {median:F0} ms over {Runs} runs (each writing {last?.Proposed} proposals + events + alerts); idempotent re-run median {Median(repeat):F0} ms");
        context.Summary.Add($"Release evaluation, {designated} areas on {label} persons (POST /risk-areas/evaluate)", LatencyStats.Ms(median), LatencyStats.Ms(fresh.Max()), "< 2 s", median < 2000);
        context.Summary.Add($"Server peak RSS, release ({label})", $"{server.PeakRssMb():F0} MB", "-", "< 400 MB", server.PeakRssMb() < 400);
    }

    private sealed record Place(RiskAreaScope Scope, long CommunityCode, Guid? CompoundId, Guid? BuildingId, string Name);

    private sealed record EvaluationResult(DateOnly Day, int Evaluated, int Proposed);

    private static async Task<(double Ms, EvaluationResult Result)> EvaluateAsync(HttpClient client)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync("/api/v1/risk-areas/evaluate", null);
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"evaluate: {(int)response.StatusCode} {Http.Shorten(await response.Content.ReadAsStringAsync())}");
        var result = await response.Content.ReadFromJsonAsync<EvaluationResult>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return (ms, result!);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// 第九版 for the district, 二十条 for one street; then 60 % buildings, 30 % compounds, 10 % whole committees, each with a
    /// start 3–12 days back, an infection on a third of them and a day's screening on most (some incomplete, some positive).
    /// </summary>
    private static async Task<int> ArrangeAsync(AppDbContext db, DateOnly today)
    {
        var ninth = await db.Policies.SingleAsync(p => p.Code == PolicyPresets.NinthEdition.Code);
        var twenty = await db.Policies.SingleAsync(p => p.Code == PolicyPresets.TwentyMeasures.Code);
        var twentyStreet = await db.Jurisdictions.Where(j => j.Level == JurisdictionLevel.Town && j.Code.StartsWith("430202")).OrderBy(j => j.Code).Select(j => j.Code).FirstAsync();
        foreach (var (node, policy) in new[] { ("430202", ninth), (twentyStreet, twenty) })
        {
            var (min, max) = JurisdictionCode.Parse(node).SubtreeRange;
            db.PoliciesInForce.Add(new PolicyInForce
            {
                JurisdictionCode = node, NodeMin = min, NodeMax = max, PolicyId = policy.Id, FromDay = new DateOnly(2022, 1, 1), SetByName = "bench", SetAt = DateTime.UtcNow,
            });
        }
        var (twentyMin, twentyMax) = JurisdictionCode.Parse(twentyStreet).SubtreeRange;

        var buildings = await (from b in db.Buildings join c in db.Compounds on b.CompoundId equals c.Id orderby b.Id select new { b.Id, b.CompoundId, b.CommunityCode, Name = c.Name + b.Name })
            .Take(Areas).ToListAsync();
        var used = buildings.Select(b => b.CompoundId).ToHashSet();
        var compounds = (await db.Compounds.OrderByDescending(c => c.Id).Select(c => new { c.Id, c.CommunityCode, c.Name }).Take(Areas).ToListAsync())
            .Where(c => !used.Contains(c.Id)).Take(Areas * 30 / 100).ToList();
        var communities = await db.Compounds.Select(c => c.CommunityCode).Distinct().OrderBy(c => c).Take(Areas * 10 / 100).ToListAsync();
        // Buildings fill the rest, so the count is the same whatever the seed's mix of places.
        buildings = buildings.Take(Areas - compounds.Count - communities.Count).ToList();

        var places = buildings.Select(b => new Place(RiskAreaScope.Building, b.CommunityCode, b.CompoundId, b.Id, b.Name))
            .Concat(compounds.Select(c => new Place(RiskAreaScope.Compound, c.CommunityCode, c.Id, null, c.Name)))
            .Concat(communities.Select(code => new Place(RiskAreaScope.Community, code, null, null, $"社区{code}")))
            .ToList();
        var random = new Random(4);
        var now = DateTime.UtcNow;
        foreach (var place in places)
        {
            var twentyHere = place.CommunityCode >= twentyMin && place.CommunityCode <= twentyMax;
            var level = twentyHere ? RiskAreaLevel.High : random.Next(3) == 0 ? RiskAreaLevel.Medium : RiskAreaLevel.High;
            var start = today.AddDays(-random.Next(3, 13));
            var area = new RiskArea
            {
                CommunityCode = place.CommunityCode, Scope = place.Scope, CompoundId = place.CompoundId, BuildingId = place.BuildingId, Name = place.Name,
                Level = level, StartDay = start, LevelSince = start, Reason = "bench", State = RiskAreaState.Active, CreatedByName = "bench", CreatedAt = now, UpdatedAt = now,
                LastInfectionDay = random.Next(3) == 0 ? start.AddDays(random.Next(0, today.DayNumber - start.DayNumber + 1)) : null,
            };
            db.RiskAreas.Add(area);
            db.RiskAreaEvents.Add(new RiskAreaEvent { RiskAreaId = area.Id, CommunityCode = area.CommunityCode, Kind = RiskAreaEventKind.Designated, ToLevel = level, Day = start, ByName = "bench", At = now });
            for (var day = start.AddDays(2); day <= today; day = day.AddDays(2 + random.Next(2)))
            {
                var required = 50 + random.Next(400);
                var roll = random.Next(10);
                db.RiskAreaScreenings.Add(new RiskAreaScreening
                {
                    RiskAreaId = area.Id, CommunityCode = area.CommunityCode, Day = day, Required = required,
                    Sampled = roll == 0 ? required - 3 : required, Positive = roll == 1 ? 1 : 0, RecordedByName = "bench", RecordedAt = now,
                });
            }
        }
        await db.SaveChangesAsync();
        return places.Count;
    }
}
