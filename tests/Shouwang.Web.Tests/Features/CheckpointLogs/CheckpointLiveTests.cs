using System.Net;
using System.Net.Http.Json;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Checkpoints;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Checkpoints;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.CheckpointLogs;

public abstract class CheckpointLiveTests(AppFactory factory) : ApiTestBase(factory)
{
    [Fact]
    public async Task HourlyCounts_EqualABruteForceCount_AndTheSiblingSeesNone()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory, feverThreshold: 37.5m);
        var other = await CheckpointLogData.CheckpointAsync(Factory);
        var now = DateTime.UtcNow;
        var random = new Random(5);
        var verdicts = Enum.GetValues<PassageVerdict>();
        decimal?[] temperatures = [null, 36.5m, 37.4m, 37.5m, 38.3m];
        var passages = Enumerable.Range(0, 300).Select(_ => CheckpointLogData.Passage(checkpoint,
            now.AddMinutes(-random.Next(1, 22 * 60)), verdicts[random.Next(verdicts.Length)], temperatures[random.Next(temperatures.Length)])).ToList();
        // Older than the window: counted nowhere.
        passages.Add(CheckpointLogData.Passage(checkpoint, now.AddHours(-30)));
        await CheckpointLogData.AddAsync(Factory, passages);
        await CheckpointLogData.AddAsync(Factory, [CheckpointLogData.Passage(other, now.AddMinutes(-5))]);
        await using (var db = Factory.CreateDbContext())
        {
            db.Alerts.Add(new Alert { Kind = AlertKind.CheckpointStop, CommunityCode = checkpoint.CommunityCode, SubjectId = passages[0].Id, Title = "红码劝返", CreatedAt = now });
            await db.SaveChangesAsync(Ct);
        }

        var view = await Client.GetFromJsonAsync<CheckpointLiveView>($"/api/v1/checkpoints/live?communityCode={CheckpointLogData.Community}", Json, Ct);
        var item = Assert.Single(view!.Checkpoints, c => c.Id == checkpoint.Id);
        Assert.Equal(24, item.Hours.Count);
        var inWindow = passages.Where(p => p.At >= item.Hours[0].Hour).ToList();
        foreach (var hour in item.Hours)
        {
            var these = inWindow.Where(p => p.At >= hour.Hour && p.At < hour.Hour.AddHours(1)).ToList();
            Assert.Equal(these.Count(p => p.Verdict == PassageVerdict.Allow), hour.Passed);
            Assert.Equal(these.Count(p => p.Verdict != PassageVerdict.Allow), hour.Stopped);
            Assert.Equal(these.Count(p => p.Temperature >= 37.5m), hour.Fevers);
        }
        Assert.Equal(inWindow.Count, item.Hours.Sum(h => h.Passed + h.Stopped));
        var clock = Factory.Get<LocalClock>();
        var today = passages.Where(p => p.At >= clock.StartOfDayUtc(clock.Today())).ToList();
        Assert.Equal(today.Count(p => p.Verdict == PassageVerdict.Allow), item.PassedToday);
        Assert.Equal(today.Count(p => p.Verdict != PassageVerdict.Allow), item.StoppedToday);
        Assert.Equal(today.Count(p => p.Temperature >= 37.5m), item.FeversToday);
        Assert.Equal(1, Assert.Single(view.Checkpoints, c => c.Id == other.Id).Hours.Sum(h => h.Passed));
        Assert.Contains(view.Alerts, a => a.SubjectId == passages[0].Id);

        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, CheckpointLogData.SiblingCommunity);
        var theirs = await sibling.GetFromJsonAsync<CheckpointLiveView>("/api/v1/checkpoints/live", Json, Ct);
        Assert.DoesNotContain(theirs!.Checkpoints, c => c.Id == checkpoint.Id || c.Id == other.Id);
        Assert.DoesNotContain(theirs.Alerts, a => a.SubjectId == passages[0].Id);
        var narrowed = await sibling.GetFromJsonAsync<CheckpointLiveView>($"/api/v1/checkpoints/live?communityCode={CheckpointLogData.Community}", Json, Ct);
        Assert.Empty(narrowed!.Checkpoints);

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, CheckpointLogData.Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.GetAsync("/api/v1/checkpoints/live", Ct)).StatusCode);
    }
}

public sealed class CheckpointLiveTests_Sqlite(SqliteAppFactory f) : CheckpointLiveTests(f), IClassFixture<SqliteAppFactory>;
public sealed class CheckpointLiveTests_Postgres(PostgresAppFactory f) : CheckpointLiveTests(f), IClassFixture<PostgresAppFactory>;
