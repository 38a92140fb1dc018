using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Shouwang.Bench;

/// <summary>
/// Every API call needs an account. Before a server starts on a database the bench creates its accounts with the app's own
/// `accounts create` verb, then signs in over HTTP, replaces the initial password as a real user must, and keeps the bearer
/// token for that server; <see cref="Http.Create"/> sends it.
/// </summary>
public static partial class BenchAccounts
{
    public const string Password = "Bench-password-2022";

    /// <summary>Base URL → token of the account the bench acts as on that server.</summary>
    public static readonly ConcurrentDictionary<string, string> Tokens = new();

    /// <summary>Runs `accounts create` against the database in <paramref name="environment"/>; returns the initial password.</summary>
    public static async Task<string> CreateAsync(BenchContext context, IReadOnlyDictionary<string, string> environment, string folder,
        string user, string roles, string node)
    {
        await using var process = AppProcess.Start(context, ["accounts", "create", "--user", user, "--name", user, "--roles", roles, "--node", node],
            environment, Path.Combine(folder, $"account-{user}.log"));
        var exit = await process.WaitForExitAsync(TimeSpan.FromMinutes(5));
        var match = InitialPassword().Match(File.ReadAllText(process.LogPath));
        if (exit != 0 || !match.Success) throw new InvalidOperationException($"accounts create {user}: exit {exit}: {process.Tail()}");
        return match.Groups[1].Value;
    }

    /// <summary>Signs in, changes the initial password, signs in again; returns the token.</summary>
    public static async Task<string> SignInAsync(string baseUrl, string user, string initialPassword)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(1) };
        var token = await TokenAsync(client, user, initialPassword);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using (var change = await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = initialPassword, newPassword = Password }))
        {
            if (!change.IsSuccessStatusCode) throw new HttpRequestException($"password change for {user}: {(int)change.StatusCode} {await change.Content.ReadAsStringAsync()}");
        }
        return await TokenAsync(client, user, Password);
    }

    public static async Task<string> TokenAsync(HttpClient client, string user, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = user, password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"sign-in {user}: {(int)response.StatusCode} {Http.Shorten(body)}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    [GeneratedRegex(@"Initial password \(must be changed at first sign-in\): (\S+)")]
    private static partial Regex InitialPassword();
}
