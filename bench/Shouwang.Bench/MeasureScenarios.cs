using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Bench;

/// <summary>
/// Issue #4's figure: issuing measures to 10,000 contacts in one request (POST /api/v1/measures/bulk) in under 5 s, on SQLite.
/// Each run takes 10,000 persons who have no measure yet, so every run writes the same amount.
/// </summary>
public static class MeasureScenarios
{
    private const string Area = "430202";
    private const int RowsPerRequest = 10_000;
    private const int Runs = 5;

    public static async Task RunAsync(BenchContext context)
    {
        var people = RowsPerRequest * Runs + 5_000;
        Console.WriteLine();
        Console.WriteLine($"== Measures: {Runs} bulk issues of {RowsPerRequest:N0} close contacts each, on {people:N0} seeded persons (SQLite) ==");
        var folder = context.NewFolder("measures");
        var file = Path.Combine(context.Root, "seed-measures.db");
        var connection = $"Data Source={file}";
        var environment = new Dictionary<string, string>
        {
            ["Shouwang__Database__Provider"] = "Sqlite",
            ["Shouwang__Database__ConnectionString"] = connection,
            ["Shouwang__Demo"] = "false",
        };
        if (await Scenarios.SeedAsync(context, environment, folder, people, "", "measures") is null) return;
        var password = await BenchAccounts.CreateAsync(context, environment, folder, "bench", "Admin", "43");

        await using var server = AppProcess.StartServer(context, environment, Path.Combine(folder, "server.log"));
        server.BenchAccount = ("bench", password);
        await Scenarios.WaitUntilAsync(server, $"/api/v1/jurisdictions/{Area}", json => json.GetProperty("counts").GetProperty("persons").GetInt32());
        using var client = Http.Create(server.BaseUrl, 1, TimeSpan.FromMinutes(5), BenchAccounts.Tokens[server.BaseUrl]);

        // 第九版 in force for the whole district, as the command would put it.
        var policies = await Http.GetJsonAsync(client, "/api/v1/policies");
        var ninth = policies.EnumerateArray().Single(p => p.GetProperty("code").GetString() == "NHC-9").GetProperty("id").GetGuid();
        using (var put = await client.PostAsJsonAsync($"/api/v1/policies/{ninth}/in-force", new { jurisdictionCode = Area, fromDay = "2022-06-28" }))
        {
            if (!put.IsSuccessStatusCode) throw new HttpRequestException($"in force: {(int)put.StatusCode} {Http.Shorten(await put.Content.ReadAsStringAsync())}");
        }

        List<Guid> ids;
        var options = new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).AddInterceptors(new SqlitePragmaInterceptor()).Options;
        using (CallerContext.AsSystem())
        {
            await using var db = new SqliteAppDbContext(options);
            ids = await db.Persons.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).Take(RowsPerRequest * Runs).ToListAsync();
        }
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        var times = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            var rows = ids.Skip(run * RowsPerRequest).Take(RowsPerRequest).Select((id, i) => new { personId = id, anchorDay = today.AddDays(-(i % 4)) }).ToList();
            var body = new { category = "CloseContact", reason = "聚集性疫情密接批量判定（bench）", basis = "Other", siteName = "金山酒店隔离点", rows };
            var start = Stopwatch.GetTimestamp();
            using var response = await client.PostAsJsonAsync("/api/v1/measures/bulk", body);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"bulk: {(int)response.StatusCode} {Http.Shorten(text)}");
            times.Add(seconds);
            Console.WriteLine($"  run {run + 1}: {seconds:F2} s  {Http.Shorten(text[..Math.Min(text.Length, 120)])}");
        }
        var median = times.Order().ElementAt(times.Count / 2);
        Console.WriteLine($"  median {median:F2} s, min {times.Min():F2} s, max {times.Max():F2} s");
        context.Summary.Add($"Bulk issue of {RowsPerRequest:N0} measures in one request (SQLite, median of {Runs})", $"{median:F2} s", $"max {times.Max():F2} s", "< 5 s", median < 5);
        context.Summary.Add("Server peak RSS, measures", $"{server.PeakRssMb():F0} MB", "-", "-", null);
    }
}
