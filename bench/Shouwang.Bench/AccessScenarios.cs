using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Bench;

/// <summary>
/// Issue #3's figures, on a seeded SQLite database: (6) scoped search against the unscoped time, (7) what the audit
/// entry adds to a write, (8) public requests at a fixed rate while one phone number floods.
/// </summary>
public static class AccessScenarios
{
    private const string Street = "430202005";
    private const string Committee = "430202005001";

    public static async Task RunAsync(BenchContext context)
    {
        var people = context.Options.People;
        var label = people % 1_000_000 == 0 ? $"{people / 1_000_000}M" : $"{people / 1000.0:0.#}k";
        Heading($"6-8. Access, audit and public intake on {people:N0} seeded persons (SQLite)");
        var folder = context.NewFolder($"access-{label}");
        var file = Path.Combine(context.Root, $"seed{label.ToLowerInvariant()}-access.db");
        var connection = $"Data Source={file}";
        var environment = new Dictionary<string, string>
        {
            ["Shouwang__Database__Provider"] = "Sqlite",
            ["Shouwang__Database__ConnectionString"] = connection,
            ["Shouwang__Demo"] = "false",
        };
        if (await Scenarios.SeedAsync(context, environment, folder, people, "", label) is null) return;
        // "Unscoped": an administrator of the province, whose subtree holds every seeded person; scoped: a street administrator
        // and a community clerk. The filter is the same code for all three; only its range differs.
        var accounts = new (string User, string Roles, string Node)[] { ("bench", "Admin", "43"), ("street", "Admin", Street), ("clerk", "CommunityWorker", Committee) };
        var initial = new Dictionary<string, string>();
        foreach (var (user, roles, node) in accounts) initial[user] = await BenchAccounts.CreateAsync(context, environment, folder, user, roles, node);

        await using var server = AppProcess.StartServer(context, environment, Path.Combine(folder, "server.log"));
        server.BenchAccount = ("bench", initial["bench"]);
        await Scenarios.WaitUntilAsync(server, $"/api/v1/jurisdictions/{Street}", json => json.GetProperty("counts").GetProperty("persons").GetInt32());
        var tokens = new Dictionary<string, string> { ["bench"] = BenchAccounts.Tokens[server.BaseUrl] };
        foreach (var (user, _, _) in accounts.Skip(1)) tokens[user] = await BenchAccounts.SignInAsync(server.BaseUrl, user, initial[user]);

        await ScopedSearchAsync(context, server, tokens, label);
        await AuditOverheadAsync(context, server, connection);
        await PublicIntakeAsync(context, server);
        context.Summary.Add($"Server peak RSS, access ({label})", $"{server.PeakRssMb():F0} MB", "-", "< 400 MB", server.PeakRssMb() < 400);
    }

    /// <summary>(6) the same search list, one request at a time, as each caller; medians side by side.</summary>
    private static async Task ScopedSearchAsync(BenchContext context, AppProcess server, Dictionary<string, string> tokens, string label)
    {
        var options = context.Options;
        var requests = options.AccessRequests;
        Console.WriteLine($"  6. Scoped search: the search mix of part 2 ({requests} requests, concurrency 1) as each caller, same list, same order");
        using var sampler = Http.Create(server.BaseUrl, 1, TimeSpan.FromMinutes(2), tokens["bench"]);
        var pools = await SearchMix.SampleAsync(sampler, Street);
        var warmup = SearchMix.Build(pools, Committee, 30, seed: 11);
        var measured = SearchMix.Build(pools, Committee, requests, seed: 12);
        var budget = TimeSpan.FromSeconds(options.SearchSeconds);
        var results = new Dictionary<string, LatencyStats>();
        // Two rounds, alternating callers, so a drift of the machine's load doesn't favour whoever runs last.
        var samples = tokens.Keys.ToDictionary(k => k, _ => new List<(double, bool)>());
        foreach (var round in new[] { 0, 1 })
        {
            foreach (var (user, token) in round == 0 ? tokens.ToList() : tokens.Reverse().ToList())
            {
                using var client = Http.Create(server.BaseUrl, 1, TimeSpan.FromMinutes(2), token);
                if (round == 0) await LoadRunner.RunAsync(client, warmup, 1, budget);
                var half = round == 0 ? measured.Take(requests / 2).ToList() : measured.Skip(requests / 2).ToList();
                var result = await LoadRunner.RunAsync(client, half, 1, budget);
                samples[user].AddRange(result.Samples.Select(s => (s.Ms, s.Ok)));
            }
        }
        foreach (var (user, list) in samples)
        {
            results[user] = LatencyStats.From(list);
            Console.WriteLine($"     {user,-6} {results[user]}");
        }
        var unscoped = results["bench"];
        foreach (var (user, caption) in new[] { ("bench", "unscoped (province admin, 43)"), ("street", $"scoped to the street {Street}"), ("clerk", $"scoped to the committee {Committee}") })
        {
            var stats = results[user];
            var ratio = stats.P50 / unscoped.P50;
            context.Summary.Add($"Search {caption} ({label})", LatencyStats.Ms(stats.P50), LatencyStats.Ms(stats.P95),
                user == "bench" ? "-" : "median ≤ 1.2 × unscoped", user == "bench" ? null : ratio <= 1.2 && stats.Errors == 0);
            if (user != "bench") Console.WriteLine($"     {user}: median {ratio:F2} × unscoped");
        }
    }

