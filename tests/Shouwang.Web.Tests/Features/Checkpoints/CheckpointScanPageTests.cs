using System.Net;
using Shouwang.Domain.Checkpoints;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Checkpoints;

/// <summary>The scan page and its chooser render on the server for those who operate checkpoints, and only in their area.</summary>
public sealed class CheckpointScanPageTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    private const string Committee = "430202005003";
    private const string OtherCommittee = "430202005004";

    private async Task<Checkpoint> CheckpointAsync(string committee, CheckpointKind kind = CheckpointKind.CompoundGate, bool active = true)
    {
        var checkpoint = new Checkpoint
        {
            Name = $"扫码页门岗{Guid.NewGuid():N}"[..12], Kind = kind, CommunityCode = long.Parse(committee), GuardedCode = committee,
            Location = "南门", IsActive = active, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        await using var db = Factory.CreateDbContext();
        db.Checkpoints.Add(checkpoint);
        await db.SaveChangesAsync(Ct);
        return checkpoint;
    }

    [Fact]
    public async Task AGuard_GetsTheScanPage_WithTheInputTheStringsAndTheScript()
    {
        var checkpoint = await CheckpointAsync(Committee);
        using var guard = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, Committee);
        var response = await guard.GetAsync($"/checkpoint/{checkpoint.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("id=\"scan-input\"", html);
        Assert.Contains(checkpoint.Name, html);
        Assert.Contains($"data-checkpoint-id=\"{checkpoint.Id}\"", html);
        // People leaving are what a compound gate controls.
        Assert.Contains("data-direction=\"Exit\"", html);
        Assert.Contains("id=\"scan-strings\"", html);
        Assert.Contains("checkpoint-scan", html);
        Assert.Contains("inputmode=\"decimal\"", html);
        // No circuit: the page is plain server-rendered HTML.
        Assert.DoesNotContain("<!--Blazor:{\"type\":\"server\"", html);
    }

    [Fact]
    public async Task ATrafficHealthPoint_StartsInVehicleMode_CheckingEntries()
    {
        var checkpoint = await CheckpointAsync(Committee, CheckpointKind.TrafficHealthPoint);
        using var guard = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, Committee);
        var html = await guard.GetStringAsync($"/checkpoint/{checkpoint.Id}", Ct);
        Assert.Contains("data-direction=\"Entry\"", html);
        Assert.Contains("data-vehicle-mode=\"true\"", html);
        Assert.Contains("id=\"signature\"", html);
    }

    [Fact]
    public async Task AnObserver_CannotOpenTheScanPage()
    {
        var checkpoint = await CheckpointAsync(Committee);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        var response = await observer.GetAsync($"/checkpoint/{checkpoint.Id}", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var deniedPage = response.RequestMessage?.RequestUri?.AbsolutePath == "/account/denied"
            || response.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.Ordinal) == true;
        Assert.True(response.StatusCode is HttpStatusCode.Forbidden || deniedPage, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
        Assert.DoesNotContain("id=\"scan-input\"", html);
        Assert.DoesNotContain(checkpoint.Name, html);

        var chooser = await observer.GetAsync("/checkpoint", Ct);
        Assert.DoesNotContain(checkpoint.Name, await chooser.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AGuardOfAnotherCommittee_DoesNotSeeTheCheckpoint()
    {
        var checkpoint = await CheckpointAsync(Committee);
        using var stranger = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, OtherCommittee);
        var response = await stranger.GetAsync($"/checkpoint/{checkpoint.Id}", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"checkpoint-not-found\"", html);
        Assert.DoesNotContain(checkpoint.Name, html);
        Assert.DoesNotContain("id=\"scan-input\"", html);

        var list = await stranger.GetStringAsync("/checkpoint", Ct);
        Assert.DoesNotContain(checkpoint.Name, list);
    }

    [Fact]
    public async Task TheChooser_ListsActiveCheckpointsInScope_LinkingToTheirScanPages()
    {
        var mine = await CheckpointAsync(Committee);
        var closed = await CheckpointAsync(Committee, active: false);
        var elsewhere = await CheckpointAsync(OtherCommittee);
        using var guard = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, Committee);
        var html = WebUtility.HtmlDecode(await guard.GetStringAsync("/checkpoint", Ct));
        Assert.Contains($"href=\"/checkpoint/{mine.Id}\"", html);
        Assert.Contains(mine.Name, html);
        Assert.DoesNotContain(closed.Name, html);
        Assert.DoesNotContain(elsewhere.Name, html);
        // Full page loads, so the scan page's script runs.
        Assert.Contains("data-enhance-nav=\"false\"", html);
    }

    [Fact]
    public async Task ThePage_IsInEnglish_ByTheLanguageSwitch_TheScriptStringsToo()
    {
        var checkpoint = await CheckpointAsync(Committee);
        using var guard = await Factory.ClientForAsync(StaffRoles.CheckpointGuard, Committee);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/checkpoint/{checkpoint.Id}");
        request.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");
        var html = WebUtility.HtmlDecode(await (await guard.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Contains("Confirm and record", html);
        Assert.Contains("Compound gate", html);
        Assert.Contains("waiting to sync", html);
        Assert.DoesNotContain("确认通行记录", html);

        var chinese = WebUtility.HtmlDecode(await guard.GetStringAsync($"/checkpoint/{checkpoint.Id}", Ct));
        Assert.Contains("确认通行记录", chinese);
    }
}
