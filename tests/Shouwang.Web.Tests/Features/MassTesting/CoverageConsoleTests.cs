using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

/// <summary>The coverage page renders (server prerendering) the round's totals for a caller who may view testing, and no one else.</summary>
public sealed partial class CoverageConsoleTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    private async Task<Guid> RoundAsync()
    {
        var household = await Data.HouseholdAsync(TestData.Community);
        await Data.PersonAsync(household, name: "郑页面");
        var response = await Client.PostAsJsonAsync("/api/v1/testing-rounds", new
        {
            name = $"覆盖页轮次{Guid.NewGuid():N}"[..12], startsAt = DateTime.UtcNow.AddHours(-1), endsAt = DateTime.UtcNow.AddHours(12), poolSize = 10,
            scope = new[] { TestData.Community },
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RoundDetails>(Json, Ct))!.Round.Id;
    }

    [GeneratedRegex("data-field=\"(required|sampled|exempt|missing)\"[^>]*>\\s*(\\d+)\\s*<")]
    private static partial Regex TotalsCell();

    [Fact]
    public async Task A_community_worker_sees_the_totals_the_api_gives_and_the_round_page_links_to_it()
    {
        var round = await RoundAsync();
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var api = (await worker.GetFromJsonAsync<CoverageReport>($"/api/v1/testing-rounds/{round}/coverage", Json, Ct))!;
        Assert.True(api.Totals.Required > 0);

        var html = await worker.GetStringAsync($"/testing-rounds/{round}/coverage", Ct);
        Assert.Contains("id=\"coverage-table\"", html);
        Assert.Contains("id=\"coverage-totals\"", html);
        var cells = TotalsCell().Matches(html).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
        Assert.Equal((api.Totals.Required, api.Totals.Sampled, api.Totals.Exempt, api.Totals.Missing),
            (cells["required"], cells["sampled"], cells["exempt"], cells["missing"]));
        Assert.Contains("door-to-door-open", html);
        Assert.Contains($"/testing-rounds/{round}/coverage", await worker.GetStringAsync($"/testing-rounds/{round}", Ct));
    }

    [Fact]
    public async Task An_observer_cannot_open_the_page_and_the_sibling_sees_nothing()
    {
        var round = await RoundAsync();
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        var response = await observer.GetAsync($"/testing-rounds/{round}/coverage", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var deniedPage = response.RequestMessage?.RequestUri?.AbsolutePath == "/account/denied"
            || response.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.Ordinal) == true;
        Assert.True(response.StatusCode is HttpStatusCode.Forbidden || deniedPage, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
        Assert.DoesNotContain("coverage-totals", html);

        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        var seen = await sibling.GetStringAsync($"/testing-rounds/{round}/coverage", Ct);
        Assert.Contains("coverage-not-found", seen);
        Assert.DoesNotContain("coverage-totals", seen);

        var grid = await Data.GridAsync(TestData.Community);
        using var gridWorker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid.Id);
        var gridView = await gridWorker.GetStringAsync($"/testing-rounds/{round}/coverage", Ct);
        Assert.Contains("coverage-totals", gridView);
        Assert.DoesNotContain("door-to-door-open", gridView);
    }
}