    /// <summary>
    /// (7) The audit entry is written by SaveChanges in the write's own transaction. Its cost is measured where it happens:
    /// the same person update saved with and without the audit entry, alternating, on the server's database file; set
    /// against the median of the whole HTTP write (PUT /api/v1/persons/{id}).
    /// </summary>
    private static async Task AuditOverheadAsync(BenchContext context, AppProcess server, string connection)
    {
        const int writes = 200;
        Console.WriteLine($"  7. Audit cost of a write: {writes} HTTP updates, then {writes} saves each with and without the audit entry (alternating)");
        using var client = Http.Create(server.BaseUrl, 1, TimeSpan.FromMinutes(1));
        var list = await Http.GetJsonAsync(client, $"/api/v1/persons?jurisdiction={Committee}&pageSize=1");
        var id = list.GetProperty("items")[0].GetProperty("id").GetGuid();
        var person = await Http.GetJsonAsync(client, $"/api/v1/persons/{id}");
        var http = new List<(double, bool)>();
        for (var i = 0; i < writes + 10; i++)
        {
            var body = new
            {
                documentType = person.GetProperty("documentType").GetString(),
                name = person.GetProperty("name").GetString(),
                householdId = person.GetProperty("householdId").GetGuid(),
                relationToHead = person.GetProperty("relationToHead").GetString(),
                residenceType = person.GetProperty("residenceType").GetString(),
                tags = person.GetProperty("tags").GetString(),
                vaccinationDoses = person.GetProperty("vaccinationDoses").GetInt32(),
                notes = $"bench {i}",
            };
            var start = Stopwatch.GetTimestamp();
            using var response = await client.PutAsJsonAsync($"/api/v1/persons/{id}", body);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"PUT person: {(int)response.StatusCode} {Http.Shorten(await response.Content.ReadAsStringAsync())}");
            if (i >= 10) http.Add((ms, true));
        }
        var request = LatencyStats.From(http);

