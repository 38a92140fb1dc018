using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Shouwang.Bench;

/// <summary>A database provider and how to get a fresh, empty database on it.</summary>
public sealed record Backend(string Label, string Provider, Func<string, Task<string>> NewDatabaseAsync)
{
    public string Prefix => Label == "sqlite" ? "" : $"[{Label}] ";

    public Dictionary<string, string> Environment(string connectionString, bool demo) => new()
    {
        ["Shouwang__Database__Provider"] = Provider,
        ["Shouwang__Database__ConnectionString"] = connectionString,
        ["Shouwang__Demo"] = demo ? "true" : "false",
    };
}

public static class Scenarios
{
    public const string DemoStreet = "430202005";
    public const string DemoCommittee = "430202005001";
    public const int DemoPopulation = 41_200;
    /// <summary>月塘街道's 文化路社区: outside the demo street, so it is empty on the demo database.</summary>
    public const string ImportCommittee = "430202001001";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>(1) first start with the demo seed; then (2) search and (3) import against the same server; its peak RSS.</summary>
    public static async Task DemoAsync(BenchContext context, Backend backend, bool search, bool import)
    {
        var summary = context.Summary;
        var prefix = backend.Prefix;
        Heading($"{prefix}1. First start on an empty database with the demo seed ({backend.Provider})");
        var connection = await backend.NewDatabaseAsync("demo");
        var folder = context.NewFolder($"{backend.Label}-demo");
        var logPath = Path.Combine(folder, "server.log");
        // A province-level admin (the import goes to a committee outside the demo street); this also applies the migrations.
        var initial = await BenchAccounts.CreateAsync(context, backend.Environment(connection, demo: true), folder, "bench", "Admin", "43");
        var watch = Stopwatch.StartNew();
        await using var server = AppProcess.StartServer(context, backend.Environment(connection, demo: true), logPath);
        server.BenchAccount = ("bench", initial);
        Console.WriteLine($"  dotnet {Path.GetFileName(context.WebDll)} --urls {server.BaseUrl}  (pid {server.Id}, log {logPath})");
        var persons = await WaitUntilAsync(server, $"/api/v1/jurisdictions/{DemoStreet}",
            json => json.GetProperty("counts").GetProperty("persons").GetInt32() is var n && Math.Abs(n - DemoPopulation) <= DemoPopulation / 100 ? n : null);
        var startSeconds = watch.Elapsed.TotalSeconds;
        var startRss = server.PeakRssMb();
        Console.WriteLine($"  {DemoStreet} answered 200 with counts.persons = {persons:N0} after {startSeconds:F2} s; VmHWM so far {startRss:F0} MB");
        summary.Add($"{prefix}First start, demo seed ({persons:N0} persons)", $"{startSeconds:F1} s", "-", "< 20 s", startSeconds < 20);

        var stages = new List<string> { $"start {startRss:F0} MB" };
        if (search)
        {
            await SearchAsync(context, server, backend, $"demo {DemoPopulation / 1000.0:F1}k");
            stages.Add($"search {server.PeakRssMb():F0} MB");
        }
        if (import)
        {
            await ImportAsync(context, server);
            stages.Add($"import {server.PeakRssMb():F0} MB");
        }
        var peak = server.PeakRssMb();
        Console.WriteLine($"  Server VmHWM after each stage: {string.Join(", ", stages)}");
        var ran = string.Join("+", new[] { "start", search ? "search" : null, import ? "import" : null }.OfType<string>());
        summary.Add($"{prefix}Server peak RSS, demo ({ran})", $"{peak:F0} MB", "-", "< 400 MB", peak < 400);
    }

