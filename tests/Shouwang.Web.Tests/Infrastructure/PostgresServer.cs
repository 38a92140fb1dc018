using System.Diagnostics;
using Npgsql;

namespace Shouwang.Web.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the test run: the one named by SHOUWANG_TEST_POSTGRES, or else a throw-away cluster
/// started here from the machine's PostgreSQL binaries on a free loopback port (as the postgres user when run as root).
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string?> Admin = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Why no server is available, if none is.</summary>
    public static string? Unavailable { get; private set; }

    /// <summary>A new empty database on the server; skips the test outside CI when PostgreSQL isn't installed.</summary>
    public static string CreateDatabase()
    {
        var admin = Admin.Value;
        if (admin is null)
        {
            if (Environment.GetEnvironmentVariable("CI") is "true" or "1")
                throw new InvalidOperationException($"PostgreSQL is required in CI: {Unavailable}");
            Assert.Skip($"PostgreSQL not available: {Unavailable}");
        }
        var name = $"sw_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    private static string? Start()
    {
        if (Environment.GetEnvironmentVariable("SHOUWANG_TEST_POSTGRES") is { Length: > 0 } external) return external;
        var bin = FindBinaries();
        if (bin is null)
        {
            Unavailable = "initdb/pg_ctl not found (install the postgresql package)";
            return null;
        }
        var root = Path.Combine(Path.GetTempPath(), $"shouwang-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        var asRoot = Environment.UserName == "root";
        if (asRoot) Run("chown", $"postgres:postgres {root}");
        var port = FreePort();
        Run(Path.Combine(bin, "initdb"), $"-D {data} -U postgres --auth=trust -E UTF8 --no-locale", asRoot);
        // fsync off: a test cluster is thrown away, durability is tested elsewhere.
        Run(Path.Combine(bin, "pg_ctl"), $"-D {data} -l {root}/log -w -t 60 -o \"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=500\" start", asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Run(Path.Combine(bin, "pg_ctl"), $"-D {data} -m immediate stop", asRoot); Directory.Delete(root, true); }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException) { }
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Include Error Detail=true";
    }

    private static string? FindBinaries()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"))) return dir;
        }
        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian).OrderByDescending(d => d).Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
    }

    private static void Run(string file, string arguments, bool asPostgres = false)
    {
        var start = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) throw new InvalidOperationException($"{file} timed out");
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {output.Result} {error.Result}");
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
