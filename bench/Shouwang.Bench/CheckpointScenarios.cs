using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Shouwang.Bench;

/// <summary>
/// Issue #5's figures, on a seeded database (default 1,000,000 persons) with one checkpoint:
/// (a) decision lookups POST /checkpoints/{id}/scan by ID number, p95 at concurrency 4 (target &lt; 20 ms), and at concurrency 1;
/// (b) acknowledged durable passages per second over HTTP: 8 devices each sending batches of 50 (a device syncing its queue, or a
///     busy lane), closed loop; also one passage per request at concurrency 32 (info);
/// (c) latency at a fixed 2,000 passages per second, one passage per request, open loop for 10 s (target p99 &lt; 50 ms); latency is
///     counted from when the request was due, so a stalled server cannot hide its queue;
/// (d) with the server stopped, the raw engine's durable write rate for the same rows on the same database: one transaction
///     per row (each commit synced), and 512 rows per transaction. The ratio (b) / (d) is reported.
/// Every passage carries a scan ticket (the normal online flow: scan, then confirm), a temperature and a mask.
/// </summary>
public static class CheckpointScenarios
{
    private const string Committee = "430202005001";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(BenchContext context, Backend backend)
    {
        var summary = context.Summary;
        var prefix = backend.Prefix;
        var people = context.Options.People;
        var label = people % 1_000_000 == 0 ? $"{people / 1_000_000}M" : $"{people / 1000.0:0.#}k";
        Console.WriteLine();
        Console.WriteLine($"== {prefix}Checkpoints: scans and passages on {people:N0} seeded persons ({backend.Provider}) ==");
        var folder = context.NewFolder($"{backend.Label}-checkpoints");
        var connection = await backend.NewDatabaseAsync($"checkpoints{label.ToLowerInvariant()}");
        var environment = backend.Environment(connection, demo: false);
        if (await Scenarios.SeedAsync(context, environment, folder, people, prefix, label) is null) return;
        var password = await BenchAccounts.CreateAsync(context, environment, folder, "bench", "Admin", "43");

        var checkpoint = Guid.CreateVersion7();
        await ExecuteAsync(backend, connection, """
            INSERT INTO "Checkpoints" ("Id","Name","Kind","CommunityCode","GuardedCode","Location","YellowCode","FeverThreshold","RiskWindowDays","IsActive","CreatedAt","UpdatedAt")
            VALUES (@id,'金山小区南门',0,@community,@guarded,'南门',0,37.3,7,TRUE,@now,@now)
            """, ("id", checkpoint), ("community", long.Parse(Committee)), ("guarded", Committee), ("now", DateTime.UtcNow));
        var sample = await SampleAsync(backend, connection, 2_000);
        Console.WriteLine($"  checkpoint {checkpoint}; {sample.Count:N0} random persons to scan");

        var server = AppProcess.StartServer(context, environment, Path.Combine(folder, "server.log"));
        try
        {
            server.BenchAccount = ("bench", password);
            await Scenarios.WaitUntilAsync(server, "/api/v1/me", _ => 1);
            using var client = Http.Create(server.BaseUrl, 256, TimeSpan.FromSeconds(60));
            var scanUrl = $"/api/v1/checkpoints/{checkpoint}/scan";
            var passagesUrl = $"/api/v1/checkpoints/{checkpoint}/passages";

            // (a) Decision lookups.
            var tickets = new ConcurrentDictionary<Guid, string>();
            async Task<bool> ScanAsync(int i)
            {
                var (id, document) = sample[i % sample.Count];
                using var response = await client.PostAsJsonAsync(scanUrl, new { input = document, kind = "Exit" });
                if (!response.IsSuccessStatusCode) return false;
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                tickets[id] = json.RootElement.GetProperty("ticket").GetString()!;
                return true;
            }
            await ClosedLoopAsync(100, 4, ScanAsync);
            var scans4 = await ClosedLoopAsync(sample.Count, 4, ScanAsync);
            var scans1 = await ClosedLoopAsync(500, 1, ScanAsync);
            Console.WriteLine($"  scan, concurrency 4: {scans4.Stats}  ({scans4.PerSecond:N0}/s)");
            Console.WriteLine($"  scan, concurrency 1: {scans1.Stats}");
            summary.Add($"{prefix}Checkpoint decision lookup, concurrency 4 ({label})", LatencyStats.Ms(scans4.Stats.P50), LatencyStats.Ms(scans4.Stats.P95),
                "p95 < 20 ms", scans4.Stats.P95 < 20 && scans4.Stats.Errors == 0);
            summary.Add($"{prefix}Checkpoint decision lookup, concurrency 1 ({label})", LatencyStats.Ms(scans1.Stats.P50), LatencyStats.Ms(scans1.Stats.P95), "-", null);
            var subjects = tickets.ToArray();
            if (subjects.Length == 0) throw new InvalidOperationException($"no scan succeeded; log {server.LogPath}");

            object Passage(int i)
            {
                var (person, ticket) = subjects[i % subjects.Length];
                return new { id = Guid.CreateVersion7(), at = DateTimeOffset.UtcNow, kind = "Exit", personId = person, ticket, temperature = 36.4m + i % 7 / 10m, mask = true };
            }
            var counter = 0;
            async Task<bool> PostAsync(int size)
            {
                var batch = Enumerable.Range(0, size).Select(_ => Passage(Interlocked.Increment(ref counter))).ToList();
                using var response = await client.PostAsJsonAsync(passagesUrl, new { passages = batch });
                _ = await response.Content.ReadAsByteArrayAsync();
                return response.IsSuccessStatusCode;
            }

            // (b) Throughput.
            await ClosedLoopAsync(50, 8, _ => PostAsync(50));
            const int batchSize = 50;
            var batched = await ClosedLoopAsync(4_000, 8, _ => PostAsync(batchSize), TimeSpan.FromSeconds(60));
            var batchedRate = batched.Done * batchSize / batched.Wall.TotalSeconds;
            Console.WriteLine($"  passages, 8 devices x batches of {batchSize}: {batched.Stats}; {batchedRate:N0} passages/s acknowledged");
            var single = await ClosedLoopAsync(20_000, 32, _ => PostAsync(1), TimeSpan.FromSeconds(60));
            Console.WriteLine($"  passages, one per request, 32 clients: {single.Stats}; {single.PerSecond:N0} passages/s acknowledged");
            summary.Add($"{prefix}Durable passages/s over HTTP, batches of {batchSize} ({label})", $"{batchedRate:N0}/s", LatencyStats.Ms(batched.Stats.P95),
                "≥ 10,000/s", batchedRate >= 10_000 && batched.Stats.Errors == 0);
            summary.Add($"{prefix}Durable passages/s over HTTP, one per request, 32 clients ({label})", $"{single.PerSecond:N0}/s", LatencyStats.Ms(single.Stats.P95), "-", null);

            // (c) Fixed rate.
            var open = await OpenLoopAsync(2_000, TimeSpan.FromSeconds(10), () => PostAsync(1));
            Console.WriteLine($"  passages at 2,000/s for 10 s, one per request: {open}");
            summary.Add($"{prefix}Passage latency at 2,000/s: p50 / p99 ({label})", $"{LatencyStats.Ms(open.P50)} / {LatencyStats.Ms(open.P99)}", LatencyStats.Ms(open.P95),
                "p99 < 50 ms", open.P99 < 50 && open.Errors == 0);
            summary.Add($"{prefix}Server peak RSS, checkpoints ({label})", $"{server.PeakRssMb():F0} MB", "-", "-", null);
            await server.DisposeAsync();

            // (d) The raw engine, same rows, same database, nothing else running.
            var (perRow, grouped) = await RawWriteRatesAsync(backend, connection);
            Console.WriteLine($"  raw engine: {perRow:N0} rows/s committing each row; {grouped:N0} rows/s in transactions of 512");
            summary.Add($"{prefix}Raw engine durable inserts, one commit per row ({label})", $"{perRow:N0}/s", "-", "-", null);
            summary.Add($"{prefix}Raw engine durable inserts, 512 per commit ({label})", $"{grouped:N0}/s", "-", "-", null);
            summary.Add($"{prefix}HTTP passages / raw engine (512 per commit; per row)", $"{batchedRate / grouped:P0}; {batchedRate / perRow:F1} ×", "-", "-", null);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    internal sealed record ClosedLoop(LatencyStats Stats, int Done, TimeSpan Wall)
    {
        public double PerSecond => Done / Wall.TotalSeconds;
    }

    internal static async Task<ClosedLoop> ClosedLoopAsync(int count, int concurrency, Func<int, Task<bool>> operation, TimeSpan? budget = null)
    {
        var samples = new ConcurrentBag<(double, bool)>();
        var next = -1;
        var done = 0;
        var wall = Stopwatch.StartNew();
        var limit = budget ?? TimeSpan.FromMinutes(5);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i < count && wall.Elapsed < limit)
            {
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await operation(i); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException) { ok = false; }
                samples.Add((Stopwatch.GetElapsedTime(start).TotalMilliseconds, ok));
                if (ok) Interlocked.Increment(ref done);
            }
        })));
        wall.Stop();
        return new ClosedLoop(LatencyStats.From(samples.ToList()), done, wall.Elapsed);
    }

    /// <summary>Requests due every 1/rate s, sent whether or not earlier ones came back; latency from the due time.</summary>
    private static async Task<LatencyStats> OpenLoopAsync(int rate, TimeSpan duration, Func<Task<bool>> operation)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var samples = new ConcurrentBag<(double, bool)>();
        var running = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(2)) await Task.Delay(wait);
            running.Add(Task.Run(async () =>
            {
                bool ok;
                try { ok = await operation(); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { ok = false; }
                samples.Add(((clock.Elapsed - due).TotalMilliseconds, ok));
            }));
        }
        await Task.WhenAll(running);
        return LatencyStats.From(samples.ToList());
    }

    internal static DbConnection Open(Backend backend, string connection) =>
        backend.Provider == "Sqlite" ? new SqliteConnection(connection) : new NpgsqlConnection(connection);

    internal static async Task ExecuteAsync(Backend backend, string connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var db = Open(backend, connection);
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = backend.Provider == "Sqlite" ? sql.Replace("TRUE", "1", StringComparison.Ordinal) : sql;
        foreach (var (name, value) in parameters) command.Parameters.Add(Parameter(command, backend, name, value));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>SQLite keeps Guids as upper-case text and instants as ISO text (as EF writes them); PostgreSQL takes them natively.</summary>
    internal static DbParameter Parameter(DbCommand command, Backend backend, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = backend.Provider != "Sqlite" ? value : value switch
        {
            Guid g => g.ToString().ToUpperInvariant(),
            DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
            _ => value,
        };
        return parameter;
    }

    internal static async Task<List<(Guid Id, string Document)>> SampleAsync(Backend backend, string connection, int count)
    {
        await using var db = Open(backend, connection);
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = $"""SELECT "Id", "DocumentNumber" FROM "Persons" WHERE "CommunityCode" BETWEEN 430202000000 AND 430202999999 ORDER BY random() LIMIT {count}""";
        var rows = new List<(Guid, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((Guid.Parse(reader.GetValue(0).ToString()!), reader.GetString(1)));
        return rows;
    }

    /// <summary>Copies one stored passage as a template and inserts it again under new ids: per-row commits, then 512 per commit.</summary>
    private static async Task<(double PerRow, double Grouped)> RawWriteRatesAsync(Backend backend, string connection)
    {
        await using var db = Open(backend, connection);
        await db.OpenAsync();
        if (backend.Provider == "Sqlite")
        {
            await using var pragmas = db.CreateCommand();
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
            await pragmas.ExecuteNonQueryAsync();
        }
        var names = new List<string>();
        var values = new List<object>();
        await using (var read = db.CreateCommand())
        {
            read.CommandText = """SELECT * FROM "Passages" LIMIT 1""";
            await using var reader = await read.ExecuteReaderAsync();
            if (!await reader.ReadAsync()) throw new InvalidOperationException("no passage to copy");
            for (var i = 0; i < reader.FieldCount; i++)
            {
                names.Add(reader.GetName(i));
                values.Add(reader.GetValue(i));
            }
        }
        var sql = new StringBuilder($"INSERT INTO \"Passages\" ({string.Join(",", names.Select(n => $"\"{n}\""))}) VALUES (");
        sql.Append(string.Join(",", names.Select((n, i) => values[i] is DBNull ? "NULL" : $"@p{i}"))).Append(')');

        await using var insert = db.CreateCommand();
        insert.CommandText = sql.ToString();
        var idIndex = names.IndexOf("Id");
        var parameters = new DbParameter?[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            if (values[i] is DBNull) continue;
            parameters[i] = insert.CreateParameter();
            parameters[i]!.ParameterName = $"p{i}";
            parameters[i]!.Value = values[i];
            insert.Parameters.Add(parameters[i]!);
        }
        void NewId() => parameters[idIndex]!.Value = backend.Provider == "Sqlite" ? Guid.CreateVersion7().ToString().ToUpperInvariant() : Guid.CreateVersion7();

        const int perRowCount = 3_000;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < perRowCount; i++)
        {
            await using var transaction = await db.BeginTransactionAsync();
            insert.Transaction = transaction;
            NewId();
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }
        var perRow = perRowCount / watch.Elapsed.TotalSeconds;

        const int groupedCount = 200_000;
        const int group = 512;
        watch.Restart();
        for (var done = 0; done < groupedCount; done += group)
        {
            await using var transaction = await db.BeginTransactionAsync();
            insert.Transaction = transaction;
            for (var i = 0; i < group; i++)
            {
                NewId();
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        var grouped = groupedCount / watch.Elapsed.TotalSeconds;
        return (perRow, grouped);
    }
}
