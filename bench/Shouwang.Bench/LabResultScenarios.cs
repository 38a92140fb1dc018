using System.Data.Common;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MiniExcelLibs;

namespace Shouwang.Bench;

/// <summary>
/// Issue #6's lab-result figures, on a seeded database (default 1,000,000 persons): with the app stopped, 100,000 sealed tubes of
/// 10 samples (everyone once) are written straight into the database, plus 9 spare tubes; then the app imports a 100,000-row
/// .xlsx in mode All (100 positive pools, 20 invalid tubes, the rest negative; target &lt; 10 s), and one positive pool at a time
/// goes through the JSON API on the spare tubes (10 retests, restrictions and orders each; median of 9, target &lt; 1 s).
/// </summary>
public static class LabResultScenarios
{
    private const int Tubes = 100_000;
    private const int PoolSize = 10;
    private const int Spare = 9;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(BenchContext context, Backend backend)
    {
        var summary = context.Summary;
        var prefix = backend.Prefix;
        var people = context.Options.People;
        var label = people % 1_000_000 == 0 ? $"{people / 1_000_000}M" : $"{people / 1000.0:0.#}k";
        Console.WriteLine();
        Console.WriteLine($"== {prefix}Lab results: {Tubes:N0} tubes of {PoolSize} on {people:N0} seeded persons ({backend.Provider}) ==");
        var folder = context.NewFolder($"{backend.Label}-labresults");
        var connection = await backend.NewDatabaseAsync($"labresults{label.ToLowerInvariant()}");
        var environment = backend.Environment(connection, demo: false);
        if (!await Scenarios.SeedOrCopyAsync(context, backend, connection, environment, folder, people, prefix, label)) return;
        var password = await BenchAccounts.CreateAsync(context, environment, folder, "bench", "Admin", "43");
        // The first sign-in replaces the initial password, so the second server gets an account of its own.
        var password2 = await BenchAccounts.CreateAsync(context, environment, folder, "bench2", "Admin", "43");

        Guid roundId;
        await using (var first = AppProcess.StartServer(context, environment, Path.Combine(folder, "server-round.log")))
        {
            first.BenchAccount = ("bench", password);
            await Scenarios.WaitUntilAsync(first, "/api/v1/me", _ => 1);
            using var client = Http.Create(first.BaseUrl, 4, TimeSpan.FromMinutes(2));
            using var response = await client.PostAsJsonAsync("/api/v1/testing-rounds", new
            {
                name = "全员核酸第1轮", startsAt = DateTime.UtcNow.AddHours(-3), endsAt = DateTime.UtcNow.AddHours(21), poolSize = PoolSize, scope = new[] { "430202" },
            });
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"round: {(int)response.StatusCode} {Http.Shorten(body)}");
            using var json = JsonDocument.Parse(body);
            roundId = json.RootElement.GetProperty("round").GetProperty("id").GetGuid();
        }

        var watch = Stopwatch.StartNew();
        var barcodes = await WriteTubesAsync(backend, connection, roundId);
        Console.WriteLine($"  wrote {barcodes.Count:N0} sealed tubes and their samples with the app stopped in {watch.Elapsed.TotalSeconds:F1} s");

        var rows = new List<Dictionary<string, object?>> { new() { ["A"] = "试管编号", ["B"] = "检测结果", ["C"] = "ORF1ab", ["D"] = "N", ["E"] = "检测时间" } };
        var at = DateTime.UtcNow.AddHours(8).AddMinutes(-30);
        for (var i = 0; i < Tubes; i++)
        {
            (string Result, string? Ct) cell = i % 1_000 == 500 ? ("阳性", (string?)"28.4") : i % 5_000 == 7 ? ("无效", (string?)null) : ("阴性", (string?)null);
            rows.Add(new() { ["A"] = barcodes[i], ["B"] = cell.Result, ["C"] = cell.Ct, ["D"] = cell.Ct, ["E"] = at });
        }
        using var stream = new MemoryStream();
        stream.SaveAs(rows, printHeader: false);
        var xlsx = stream.ToArray();
        Console.WriteLine($"  lab file: {Tubes:N0} rows, {xlsx.Length / 1024.0 / 1024:F1} MB .xlsx");

        var server = AppProcess.StartServer(context, environment, Path.Combine(folder, "server.log"));
        try
        {
            server.BenchAccount = ("bench2", password2);
            await Scenarios.WaitUntilAsync(server, "/api/v1/me", _ => 1);
            using var client = Http.Create(server.BaseUrl, 4, TimeSpan.FromMinutes(5));

            using var content = new MultipartFormDataContent { { new ByteArrayContent(xlsx), "file", "结果.xlsx" } };
            var import = Stopwatch.StartNew();
            using var response = await client.PostAsync("/api/v1/lab-results/import?mode=All&lab=bench", content);
            var body = await response.Content.ReadAsStringAsync();
            import.Stop();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"import: {(int)response.StatusCode} {Http.Shorten(body)}");
            using (var report = JsonDocument.Parse(body))
            {
                var r = report.RootElement;
                Console.WriteLine($"  import of {Tubes:N0} rows (mode All): {import.Elapsed.TotalSeconds:F2} s; counts {r.GetProperty("counts")}; " +
                    $"pools positive {r.GetProperty("poolsPositive")}, invalid {r.GetProperty("tubesInvalid")}, retests {r.GetProperty("retestsOpened")}");
            }
            summary.Add($"{prefix}Lab results import, {Tubes:N0}-row .xlsx, mode All ({label})", $"{import.Elapsed.TotalSeconds:F2} s", "-", "< 10 s",
                import.Elapsed.TotalSeconds < 10);