    /// <summary>(2) the resident search mix: bounded warm-up, then a bounded measured run at fixed concurrency.</summary>
    public static async Task<LoadResult?> SearchAsync(BenchContext context, AppProcess server, Backend backend, string label)
    {
        var options = context.Options;
        var summary = context.Summary;
        var figure = $"{backend.Prefix}Search p50 / p95 ({label})";
        Heading($"{backend.Prefix}2. Resident search, {label}: {options.Warmup} warm-up + {options.Requests} requests, concurrency {options.Concurrency}");
        try
        {
            using var sampler = Http.Create(server.BaseUrl, 1, TimeSpan.FromMinutes(2));
            var pools = await SearchMix.SampleAsync(sampler, DemoStreet);
            Console.WriteLine($"  Sampled from {DemoStreet}: {pools}");
            Console.WriteLine($"  e.g. surnames {string.Join(" ", pools.Surnames.Take(6))}; names {string.Join(" ", pools.FullNames.Take(6))}; compounds {string.Join(" ", pools.Compounds.Take(4))}");
            var warmup = SearchMix.Build(pools, DemoCommittee, options.Warmup, seed: 1);
            var measured = SearchMix.Build(pools, DemoCommittee, options.Requests, seed: 2);
            var budget = TimeSpan.FromSeconds(options.SearchSeconds);
            using var client = Http.Create(server.BaseUrl, options.Concurrency, TimeSpan.FromMinutes(2));
            var warm = await LoadRunner.RunAsync(client, warmup, options.Concurrency, TimeSpan.FromSeconds(Math.Min(60, options.SearchSeconds)));
            Console.WriteLine($"  warm-up: {warm.Samples.Count} requests in {warm.Wall.TotalSeconds:F1} s");
            var cpuBefore = server.CpuTime();
            var result = await LoadRunner.RunAsync(client, measured, options.Concurrency, budget);
            var cpu = server.CpuTime() - cpuBefore;
            var stats = result.Overall;
            var cpuPerRequest = cpu.TotalMilliseconds / Math.Max(1, result.Samples.Count);
            Console.WriteLine($"  measured: {stats}");
            Console.WriteLine($"  throughput {result.Throughput:F1} req/s over {result.Wall.TotalSeconds:F1} s; app process CPU {cpu.TotalSeconds:F1} s " +
                $"= {cpuPerRequest:F1} ms per request, {cpu / result.Wall:F2} cores busy" + (backend.Provider == "Postgres" ? " (the database's own CPU is in postgres, not counted)" : "") +
                (result.TimedOut ? $"  (time budget {budget.TotalSeconds:F0} s reached: {result.Samples.Count} of {result.Planned} requests done)" : ""));
            Console.WriteLine("  by kind (+committee = with &jurisdiction=" + DemoCommittee + "):");
            foreach (var (kind, kindStats) in result.ByKind())
                Console.WriteLine($"    {kind,-22} n={kindStats.Count,5}  p50={LatencyStats.Ms(kindStats.P50),9}  p95={LatencyStats.Ms(kindStats.P95),9}  max={LatencyStats.Ms(kindStats.Max),9}{(kindStats.Errors > 0 ? $"  errors={kindStats.Errors}" : "")}");
            LoadResult? single = null;
            if (options.SingleClientRequests > 0)
            {
                // The same kind of mix one request at a time: the service time without queueing behind the other clients.
                single = await LoadRunner.RunAsync(client, SearchMix.Build(pools, DemoCommittee, options.SingleClientRequests, seed: 3), 1,
                    TimeSpan.FromSeconds(Math.Min(120, options.SearchSeconds)));
                Console.WriteLine($"  concurrency 1: {single.Overall}, {single.Throughput:F1} req/s" +
                    (single.TimedOut ? $" (time budget reached: {single.Samples.Count} of {single.Planned})" : ""));
            }
            var complete = !result.TimedOut && stats.Errors == 0;
            summary.Add(figure, LatencyStats.Ms(stats.P50), LatencyStats.Ms(stats.P95), "p95 < 100 ms", stats.P95 < 100 && complete);
            summary.Add($"{backend.Prefix}Search p99 / throughput / app CPU per req ({label})",
                $"{LatencyStats.Ms(stats.P99)} / {result.Throughput:F0} req/s / {cpuPerRequest:F0} ms", "-", "-", null);
            if (single is not null)
                summary.Add($"{backend.Prefix}Search at concurrency 1 ({label})", LatencyStats.Ms(single.Overall.P50), LatencyStats.Ms(single.Overall.P95), "-", null);
            if (!complete) summary.Add($"{backend.Prefix}Search run complete ({label})", $"{result.Samples.Count}/{result.Planned} done, {stats.Errors} errors", "-", "all, no errors", false);
            return result;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or TaskCanceledException or KeyNotFoundException)
        {
            Console.WriteLine($"  FAILED: {e.Message}");
            summary.Failed(figure, "p95 < 100 ms", e.Message);
            return null;
        }
    }

