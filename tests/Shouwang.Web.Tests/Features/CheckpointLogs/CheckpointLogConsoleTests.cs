using System.Net;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.PassCards;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.CheckpointLogs;

/// <summary>The console pages render (server prerendering) the log, the live board and the pass-card console.</summary>
public sealed class CheckpointLogConsoleTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task LogAndLivePages_ShowTheCheckpointsPassages()
    {
        var checkpoint = await CheckpointLogData.CheckpointAsync(Factory);
        await CheckpointLogData.AddAsync(Factory, [CheckpointLogData.Passage(checkpoint, DateTime.UtcNow.AddMinutes(-3), PassageVerdict.TurnBack, 36.6m)]);

        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, CheckpointLogData.Community);
        var log = WebUtility.HtmlDecode(await worker.GetStringAsync($"/checkpoints/log?checkpointId={checkpoint.Id}", Ct));
        Assert.Contains("id=\"passages-table\"", log);
        Assert.Contains("data-verdict=\"TurnBack\"", log);
        Assert.Contains("王值守", log);
        Assert.Contains("id=\"export\"", log);

        var live = WebUtility.HtmlDecode(await worker.GetStringAsync("/checkpoints/live", Ct));
        Assert.Contains($"data-checkpoint=\"{checkpoint.Id}\"", live);
        Assert.Contains(checkpoint.Name, live);
        Assert.Contains("id=\"alert-feed\"", live);

        using var guard = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, CheckpointLogData.Community);
        Assert.DoesNotContain("id=\"export\"", await guard.GetStringAsync("/checkpoints/log", Ct));
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, CheckpointLogData.SiblingCommunity);
        Assert.DoesNotContain(checkpoint.Name, WebUtility.HtmlDecode(await sibling.GetStringAsync("/checkpoints/live", Ct)));
    }

    [Fact]
    public async Task PassCardPage_ShowsTheRuleEditorAndTheOverdueList()
    {
        var grid = await Data.GridAsync(CheckpointLogData.Community);
        var household = await Data.HouseholdAsync(CheckpointLogData.Community, grid.Id, address: $"控制台小区{Guid.NewGuid():N}"[..16]);
        await using (var db = Factory.CreateDbContext())
        {
            db.PassCardTrips.Add(new PassCardTrip
            {
                HouseholdId = household, CommunityCode = long.Parse(CheckpointLogData.Community, System.Globalization.CultureInfo.InvariantCulture), GridId = grid.Id,
                RuleId = Guid.NewGuid(), Window = 9, Slot = 0, ExitPassageId = Guid.NewGuid(), ExitAt = DateTime.UtcNow.AddHours(-8), DueBackAt = DateTime.UtcNow.AddHours(-4),
            });
            await db.SaveChangesAsync(Ct);
        }
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, CheckpointLogData.Community);
        var html = WebUtility.HtmlDecode(await worker.GetStringAsync("/pass-cards", Ct));
        Assert.Contains("id=\"rule-editor\"", html);
        Assert.Contains("id=\"save-rule\"", html);
        Assert.Contains($"/pass-cards/grid/{grid.Id}", html);
        Assert.Contains(await AddressAsync(household), html);

        using var guard = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, CheckpointLogData.Community);
        var read = await guard.GetStringAsync("/pass-cards", Ct);
        Assert.DoesNotContain("id=\"save-rule\"", read);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, CheckpointLogData.Community);
        var denied = await observer.GetAsync("/pass-cards", Ct);
        Assert.DoesNotContain("id=\"rule-editor\"", await denied.Content.ReadAsStringAsync(Ct));
    }

    private async Task<string> AddressAsync(Guid household)
    {
        await using var db = Factory.CreateDbContext();
        return (await db.Households.FindAsync([household], Ct))!.Address;
    }
}
