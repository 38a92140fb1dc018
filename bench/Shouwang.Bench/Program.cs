using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Shouwang.Bench;

Console.OutputEncoding = Encoding.UTF8;
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

Console.CancelKeyPress += (_, _) => AppProcess.KillAll();
AppDomain.CurrentDomain.ProcessExit += (_, _) => AppProcess.KillAll();

var context = BenchContext.Create(options);
var total = Stopwatch.StartNew();
Console.WriteLine($"Shouwang.Bench {options.Mode}: {DateTime.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores, " +
    $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024 / 1024.0:F0} GB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"App: {context.SourceWebDll} (run from a snapshot in {Path.GetDirectoryName(context.WebDll)})");
Console.WriteLine($"Load average at start: {BenchContext.LoadAverage()}");
Console.WriteLine($"Temporary databases and logs: {context.Root}");

async Task Guarded(string figure, Func<Task> part)
{
    try
    {
        await part();
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        Console.WriteLine($"  FAILED: {e.GetType().Name}: {e.Message}");
        context.Summary.Failed(figure, "-", e.Message.Split('\n')[0]);
    }
}

try
{
    var sqlite = new Backend("sqlite", "Sqlite", name => Task.FromResult($"Data Source={Path.Combine(context.Root, name + ".db")}"));
    if (options.Mode is "all" or "start" or "search" or "import")
        await Guarded("First start, demo seed", () => Scenarios.DemoAsync(context, sqlite, search: options.Runs("search"), import: options.Runs("import")));
    if (options.Runs("million"))
        await Guarded($"Seed/counts on {options.People:N0}", () => Scenarios.MillionAsync(context, sqlite));
    if (options.Runs("measures"))
        await Guarded("Measures", () => MeasureScenarios.RunAsync(context));
    if (options.Runs("access"))
        await Guarded("Access", () => AccessScenarios.RunAsync(context));
    if (options.Runs("followups"))
        await Guarded("Follow-ups", () => FollowUpScenarios.RunAsync(context));
    if (options.Runs("release"))
        await Guarded("Release evaluation", () => RiskAreaScenarios.RunAsync(context));
    if (options.Runs("checkpoints"))
        await Guarded("Checkpoints", () => CheckpointScenarios.RunAsync(context, sqlite));
    if (options.Mode == "checkpoints-pg" && PostgresCluster.FindBinaries() is { } pgBin)
        await Guarded("[pg] Checkpoints", async () =>
        {
            // fsync on: these are durable-write figures.
            await using var cluster = PostgresCluster.Start(pgBin, durable: true);
            cluster.Keep = options.Keep;
            var postgres = new Backend("pg", "Postgres", name => cluster.CreateDatabaseAsync($"shouwang_{name}"));
            await CheckpointScenarios.RunAsync(context, postgres);
        });
    if (options.Mode == "coverage")
        await Guarded("Coverage", () => CoverageScenarios.RunAsync(context, sqlite));
    if (options.Mode == "coverage-pg" && PostgresCluster.FindBinaries() is { } coverageBin)
        await Guarded("[pg] Coverage", async () =>
        {
            await using var cluster = PostgresCluster.Start(coverageBin);
            cluster.Keep = options.Keep;
            await CoverageScenarios.RunAsync(context, new Backend("pg", "Postgres", name => cluster.CreateDatabaseAsync($"shouwang_{name}")));
        });
    if (options.Mode == "labresults")
        await Guarded("Lab results", () => LabResultScenarios.RunAsync(context, sqlite));
    if (options.Mode == "labresults-pg" && PostgresCluster.FindBinaries() is { } labBin)
        await Guarded("[pg] Lab results", async () =>
        {
            await using var cluster = PostgresCluster.Start(labBin, durable: true);
            cluster.Keep = options.Keep;
            await LabResultScenarios.RunAsync(context, new Backend("pg", "Postgres", name => cluster.CreateDatabaseAsync($"shouwang_{name}")));
        });
    if (options.Mode == "sampling")
        await Guarded("Sampling", () => SamplingScenarios.RunAsync(context, sqlite));
    if (options.Mode == "sampling-pg" && PostgresCluster.FindBinaries() is { } pgSampling)
        await Guarded("[pg] Sampling", async () =>
        {
            await using var cluster = PostgresCluster.Start(pgSampling, durable: true);
            cluster.Keep = options.Keep;
            var postgres = new Backend("pg", "Postgres", name => cluster.CreateDatabaseAsync($"shouwang_{name}"));
            await SamplingScenarios.RunAsync(context, postgres);
        });
    if (options.Mode == "postgres" || (options.Mode == "all" && !options.NoPostgres))
    {
        if (PostgresCluster.FindBinaries() is not { } bin)
        {
            Console.WriteLine("\n== PostgreSQL: skipped (initdb/pg_ctl not found) ==");
            context.Summary.Add("[pg] PostgreSQL runs", "skipped", "-", "-", null);
        }
        else
        {
            await Guarded("[pg] PostgreSQL", async () =>
            {
                await using var cluster = PostgresCluster.Start(bin);
                cluster.Keep = options.Keep;
                var database = 0;
                var postgres = new Backend("pg", "Postgres", name => cluster.CreateDatabaseAsync($"shouwang_{name}_{++database}"));
                await Guarded("[pg] First start, demo seed", () => Scenarios.DemoAsync(context, postgres, search: true, import: false));
                await Guarded($"[pg] Seed/counts on {options.People:N0}", () => Scenarios.MillionAsync(context, postgres));
            });
        }
    }
}
finally
{
    AppProcess.KillAll();
    Console.WriteLine();
    Console.WriteLine($"== Summary ({DateTime.Now:yyyy-MM-dd}, {Environment.ProcessorCount} cores; latencies over HTTP on loopback; PASS/MISS on p95 where there is one) ==");
    context.Summary.Print(Console.Out);
    Console.WriteLine($"Whole run: {total.Elapsed.TotalMinutes:F1} min; load average at the end: {BenchContext.LoadAverage()}");
    if (!options.Keep)
    {
        try { Directory.Delete(context.Root, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.WriteLine($"(could not delete {context.Root}: {e.Message})"); }
    }
    else Console.WriteLine($"Kept {context.Root}");
}
return 0;