    /// <summary>(3) a 50,000-row roster into an empty committee: preview, then all-or-nothing commit.</summary>
    public static async Task ImportAsync(BenchContext context, AppProcess server)
    {
        var rows = context.Options.ImportRows;
        var summary = context.Summary;
        Heading($"3. Roster import of {rows:N0} rows into {ImportCommittee}");
        try
        {
            using var client = Http.Create(server.BaseUrl, 1, TimeSpan.FromMinutes(10));
            using var gridResponse = await client.PostAsJsonAsync($"/api/v1/communities/{ImportCommittee}/grids", new { name = "第1网格", staff = Array.Empty<object>() });
            var gridBody = await gridResponse.Content.ReadAsStringAsync();
            if (!gridResponse.IsSuccessStatusCode) throw new HttpRequestException($"create grid: {(int)gridResponse.StatusCode} {Http.Shorten(gridBody)}");
            var gridId = JsonDocument.Parse(gridBody).RootElement.GetProperty("id").GetString();

            var watch = Stopwatch.StartNew();
            var workbook = RosterWorkbook.Build(rows, seed: 20260101, DateOnly.FromDateTime(DateTime.Now));
            Console.WriteLine($"  Generated roster.xlsx: {workbook.Rows:N0} rows in {workbook.Households:N0} households, {workbook.Bytes.Length / 1024.0 / 1024:F1} MB, in {watch.Elapsed.TotalSeconds:F1} s (not timed)");

            var (preview, previewSeconds) = await PostRosterAsync(client, workbook.Bytes, $"mode=Preview&gridId={gridId}");
            Console.WriteLine($"  Preview: {previewSeconds:F2} s; dataRows={preview.GetProperty("dataRows").GetInt32():N0} validRows={preview.GetProperty("validRows").GetInt32():N0} badRows={preview.GetProperty("badRows").GetInt32()} issues={preview.GetProperty("issues").GetArrayLength()}; server VmHWM now {server.PeakRssMb():F0} MB");
            summary.Add($"Roster import preview ({rows:N0} rows)", $"{previewSeconds:F1} s", "-", "-", null);
            if (preview.GetProperty("validRows").GetInt32() != rows)
            {
                var first = preview.GetProperty("issues").EnumerateArray().Take(3).Select(i => i.ToString());
                throw new InvalidOperationException($"preview found {preview.GetProperty("badRows").GetInt32()} bad rows: {string.Join("; ", first)}");
            }

            var (commit, commitSeconds) = await PostRosterAsync(client, workbook.Bytes, $"mode=All&gridId={gridId}");
            var created = commit.GetProperty("personsCreated").GetInt32();
            var committed = commit.GetProperty("committed").GetBoolean();
            Console.WriteLine($"  Commit (mode=All): {commitSeconds:F2} s; committed={committed} personsCreated={created:N0} personsUpdated={commit.GetProperty("personsUpdated").GetInt32()} householdsCreated={commit.GetProperty("householdsCreated").GetInt32():N0} compoundsCreated={commit.GetProperty("compoundsCreated").GetInt32()} buildingsCreated={commit.GetProperty("buildingsCreated").GetInt32()}; server VmHWM now {server.PeakRssMb():F0} MB");
            summary.Add($"Roster import commit ({rows:N0} rows)", $"{commitSeconds:F1} s", "-", "< 30 s", commitSeconds < 30 && committed);
            summary.Add("Roster import personsCreated", $"{created:N0}", "-", $"= {rows:N0}", created == rows);

            var street = await Http.GetJsonAsync(client, $"/api/v1/jurisdictions/{ImportCommittee[..9]}");
            var committee = street.GetProperty("children").EnumerateArray().First(c => c.GetProperty("code").GetString() == ImportCommittee);
            Console.WriteLine($"  {ImportCommittee} now counts {committee.GetProperty("counts").GetProperty("persons").GetInt32():N0} persons in {committee.GetProperty("counts").GetProperty("households").GetInt32():N0} households");
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or TaskCanceledException or KeyNotFoundException)
        {
            Console.WriteLine($"  FAILED: {e.Message}");
            summary.Failed($"Roster import commit ({rows:N0} rows)", "< 30 s", e.Message);
        }
    }

