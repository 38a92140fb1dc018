using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Shouwang.Bench;

/// <summary>
/// A throw-away PostgreSQL cluster on a free loopback port (as the postgres user when run as root), started from the
/// machine's binaries the way tests/Shouwang.Web.Tests/Infrastructure/PostgresServer.cs does; stopped on dispose.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly string _data;
    private readonly bool _asPostgres;

    private PostgresCluster(string bin, string root, string data, bool asPostgres, string admin)
    {
        _bin = bin;
        _root = root;
        _data = data;
        _asPostgres = asPostgres;
        Admin = admin;
    }

    public string Admin { get; }

    public static string? FindBinaries()
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

    /// <summary>The cluster lives in its own folder under /tmp (the bench's private temp folder is not open to the postgres user).</summary>
    public static PostgresCluster Start(string bin, bool durable = false)
    {
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"shouwang-bench-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48])).FullName;
        var data = Path.Combine(root, "data");
        var asPostgres = Environment.UserName == "root";
        if (asPostgres) Run("chown", $"postgres:postgres {root}");
        var port = FreePort();
        Run(Path.Combine(bin, "initdb"), $"-D {data} -U postgres --auth=trust -E UTF8 --no-locale", asPostgres);
        // As in the tests: fsync off (the cluster is thrown away). Reads are unaffected; the seed's write time is flattered.
        // Durable write figures (checkpoint passages) need the real thing: fsync on, synchronous_commit on (the defaults).
        var fsync = durable ? "on" : "off";
        Run(Path.Combine(bin, "pg_ctl"),
            $"-D {data} -l {root}/postgres.log -w -t 60 -o \"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync={fsync} -c max_connections=200\" start", asPostgres);
        return new PostgresCluster(bin, root, data, asPostgres, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
    }

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(Admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(Admin) { Database = name }.ConnectionString;
    }

    public bool Keep { get; set; }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { Run(Path.Combine(_bin, "pg_ctl"), $"-D {_data} -m immediate stop", _asPostgres); }
        catch (InvalidOperationException e) { Console.Error.WriteLine($"  (postgres stop: {e.Message})"); }
        if (!Keep)
        {
            try { Directory.Delete(_root, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return ValueTask.CompletedTask;
    }

    private static void Run(string file, string arguments, bool asPostgres = false)
    {
        var start = asPostgres ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}") : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} timed out");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {output.Result} {error.Result}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
