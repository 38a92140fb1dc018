using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Demo;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

public sealed class DemoSamplingTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly SqliteAppFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _ = _factory.Server;
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_demo_sampler_has_a_site_in_an_open_round_and_can_open_a_tube()
    {
        await ActivatorUtilities.CreateInstance<DemoAccounts>(_factory.Services).SeedAsync(Ct);
        var seeder = ActivatorUtilities.CreateInstance<DemoSampling>(_factory.Services);
        await seeder.SeedIfNoneAsync(Ct);
        await seeder.SeedIfNoneAsync(Ct); // a second start adds nothing
        await using (var db = _factory.CreateDbContext()) Assert.Equal(1, await db.TestingRounds.CountAsync(Ct));
        using var token = await _factory.TokenResponseAsync("caiyang", DemoAccounts.DefaultPassword);
        token.EnsureSuccessStatusCode();
        using var client = _factory.ClientWithToken((await token.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        var site = Assert.Single((await client.GetFromJsonAsync<List<SamplingSiteItem>>("/api/v1/sampling-sites/mine", Json, Ct))!);
        Assert.Equal(DemoAccounts.Community, site.CommunityCode);
        Guid roundId;
        await using (var db = _factory.CreateDbContext()) roundId = (await db.TestingRounds.SingleAsync(Ct)).Id;
        var session = await client.GetFromJsonAsync<SiteSessionView>($"/api/v1/sampling/sites/{site.Id}/rounds/{roundId}", Json, Ct);
        Assert.Equal((10, 0), (session!.Round.PoolSize, session.Samples));
        using var open = await client.PostAsJsonAsync("/api/v1/sampling/tubes", new { roundId, siteId = site.Id, barcode = "DEMO0001" }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
