using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.PassCards;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Checkpoints;

/// <summary>What only real server processes can show: a hard kill loses nothing acknowledged; two servers share one quota.</summary>
public abstract class CheckpointProcessTests(AppFactory factory, string provider)
{
    private const string Committee = "430202005004";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    protected AppFactory Factory { get; } = factory;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected async Task<(Guid Checkpoint, Guid Household, List<(Guid Id, string Document)> People)> ArrangeAsync(int people, PassCardRule? rule = null)
    {
        var data = new TestData(Factory);
        var grid = await data.GridAsync(Committee, $"卡口进程网格{Guid.NewGuid():N}"[..12]);
        var household = await data.HouseholdAsync(Committee, grid.Id);
        var members = new List<(Guid, string)>();
        for (var i = 0; i < people; i++) members.Add(await data.PersonAsync(household, $"进程测试{i}", relation: i == 0 ? Domain.People.RelationToHead.Head : Domain.People.RelationToHead.Child));
        await using var db = Factory.CreateDbContext();
        var checkpoint = new Checkpoint
        {
            Name = $"进程测试卡口{Guid.NewGuid():N}"[..14], Kind = CheckpointKind.CompoundGate, CommunityCode = long.Parse(Committee),
            GuardedCode = Committee, Location = "测试门岗", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        db.Checkpoints.Add(checkpoint);
        if (rule is not null && !await db.PassCardRules.AnyAsync(r => r.CommunityCode == rule.CommunityCode, Ct)) db.PassCardRules.Add(rule);
        await db.SaveChangesAsync(Ct);
        return (checkpoint.Id, household, members);
    }

    protected async Task<HttpClient> SignedInAsync(ServerProcess server)
    {
        var account = await Factory.CreateAccountAsync(StaffRoles.Admin, "43");
        var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = account.UserName, password = AppFactory.TestPassword }, Ct);
        response.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    protected static async Task<string> TicketAsync(HttpClient client, Guid checkpoint, string document, PassageKind kind)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint}/scan", new { input = document, kind }, Json, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("ticket").GetString()!;
    }

    protected static object PassageBody(Guid id, Guid personId, PassageKind kind, string? ticket, decimal temperature = 36.5m) =>
        new { id, at = DateTimeOffset.UtcNow, kind, personId, ticket, temperature, mask = true };

    protected static async Task<List<(Guid Id, bool Duplicate, string Verdict)>> PostAsync(HttpClient client, Guid checkpoint, IEnumerable<object> passages, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpoint}/passages", new { passages }, Json, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetGuid(), r.GetProperty("duplicate").GetBoolean(), r.GetProperty("verdict").GetString()!)).ToList();
    }

    /// <summary>50 exits of one household at once, spread over two server processes on one database: never more trips than the rule allows.</summary>
    [Fact]
    public async Task Concurrent_exits_of_one_household_across_two_processes_never_exceed_the_quota()
    {
        var rule = new PassCardRule { CommunityCode = long.Parse(Committee), PersonsPerWindow = 2, WindowDays = 2, MaxHoursOut = 4, UpdatedByName = "测试", UpdatedAt = DateTime.UtcNow };
        var (checkpoint, household, people) = await ArrangeAsync(5, rule);
        await using (var db = Factory.CreateDbContext())
        {
            // Other tests of this class may have used the household's quota already: a fresh household each time, so nothing to clear.
            Assert.Equal(0, await db.PassCardTrips.CountAsync(t => t.HouseholdId == household, Ct));
        }
        // The suite's other servers hold connections to the same cluster too: each process gets a modest pool.
        var connection = provider == "Postgres" ? new Npgsql.NpgsqlConnectionStringBuilder(Factory.ConnectionString) { MaxPoolSize = 20 }.ConnectionString : Factory.ConnectionString;
        await using var first = await ServerProcess.StartAsync(provider, connection);
        await using var second = await ServerProcess.StartAsync(provider, connection);
        using var a = await SignedInAsync(first);
        using var b = await SignedInAsync(second);

        var gate = new TaskCompletionSource();
        var exits = Enumerable.Range(0, 50).Select(async i =>
        {
            await gate.Task;
            var person = people[i % people.Count];
            return await PostAsync(i % 2 == 0 ? a : b, checkpoint, [PassageBody(Guid.CreateVersion7(), person.Id, PassageKind.Exit, null)], Ct);
        }).ToList();
        gate.SetResult();
        List<(Guid Id, bool Duplicate, string Verdict)> results;
        try
        {
            results = (await Task.WhenAll(exits)).SelectMany(r => r).ToList();
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"{e.Message}\n--- first server ---\n{first.Output}\n--- second server ---\n{second.Output}", e);
        }

        Assert.Equal(50, results.Count);
        Assert.Equal(rule.PersonsPerWindow, results.Count(r => r.Verdict == "Allow"));
        Assert.Equal(50 - rule.PersonsPerWindow, results.Count(r => r.Verdict == "TurnBack"));
        await using var check = Factory.CreateDbContext();
        Assert.Equal(rule.PersonsPerWindow, await check.PassCardTrips.CountAsync(t => t.HouseholdId == household, Ct));
        Assert.Equal(50, await check.Passages.CountAsync(p => p.CheckpointId == checkpoint, Ct));
    }
}