        var options = new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).AddInterceptors(new SqlitePragmaInterceptor()).Options;
        var with = new List<(double, bool)>();
        var without = new List<(double, bool)>();
        using (CallerContext.AsSystem())
        {
            for (var i = 0; i < 2 * writes + 20; i++)
            {
                await using var db = new SqliteAppDbContext(options);
                db.AuditEntityWrites = i % 2 == 0;
                var row = await db.Persons.FirstAsync(p => p.Id == id);
                row.Notes = $"bench in-process {i}";
                var start = Stopwatch.GetTimestamp();
                await db.SaveChangesAsync();
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (i >= 20) (db.AuditEntityWrites ? with : without).Add((ms, true));
            }
        }
        var saveWith = LatencyStats.From(with);
        var saveWithout = LatencyStats.From(without);
        var added = saveWith.P50 - saveWithout.P50;
        Console.WriteLine($"     HTTP PUT /persons/{{id}} (with audit): {request}");
        Console.WriteLine($"     SaveChanges with audit entry:    {saveWith}");
        Console.WriteLine($"     SaveChanges without audit entry: {saveWithout}");
        Console.WriteLine($"     the audit entry adds {added:F2} ms = {added / request.P50:P1} of the write request's median, {added / saveWithout.P50:P1} of the bare save");
        var s = context.Summary;
        s.Add("Write request PUT /persons/{id} (with audit)", LatencyStats.Ms(request.P50), LatencyStats.Ms(request.P95), "-", null);
        s.Add("SaveChanges with / without audit entry", $"{LatencyStats.Ms(saveWith.P50)} / {LatencyStats.Ms(saveWithout.P50)}", "-", "-", null);
        s.Add("Audit share of a write request", $"{added / request.P50:P1}", "-", "< 10 %", added / request.P50 < 0.10);
    }

    /// <summary>(8) residents' requests at a fixed rate (open loop, distinct phones and addresses) while one phone floods.</summary>
    private static async Task PublicIntakeAsync(BenchContext context, AppProcess server)
    {
        var rate = context.Options.PublicRate;
        var seconds = context.Options.PublicSeconds;
        const int floodRate = 20;
        var total = rate * seconds;
        Console.WriteLine($"  8. Public requests: {rate}/s for {seconds} s ({total} requests, each from its own phone and address), while one phone sends {floodRate}/s");
        using var client = Http.Create(server.BaseUrl, 256, TimeSpan.FromSeconds(30), token: "");
        // Warm the endpoint (JIT, connections) with a few requests from other numbers.
        for (var i = 0; i < 10; i++) await PostAsync(client, $"1370000{i:0000}", $"预热小区{i}栋");
        var samples = new (double Ms, HttpStatusCode Status)[total];
        var flood = new List<HttpStatusCode>();
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(total + (floodRate * seconds));
        for (var i = 0; i < total; i++)
        {
            var index = i;
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            tasks.Add(Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                var status = await PostAsync(client, $"139{index:00000000}", $"基准小区{index / 100}栋{index % 100 + 1}室");
                samples[index] = (Stopwatch.GetElapsedTime(start).TotalMilliseconds, status);
            }));
            if (i % Math.Max(1, rate / floodRate) == 0)
            {
                tasks.Add(Task.Run(async () =>
                {
                    var status = await PostAsync(client, "13911112222", $"洪水小区{index}号");
                    lock (flood) flood.Add(status);
                }));
            }
        }
        var sent = clock.Elapsed;
        await Task.WhenAll(tasks);
        var wall = clock.Elapsed;
        var stats = LatencyStats.From(samples.Select(s => (s.Ms, s.Status == HttpStatusCode.Created)).ToList());
        var errors = samples.Count(s => s.Status != HttpStatusCode.Created);
        var accepted = flood.Count(s => s == HttpStatusCode.Created);
        var rejected = flood.Count(s => s == HttpStatusCode.TooManyRequests);
        Console.WriteLine($"     distinct residents: {stats}; sent in {sent.TotalSeconds:F1} s, all answered after {wall.TotalSeconds:F1} s ({total / wall.TotalSeconds:F0}/s)");
        Console.WriteLine($"     statuses: {string.Join(", ", samples.GroupBy(s => s.Status).Select(g => $"{(int)g.Key}×{g.Count()}"))}");
        Console.WriteLine($"     flood from one phone: {flood.Count} sent, {accepted} accepted, {rejected} rejected with 429, {flood.Count - accepted - rejected} other");
        var s = context.Summary;
        s.Add($"Public requests at {rate}/s for {seconds} s (errors)", $"{errors} of {total}", "-", "0", errors == 0);
        s.Add($"Public request latency at {rate}/s", LatencyStats.Ms(stats.P50), LatencyStats.Ms(stats.P95), "-", null);
        s.Add("Flood from one phone: accepted / rejected (429)", $"{accepted} / {rejected} of {flood.Count}", "-", "≤ limit / rest", accepted <= 5 && accepted + rejected == flood.Count);
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string phone, string address)
    {
        try
        {
            using var response = await client.PostAsJsonAsync("/api/v1/public/requests", new
            {
                kind = "ResidentRequest", need = "Food", communityCode = Committee, address, name = "居民", phone, description = "家中缺少蔬菜和米，请帮忙代购",
            });
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    private static void Heading(string text)
    {
        Console.WriteLine();
        Console.WriteLine($"== {text} ==  (load average {BenchContext.LoadAverage()})");
    }
}
