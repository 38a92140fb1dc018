using System.Diagnostics;
using System.Text.Json;

namespace Shouwang.Bench;

public static class Http
{
    /// <summary>A client for one loopback server: no proxy (an inherited HTTP_PROXY must not see loopback traffic), a bounded pool.</summary>
    public static HttpClient Create(string baseUrl, int connections, TimeSpan timeout, string? token = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = timeout,
        };
        // The server's bench account (see BenchAccounts), unless the caller brings another.
        if ((token ?? BenchAccounts.Tokens.GetValueOrDefault(baseUrl)) is { Length: > 0 } bearer)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {url}: {(int)response.StatusCode} {Shorten(body)}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>Nearest-rank percentiles over milliseconds.</summary>
public sealed record LatencyStats(int Count, int Errors, double P50, double P95, double P99, double Max, double Mean)
{
    public static LatencyStats From(IReadOnlyCollection<(double Ms, bool Ok)> samples)
    {
        var sorted = samples.Select(s => s.Ms).Order().ToArray();
        return new LatencyStats(sorted.Length, samples.Count(s => !s.Ok), Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99),
            sorted.Length == 0 ? double.NaN : sorted[^1], sorted.Length == 0 ? double.NaN : sorted.Average());
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms >= 1000 ? $"{ms / 1000:F2} s" : $"{ms:F1} ms";

    public override string ToString() =>
        $"n={Count} errors={Errors} p50={Ms(P50)} p95={Ms(P95)} p99={Ms(P99)} max={Ms(Max)} mean={Ms(Mean)}";
}

public sealed record LoadRequest(string Kind, string Url);

public sealed record LoadResult(IReadOnlyList<(string Kind, double Ms, bool Ok)> Samples, TimeSpan Wall, int Planned, bool TimedOut)
{
    public LatencyStats Overall => LatencyStats.From(Samples.Select(s => (s.Ms, s.Ok)).ToList());
    public double Throughput => Samples.Count / Wall.TotalSeconds;

    public IEnumerable<(string Kind, LatencyStats Stats)> ByKind() =>
        Samples.GroupBy(s => s.Kind).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, LatencyStats.From(g.Select(s => (s.Ms, s.Ok)).ToList())));
}

/// <summary>A closed loop of <c>concurrency</c> clients working through a fixed list of requests, stopping early at the time budget.</summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(HttpClient client, IReadOnlyList<LoadRequest> requests, int concurrency, TimeSpan budget)
    {
        var results = new (string Kind, double Ms, bool Ok)?[requests.Count];
        var next = -1;
        var timedOut = false;
        var wall = Stopwatch.StartNew();

        async Task WorkerAsync()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= requests.Count) return;
                if (wall.Elapsed > budget)
                {
                    timedOut = true;
                    return;
                }
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    using var response = await client.GetAsync(requests[i].Url);
                    _ = await response.Content.ReadAsByteArrayAsync();
                    ok = response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    ok = false;
                }
                results[i] = (requests[i].Kind, Stopwatch.GetElapsedTime(start).TotalMilliseconds, ok);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync)));
        wall.Stop();
        return new LoadResult(results.Where(r => r is not null).Select(r => r!.Value).ToList(), wall.Elapsed, requests.Count, timedOut);
    }

    /// <summary>One URL, one client at a time: <paramref name="warmup"/> unmeasured runs, then <paramref name="runs"/> measured ones.</summary>
    public static async Task<LoadResult> RepeatAsync(HttpClient client, string url, int warmup, int runs, TimeSpan budget)
    {
        await RunAsync(client, Enumerable.Repeat(new LoadRequest("warmup", url), warmup).ToList(), 1, budget);
        return await RunAsync(client, Enumerable.Repeat(new LoadRequest(url, url), runs).ToList(), 1, budget);
    }
}