public sealed class CheckpointProcessTests_Sqlite(SqliteAppFactory factory) : CheckpointProcessTests(factory, "Sqlite"), IClassFixture<SqliteAppFactory>
{
    /// <summary>
    /// Scans flow in from several devices; the server is killed with SIGKILL mid-load and started again. Every passage it
    /// acknowledged is in the database, and sending them all again adds nothing.
    /// </summary>
    [Fact]
    public async Task Every_acknowledged_passage_survives_a_hard_kill_and_a_resend_is_one_passage()
    {
        var (checkpoint, _, people) = await ArrangeAsync(4);
        var acknowledged = new ConcurrentDictionary<Guid, byte>();
        var sent = new ConcurrentBag<object>();
        var server = await ServerProcess.StartAsync("Sqlite", Factory.ConnectionString);
        try
        {
            using var client = await SignedInAsync(server);
            var tickets = new List<(Guid Person, string Ticket)>();
            foreach (var person in people) tickets.Add((person.Id, await TicketAsync(client, checkpoint, person.Document, PassageKind.Exit)));

            using var stop = new CancellationTokenSource();
            var devices = Enumerable.Range(0, 8).Select(device => Task.Run(async () =>
            {
                var round = 0;
                while (!stop.IsCancellationRequested)
                {
                    var batch = Enumerable.Range(0, 1 + (device + round++) % 10).Select(_ =>
                    {
                        var (person, ticket) = tickets[Random.Shared.Next(tickets.Count)];
                        var body = PassageBody(Guid.CreateVersion7(), person, PassageKind.Exit, ticket);
                        sent.Add(body);
                        return body;
                    }).ToList();
                    try
                    {
                        foreach (var result in await PostAsync(client, checkpoint, batch, CancellationToken.None)) acknowledged[result.Id] = 0;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        if (stop.IsCancellationRequested) return;
                        await Task.Delay(20);
                    }
                }
            }, Ct)).ToList();

            // Let the load run until a few thousand are acknowledged (or 20 s), then pull the plug without warning.
            var until = DateTime.UtcNow.AddSeconds(20);
            while (acknowledged.Count < 3000 && DateTime.UtcNow < until) await Task.Delay(50, Ct);
            await server.KillHardAsync();
            var atKill = acknowledged.Count;
            stop.Cancel();
            await Task.WhenAll(devices);
            Assert.True(atKill > 100, $"only {atKill} acknowledged before the kill:\n{server.Output}");
            TestContext.Current.TestOutputHelper?.WriteLine($"{atKill} passages acknowledged, {sent.Count} sent when the server was killed");
        }
        finally
        {
            await server.DisposeAsync();
        }

        await using var restarted = await ServerProcess.StartAsync("Sqlite", Factory.ConnectionString);
        using var again = await SignedInAsync(restarted);
        await using (var db = Factory.CreateDbContext())
        {
            var stored = (await db.Passages.Where(p => p.CheckpointId == checkpoint).Select(p => p.Id).ToListAsync(Ct)).ToHashSet();
            var lost = acknowledged.Keys.Where(id => !stored.Contains(id)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged passages were lost");
            Assert.True(stored.Count >= acknowledged.Count);
        }

        // The devices send everything again (they never heard back about some): each id stays one passage.
        var resent = new List<(Guid Id, bool Duplicate, string Verdict)>();
        foreach (var chunk in sent.Chunk(200)) resent.AddRange(await PostAsync(again, checkpoint, chunk, Ct));
        Assert.All(resent.Where(r => acknowledged.ContainsKey(r.Id)), r => Assert.True(r.Duplicate));
        await using var final = Factory.CreateDbContext();
        Assert.Equal(sent.Count, await final.Passages.CountAsync(p => p.CheckpointId == checkpoint, Ct));
    }
}

public sealed class CheckpointProcessTests_Postgres(PostgresAppFactory factory) : CheckpointProcessTests(factory, "Postgres"), IClassFixture<PostgresAppFactory>;
