using System.Globalization;
using System.Reflection;

namespace Shouwang.Bench;

public sealed class BenchOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Shouwang.Bench -- [all|start|search|import|million|postgres|access|measures|followups|release|checkpoints|checkpoints-pg|coverage|coverage-pg|labresults|labresults-pg|sampling|sampling-pg] [options]
          all        start + search + import on the demo street, then million, then postgres when initdb/pg_ctl exist
          start      first start on an empty SQLite database with the demo seed (41,200 persons)
          search     start, then the resident search mix on the demo
          import     start, then a 50,000-row roster import into 430202001001
          million    seed --under 430202 --people N into another database, then counts, list and search on it
          postgres   search on the demo and million, on a throw-away PostgreSQL cluster
          measures   seed 55,000 persons, put 第九版 in force, then 5 bulk issues of 10,000 close contacts (median)
          followups  seed the demo street, put 50,000 people under measures, time the day's follow-up list (issue #4)
          access     seed N persons, then scoped vs unscoped search, the audit entry's share of a write, and public requests at a fixed rate
          release    seed N persons, designate 500 risk areas with infections and screenings, then time the daily release evaluation
          checkpoints     seed N persons, then checkpoint scans (decision p95), durable passages/s over HTTP, latency at 2,000/s, and the
                          raw engine's write rate for the same rows (SQLite)
          checkpoints-pg  the same on a throw-away PostgreSQL cluster with fsync on
          coverage        seed N persons (one committee of 40,000), a 10:1 round over 430202, ~60 % sampled and ~2 % exempt written with the
                          app stopped, then the district's coverage per committee and the big committee's missing list (issue #6)
          coverage-pg     the same on a throw-away PostgreSQL cluster
          labresults      seed N persons, write 100,000 sealed tubes of 10 with the app stopped, import a 100,000-row .xlsx (mode All),
                          then one positive pool at a time through the JSON API (median of 9)
          labresults-pg   the same on a throw-away PostgreSQL cluster with fsync on
          sampling        seed N persons, an open 10:1 round over 430202, then durable sample scans/s over HTTP (8 devices x 50, 32 x 1)
          sampling-pg     the same on a throw-away PostgreSQL cluster with fsync on
        Options:
          --people N           persons for million (default 1000000; 100000 for a quick run)
          --requests N         measured search requests (default 2000)
          --warmup N           warm-up search requests (default 100)
          --concurrency N      concurrent search clients (default 4)
          --search-seconds S   time budget of one measured search run (default 300)
          --c1-requests N      extra search requests at concurrency 1, for the service time without queueing (default 300, 0: none)
          --import-rows N      roster rows (default 50000)
          --env KEY=VALUE      extra environment for every app process, e.g. DOTNET_gcServer=0 (repeatable)
          --access-requests N  search requests per caller in access (default 300)
          --public-rate N      public requests per second in access (default 200), --public-seconds S (default 10)
          --devices N          devices sending batches of 50 at once in sampling's timed phase (default 8)
          --no-postgres        leave PostgreSQL out of all
          --keep               keep the temporary databases and logs
        """;

    public string Mode { get; private set; } = "all";
    public int People { get; private set; } = 1_000_000;
    public int Requests { get; private set; } = 2_000;
    public int Warmup { get; private set; } = 100;
    public int Concurrency { get; private set; } = 4;
    public int SearchSeconds { get; private set; } = 300;
    public int ImportRows { get; private set; } = 50_000;
    public int SingleClientRequests { get; private set; } = 300;
    public int AccessRequests { get; private set; } = 300;
    public int PublicRate { get; private set; } = 200;
    public int PublicSeconds { get; private set; } = 10;
    public int Devices { get; private set; } = 8;
    public bool NoPostgres { get; private set; }
    public Dictionary<string, string> ExtraEnvironment { get; } = [];
    public bool Keep { get; private set; }

    public bool Runs(string part) => Mode == part || Mode == "all";

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            int Number() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture) is var n and > 0 ? n : throw new FormatException($"{args[i]} must be positive");
            switch (args[i])
            {
                case "all" or "start" or "search" or "import" or "million" or "postgres" or "access" or "measures" or "followups" or "release" or "checkpoints" or "checkpoints-pg" or "coverage" or "coverage-pg" or "labresults" or "labresults-pg" or "sampling" or "sampling-pg": options.Mode = args[i]; break;
                case "--access-requests": options.AccessRequests = Number(); break;
                case "--public-rate": options.PublicRate = Number(); break;
                case "--public-seconds": options.PublicSeconds = Number(); break;
                case "--devices": options.Devices = Number(); break;
                case "--people": options.People = Number(); break;
                case "--requests": options.Requests = Number(); break;
                case "--warmup": options.Warmup = Number(); break;
                case "--concurrency": options.Concurrency = Number(); break;
                case "--search-seconds": options.SearchSeconds = Number(); break;
                case "--import-rows": options.ImportRows = Number(); break;
                case "--c1-requests": options.SingleClientRequests = int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--env" when Next() is var pair && pair.IndexOf('=', StringComparison.Ordinal) is var eq and > 0:
                    options.ExtraEnvironment[pair[..eq]] = pair[(eq + 1)..];
                    break;
                case "--no-postgres": options.NoPostgres = true; break;
                case "--keep": options.Keep = true; break;
                default: return null;
            }
        }
        return options;
    }
}

/// <summary>Where the app is, where the temporary files go, and the summary being collected.</summary>
public sealed class BenchContext
{
    public required BenchOptions Options { get; init; }
    public required string WebDll { get; init; }
    public required string SourceWebDll { get; init; }
    public required string DotnetHost { get; init; }
    public required string Root { get; init; }
    public Summary Summary { get; } = new();

    public static BenchContext Create(BenchOptions options)
    {
        var webDll = typeof(BenchContext).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ShouwangWebDll")?.Value ?? "";
        if (!File.Exists(webDll) || !File.Exists(Path.ChangeExtension(webDll, ".runtimeconfig.json")))
            throw new FileNotFoundException($"The app's build output is missing (expected {webDll}); build bench/Shouwang.Bench, which builds src/Shouwang.Web");
        var root = Directory.CreateTempSubdirectory("shouwang-bench-").FullName;
        // Run a snapshot of the build output: a concurrent rebuild of src/Shouwang.Web rewrites its bin folder in place,
        // which crashes a server that has those assemblies mapped.
        var app = Path.Combine(root, "app");
        CopyFolder(Path.GetDirectoryName(webDll)!, app);
        return new BenchContext { Options = options, WebDll = Path.Combine(app, Path.GetFileName(webDll)), SourceWebDll = webDll, DotnetHost = FindDotnet(), Root = root };
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from)) CopyFolder(dir, Path.Combine(to, Path.GetFileName(dir)));
    }

    /// <summary>The 1/5/15-minute load averages: other work on the machine skews every figure, so each part prints them.</summary>
    public static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }

    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    private static string FindDotnet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "dotnet");
            if (File.Exists(candidate)) return candidate;
        }
        return "dotnet";
    }
}

/// <summary>The final table: each figure, its median (or single value) and p95, its target and PASS/MISS.</summary>
public sealed class Summary
{
    private readonly List<(string Figure, string Median, string P95, string Target, string Result)> _rows = [];

    /// <param name="pass">null: a figure without a target (info).</param>
    public void Add(string figure, string median, string p95, string target, bool? pass) =>
        _rows.Add((figure, median, p95, target, pass switch { true => "PASS", false => "MISS", null => "info" }));

    public void Failed(string figure, string target, string why) => _rows.Add((figure, "failed", "-", target, "MISS: " + why));

    public bool AnyMiss => _rows.Any(r => r.Result.StartsWith("MISS", StringComparison.Ordinal));

    public void Print(TextWriter writer)
    {
        string[] header = ["Figure", "Median / value", "p95", "Target", "Result"];
        var widths = header.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            string[] cells = [row.Figure, row.Median, row.P95, row.Target, row.Result];
            for (var i = 0; i < cells.Length; i++) widths[i] = Math.Max(widths[i], cells[i].Length);
        }
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
        writer.WriteLine(Line(header));
        writer.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in _rows) writer.WriteLine(Line([row.Figure, row.Median, row.P95, row.Target, row.Result]));
    }
}
