using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Shouwang.Web.Tests.Infrastructure;

/// <summary>
/// The app as a real separate process (<c>dotnet Shouwang.Web.dll</c> from its own build output) over a database the test
/// prepared, for what only a process can show: a hard kill, or two servers sharing one database. Killed on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts a server on a free loopback port and waits until it answers.</summary>
    public static async Task<ServerProcess> StartAsync(string provider, string connectionString)
    {
        var web = WebOutputFolder();
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(web, "Shouwang.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Shouwang__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Shouwang__Database__Provider"] = provider;
        start.Environment["Shouwang__Database__ConnectionString"] = connectionString;
        start.Environment["Shouwang__Demo"] = "false";

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The server exited ({process.ExitCode}):\n{server.Output}");
            try
            {
                // Any answer means it listens (the database is migrated before Kestrel starts).
                using var response = await probe.GetAsync("/api/v1/me");
                return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"The server did not answer within 90 s:\n{server.Output}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; whatever wasn't durable is gone.</summary>
    public async Task KillHardAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillHardAsync();
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length < 200_000) _output.AppendLine(line);
        }
    }

    /// <summary>src/Shouwang.Web/bin/{the test's configuration}/net10.0: built before the tests, since they reference the app.</summary>
    private static string WebOutputFolder()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testBin.Parent!.Name; // …/bin/Debug/net10.0 → Debug
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Shouwang.Web", "bin", configuration, testBin.Name);
            if (File.Exists(Path.Combine(candidate, "Shouwang.Web.dll"))) return candidate;
        }
        throw new InvalidOperationException($"Shouwang.Web.dll not found above {testBin.FullName}");
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