    /// <summary>(4) seed N persons with the app's seed command into a new database, then time counts, a list page and the search mix on it.</summary>
    public static async Task MillionAsync(BenchContext context, Backend backend)
    {
        var people = context.Options.People;
        var summary = context.Summary;
        var prefix = backend.Prefix;
        var label = people % 1_000_000 == 0 ? $"{people / 1_000_000}M" : $"{people / 1000.0:0.#}k";
        Heading($"{prefix}4. Seed {people:N0} persons under 430202 ({backend.Provider}), then counts and search");
        var folder = context.NewFolder($"{backend.Label}-{label}");
        var connection = await backend.NewDatabaseAsync($"seed{label.ToLowerInvariant()}");
        var environment = backend.Environment(connection, demo: false);

        if (await SeedAsync(context, environment, folder, people, prefix, label) is null) return;

        var watch = Stopwatch.StartNew();
        var initial = await BenchAccounts.CreateAsync(context, environment, folder, "bench", "Admin", "43");
        await using var server = AppProcess.StartServer(context, environment, Path.Combine(folder, "server.log"));
        server.BenchAccount = ("bench", initial);
        try
        {
            var persons = await WaitUntilAsync(server, "/api/v1/jurisdictions/430202", json => json.GetProperty("counts").GetProperty("persons").GetInt32());
            Console.WriteLine($"  Server (Demo=false, pid {server.Id}) answered after {watch.Elapsed.TotalSeconds:F1} s; 430202 counts.persons = {persons:N0}");
            if (persons != people) Console.WriteLine($"  (the seed command was asked for {people:N0}; it wrote {persons - people:+#;-#} more)");

            using var client = Http.Create(server.BaseUrl, 1, TimeSpan.FromMinutes(2));
            (string Figure, string Url, double TargetMs)[] endpoints =
            [
                ("District counts GET /jurisdictions/430202", "/api/v1/jurisdictions/430202", 500),
                ("Street counts GET /jurisdictions/430202005", "/api/v1/jurisdictions/430202005", 500),
                ("List GET /persons?jurisdiction=430202001&pageSize=20", "/api/v1/persons?jurisdiction=430202001&pageSize=20", 100),
            ];
            foreach (var (figure, url, target) in endpoints)
            {
                var result = await LoadRunner.RepeatAsync(client, url, warmup: 2, runs: 20, TimeSpan.FromMinutes(5));
                var stats = result.Overall;
                Console.WriteLine($"  {url}: {stats}");
                summary.Add($"{prefix}{figure} ({label})", LatencyStats.Ms(stats.P50), LatencyStats.Ms(stats.P95), $"p95 < {target:F0} ms",
                    stats.P95 < target && stats.Errors == 0 && stats.Count == 20);
            }
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or TaskCanceledException or KeyNotFoundException or TimeoutException)
        {
            Console.WriteLine($"  FAILED: {e.Message}");
            summary.Failed($"{prefix}Counts on {label}", "p95 < 500 ms", e.Message);
        }

        if (!server.HasExited) await SearchAsync(context, server, backend, $"{label} persons");
        var peak = server.PeakRssMb();
        Console.WriteLine($"  Server VmHWM {peak:F0} MB");
        summary.Add($"{prefix}Server peak RSS, {label} (counts+search)", $"{peak:F0} MB", "-", "< 400 MB", peak < 400);
    }

    /// <summary>
    /// <see cref="SeedAsync"/>, or for SQLite with SHOUWANG_BENCH_SEEDED=&lt;file&gt; a copy of an earlier run's seeded file instead (a --keep
    /// run leaves one, *.seeded.db), so a profiling run skips the minutes of seeding. False after a failed seed (recorded).
    /// </summary>
    internal static async Task<bool> SeedOrCopyAsync(BenchContext context, Backend backend, string connection, Dictionary<string, string> environment,
        string folder, int people, string prefix, string label)
    {
        var file = backend.Provider == "Sqlite" ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource : null;
        if (file is not null && Environment.GetEnvironmentVariable("SHOUWANG_BENCH_SEEDED") is { Length: > 0 } seeded)
        {
            File.Copy(seeded, file, overwrite: true);
            Console.WriteLine($"  copied the seeded database {seeded}");
            return true;
        }
        if (await SeedAsync(context, environment, folder, people, prefix, label) is null) return false;
        if (file is not null && context.Options.Keep)
        {
            File.Copy(file, Path.ChangeExtension(file, ".seeded.db"));
            Console.WriteLine($"  kept a copy of the seeded database: {Path.ChangeExtension(file, ".seeded.db")}");
        }
        return true;
    }

