using System.Net;
using System.Net.Http.Json;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

/// <summary>The round pages render (server prerendering) with the right actions for the right people.</summary>
public sealed class RoundsConsoleTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    private async Task<RoundDetails> RoundAsync(string community = TestData.Community)
    {
        var starts = DateTime.UtcNow.AddHours(2);
        var response = await Client.PostAsJsonAsync("/api/v1/testing-rounds",
            new { name = $"控制台轮次{Guid.NewGuid():N}"[..12], startsAt = starts, endsAt = starts.AddHours(12), poolSize = 10, scope = new[] { community } }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RoundDetails>(Json, Ct))!;
    }

    [Fact]
    public async Task A_community_worker_sees_the_round_with_counts_advisor_and_actions()
    {
        var round = await RoundAsync();
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var list = await worker.GetStringAsync("/testing-rounds", Ct);
        Assert.Contains(round.Round.Name, list);
        Assert.Contains("round-create-open", list);
        Assert.Contains("10混1", list);

        var detail = await worker.GetStringAsync($"/testing-rounds/{round.Round.Id}", Ct);
        Assert.Contains(round.Round.Name, detail);
        Assert.Contains("count-required", detail);
        Assert.Contains("count-single-tube", detail);
        Assert.Contains("pooling-table", detail);
        Assert.Contains("data-recommended=\"true\"", detail);
        Assert.Contains("exempt-add", detail);
        Assert.Contains("round-open", detail);
    }

    [Fact]
    public async Task The_sibling_sees_nothing_and_a_grid_worker_has_no_actions()
    {
        var round = await RoundAsync();
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        Assert.DoesNotContain(round.Round.Name, await sibling.GetStringAsync("/testing-rounds", Ct));
        var detail = await sibling.GetStringAsync($"/testing-rounds/{round.Round.Id}", Ct);
        Assert.Contains("round-not-found", detail);
        Assert.DoesNotContain(round.Round.Name, detail);

        var grid = await Data.GridAsync(TestData.Community);
        using var gridWorker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid.Id);
        var seen = await gridWorker.GetStringAsync($"/testing-rounds/{round.Round.Id}", Ct);
        Assert.Contains(round.Round.Name, seen);
        Assert.DoesNotContain("exempt-add", seen);
        Assert.DoesNotContain("round-open", seen);
    }
}
