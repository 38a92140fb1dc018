using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Shouwang.Bench;

/// <summary>
/// One run of Shouwang.Web.dll as a child process (the server, or a command such as seed): environment, a log file
/// of its output, its peak resident set (VmHWM) and a kill that always happens on dispose.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    // Every child still running, so an interrupted or crashing bench can kill exactly those (by their ids).
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly Queue<string> _tail = new();
    private readonly Action<string>? _echo;
    private long _peakKb;

    private AppProcess(Process process, StreamWriter log, Action<string>? echo)
    {
        _process = process;
        _log = log;
        _echo = echo;
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    /// <summary>"exit code N" (128 + signal when killed), or "running".</summary>
    public string ExitDescription => _process.HasExited ? $"exit code {_process.ExitCode}" : "running";
    public string LogPath { get; private init; } = "";
    /// <summary>The http://127.0.0.1:port of a server, empty for commands.</summary>
    public string BaseUrl { get; private init; } = "";
    /// <summary>The account the bench signs in with once the server listens (user name, initial password).</summary>
    public (string User, string InitialPassword)? BenchAccount { get; set; }

    /// <summary>Starts <c>dotnet Shouwang.Web.dll args</c> in the app's own output folder (so its static web assets and appsettings resolve).</summary>
    public static AppProcess Start(BenchContext context, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string logPath,
        Action<string>? echo = null, string baseUrl = "")
    {
        var start = new ProcessStartInfo(context.DotnetHost)
        {
            WorkingDirectory = Path.GetDirectoryName(context.WebDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(context.WebDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Nothing inherited may point the app at another database, port or environment.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Shouwang__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        foreach (var (key, value) in context.Options.ExtraEnvironment) start.Environment[key] = value;

        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var app = new AppProcess(process, log, echo) { LogPath = logPath, BaseUrl = baseUrl };
        process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => app.OnLine(e.Data);
        if (!process.Start()) throw new InvalidOperationException("could not start dotnet");
        Live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = app.WatchMemoryAsync();
        return app;
    }

    /// <summary>Starts the web server on a free loopback port.</summary>
    public static AppProcess StartServer(BenchContext context, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        return Start(context, ["--urls", url], environment, logPath, baseUrl: url);
    }

    /// <summary>User + system CPU the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        try
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>Kills the children of this bench that are still running (Ctrl+C, unhandled failure).</summary>
    public static void KillAll()
    {
        foreach (var (id, process) in Live)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { }
            Live.TryRemove(id, out _);
        }
    }

    /// <summary>VmHWM of the process in MB (the kernel's high-water mark of its resident set), or the last value seen before it exited.</summary>
    public double PeakRssMb()
    {
        ReadPeak();
        return Interlocked.Read(ref _peakKb) / 1024.0;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Path.GetFileName(LogPath)}: still running after {timeout.TotalMinutes:F0} min (killed)");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public string Tail()
    {
        lock (_logLock) return string.Join(Environment.NewLine, _tail);
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                ReadPeak();
                _process.Kill(entireProcessTree: true);
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try { await _process.WaitForExitAsync(cancel.Token); }
                catch (OperationCanceledException) { }
            }
        }
        catch (InvalidOperationException) { }
        Live.TryRemove(_process.Id, out _);
        _process.Dispose();
        lock (_logLock) _log.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_logLock)
        {
            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > 40) _tail.Dequeue();
        }
        _echo?.Invoke(line);
    }

    private async Task WatchMemoryAsync()
    {
        // The kernel keeps VmHWM itself; polling only keeps the last value readable after the process is gone.
        while (!_process.HasExited)
        {
            ReadPeak();
            await Task.Delay(500);
        }
    }

    private void ReadPeak()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kb = long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                long seen;
                while (kb > (seen = Interlocked.Read(ref _peakKb)) && Interlocked.CompareExchange(ref _peakKb, kb, seen) != seen) { }
                return;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException) { }
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