    /// <summary>`seed --under 430202 --people N` into the database of <paramref name="environment"/>; the seconds it took, or null after a failure (recorded).</summary>
    internal static async Task<double?> SeedAsync(BenchContext context, Dictionary<string, string> environment, string folder, int people, string prefix, string label)
    {
        var summary = context.Summary;
        var watch = Stopwatch.StartNew();
        double seedSeconds;
        await using (var seed = AppProcess.Start(context, ["seed", "--under", "430202", "--people", people.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            environment, Path.Combine(folder, "seed.log"), echo: line =>
            {
                if (line.Contains("Seeded", StringComparison.Ordinal) || line.StartsWith("error", StringComparison.Ordinal))
                    Console.WriteLine($"  [{watch.Elapsed.TotalSeconds,6:F1} s] {line.Trim()}");
            }))
        {
            Console.WriteLine($"  dotnet {Path.GetFileName(context.WebDll)} seed --under 430202 --people {people}  (pid {seed.Id})");
            int exit;
            try
            {
                exit = await seed.WaitForExitAsync(TimeSpan.FromMinutes(90));
            }
            catch (TimeoutException e)
            {
                summary.Failed($"{prefix}Seed {label} (seed command)", "-", e.Message);
                return null;
            }
            seedSeconds = watch.Elapsed.TotalSeconds;
            if (exit != 0)
            {
                Console.WriteLine(seed.Tail());
                summary.Failed($"{prefix}Seed {label} (seed command)", "-", $"exit code {exit}, see {seed.LogPath}");
                return null;
            }
            var size = environment["Shouwang__Database__Provider"] == "Sqlite" ? Directory.GetFiles(context.Root, $"seed{label.ToLowerInvariant()}.db*").Sum(f => new FileInfo(f).Length) / 1024.0 / 1024 : double.NaN;
            Console.WriteLine($"  Seeded in {seedSeconds:F1} s ({people / seedSeconds:N0} persons/s); seed process VmHWM {seed.PeakRssMb():F0} MB" +
                (double.IsNaN(size) ? "" : $"; database {size:F0} MB"));
            summary.Add($"{prefix}Seed {label} persons (seed command)", $"{seedSeconds:F0} s", "-", "-", null);
        }
        return seedSeconds;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200 and <paramref name="accept"/> returns a value; fails if the process exits or at the time limit.</summary>
    internal static async Task<int> WaitUntilAsync(AppProcess server, string url, Func<JsonElement, int?> accept)
    {
        var deadline = Stopwatch.StartNew();
        // The server listens only once migrated and seeded; then the bench signs in.
        using (var anonymous = Http.Create(server.BaseUrl, 1, TimeSpan.FromSeconds(30), token: ""))
        {
            while (deadline.Elapsed < StartTimeout && !server.HasExited)
            {
                try
                {
                    using var login = await anonymous.GetAsync("/account/login");
                    if (login.IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) { }
                await Task.Delay(100);
            }
        }
        if (server.BenchAccount is var (user, initial) && !server.HasExited && !BenchAccounts.Tokens.ContainsKey(server.BaseUrl))
            BenchAccounts.Tokens[server.BaseUrl] = await BenchAccounts.SignInAsync(server.BaseUrl, user, initial);
        using var probe = Http.Create(server.BaseUrl, 1, TimeSpan.FromSeconds(30));
        while (deadline.Elapsed < StartTimeout)
        {
            if (server.HasExited) throw new InvalidOperationException($"server exited during start ({server.ExitDescription}); log {server.LogPath}:{System.Environment.NewLine}{server.Tail()}");
            try
            {
                using var response = await probe.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    if (accept(json.RootElement) is { } value) return value;
                }
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{url} did not answer within {StartTimeout.TotalSeconds:F0} s; log {server.LogPath}");
    }

    private static async Task<(JsonElement Report, double Seconds)> PostRosterAsync(HttpClient client, byte[] workbook, string query)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(workbook);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", "roster.xlsx");
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync($"/api/v1/communities/{ImportCommittee}/roster-imports?{query}", form);
        var body = await response.Content.ReadAsStringAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"roster import ({query}): {(int)response.StatusCode} {Http.Shorten(body)}");
        using var document = JsonDocument.Parse(body);
        return (document.RootElement.Clone(), seconds);
    }

    private static void Heading(string text)
    {
        Console.WriteLine();
        Console.WriteLine($"== {text} ==  (load average {BenchContext.LoadAverage()})");
    }
}