            var times = new List<double>();
            for (var i = 0; i < Spare; i++)
            {
                var one = Stopwatch.StartNew();
                using var pool = await client.PostAsJsonAsync("/api/v1/lab-results", new
                {
                    lab = "bench", results = new[] { new { tubeBarcode = barcodes[Tubes + i], result = "Positive", at = DateTimeOffset.UtcNow.AddMinutes(-5) } },
                }, Json);
                var answer = await pool.Content.ReadAsStringAsync();
                one.Stop();
                if (!pool.IsSuccessStatusCode) throw new InvalidOperationException($"pool: {(int)pool.StatusCode} {Http.Shorten(answer)}");
                using var json = JsonDocument.Parse(answer);
                var opened = json.RootElement.GetProperty("retestsOpened").GetInt32();
                if (opened != PoolSize) throw new InvalidOperationException($"pool {barcodes[Tubes + i]}: {opened} retests, expected {PoolSize}");
                times.Add(one.Elapsed.TotalMilliseconds);
            }
            var stats = LatencyStats.From([.. times.Select(t => (t, true))]);
            Console.WriteLine($"  one positive pool -> {PoolSize} retests, restrictions, orders (JSON API), {Spare} tubes: {stats}");
            summary.Add($"{prefix}Positive pool to {PoolSize} controlled members and orders ({label})", LatencyStats.Ms(stats.P50), LatencyStats.Ms(stats.Max),
                "< 1 s", stats.P50 < 1_000);
            var peak = server.PeakRssMb();
            Console.WriteLine($"  Server VmHWM {peak:F0} MB");
            summary.Add($"{prefix}Server peak RSS, lab results ({label})", $"{peak:F0} MB", "-", "-", null);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Everyone in a tube of 10 in their committee's order (so a tube's members share its committee); 9 spare tubes reuse the first 90.</summary>
    private static async Task<List<string>> WriteTubesAsync(Backend backend, string connection, Guid roundId)
    {
        await using var db = CheckpointScenarios.Open(backend, connection);
        await db.OpenAsync();
        var persons = new List<(Guid Id, long Community, Guid? Grid, Guid? Household)>();
        await using (var read = db.CreateCommand())
        {
            read.CommandText = """SELECT "Id", "CommunityCode", "GridId", "HouseholdId" FROM "Persons" ORDER BY "CommunityCode", "HouseholdId" """;
            await using var reader = await read.ExecuteReaderAsync();
            static Guid? G(DbDataReader r, int i) => r.IsDBNull(i) ? null : Guid.Parse(r.GetValue(i).ToString()!);
            while (await reader.ReadAsync()) persons.Add((G(reader, 0)!.Value, reader.GetInt64(1), G(reader, 2), G(reader, 3)));
        }
        var tubes = Math.Min(Tubes, persons.Count / PoolSize);
        if (tubes < Tubes) throw new InvalidOperationException($"{persons.Count:N0} persons make only {tubes:N0} tubes of {PoolSize}");
        var now = DateTime.UtcNow.AddHours(-2);
        var site = Guid.CreateVersion7();
        await using var transaction = await db.BeginTransactionAsync();
        await using var tube = db.CreateCommand();
        tube.Transaction = transaction;
        tube.CommandText = """
            INSERT INTO "Tubes" ("Id","Barcode","RoundId","SiteId","CommunityCode","Capacity","State","Count","OpenedAt","OpenedByName","SealedAt","Result")
            VALUES (@id,@barcode,@round,@site,@community,10,1,10,@now,'采样员',@now,0)
            """;
        await using var sample = db.CreateCommand();
        sample.Transaction = transaction;
        sample.CommandText = """
            INSERT INTO "Samples" ("Id","RoundId","TubeId","PersonId","CommunityCode","GridId","HouseholdId","SampledAt","ReceivedAt","SamplerName","WasOffline")
            VALUES (@id,@round,@tube,@person,@community,@grid,@household,@now,@now,'采样员',FALSE)
            """;
        if (backend.Provider == "Sqlite") sample.CommandText = sample.CommandText.Replace("FALSE", "0", StringComparison.Ordinal);
        var barcodes = new List<string>(Tubes + Spare);
        for (var t = 0; t < Tubes + Spare; t++)
        {
            var tubeId = Guid.CreateVersion7();
            var barcode = $"SW{t:D9}";
            var first = t < Tubes ? t * PoolSize : (t - Tubes) * PoolSize;
            Set(tube, ("id", tubeId), ("barcode", barcode), ("round", roundId), ("site", site), ("community", persons[first].Community), ("now", now));
            await tube.ExecuteNonQueryAsync();
            for (var m = first; m < first + PoolSize; m++)
            {
                var p = persons[m];
                Set(sample, ("id", Guid.CreateVersion7()), ("round", roundId), ("tube", tubeId), ("person", p.Id), ("community", p.Community),
                    ("grid", (object?)p.Grid ?? DBNull.Value), ("household", (object?)p.Household ?? DBNull.Value), ("now", now));
                await sample.ExecuteNonQueryAsync();
            }
            barcodes.Add(barcode);
        }
        await transaction.CommitAsync();
        return barcodes;

        void Set(DbCommand command, params (string Name, object Value)[] values)
        {
            command.Parameters.Clear();
            foreach (var (name, value) in values) command.Parameters.Add(CheckpointScenarios.Parameter(command, backend, name, value));
        }
    }
}
