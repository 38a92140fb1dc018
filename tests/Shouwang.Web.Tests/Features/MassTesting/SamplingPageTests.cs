using System.Net;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

/// <summary>The sampler's page and its chooser render on the server, for the site's own samplers, with no circuit.</summary>
public sealed class SamplingPageTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    /// <summary>湘华社区 and 石宋路社区: other suites sample elsewhere.</summary>
    private const string Committee = "430202005003";
    private const string OtherCommittee = "430202005004";

    private sealed record Arranged(Guid RoundId, SamplingSiteItem Site, StaffAccount Sampler);

    private async Task<Arranged> ArrangeAsync(string committee, RoundState state = RoundState.Open)
    {
        var sampler = await Factory.CreateAccountAsync(StaffRoles.Sampler, committee);
        using var _ = CallerContext.AsSystem();
        var rounds = Factory.Get<Rounds>();
        var created = await rounds.CreateAsync(new RoundInput("页面测试轮", DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddHours(10), 10, [committee], null, null), Ct);
        var roundId = Assert.IsType<Outcome<RoundDetails>.Success>(created).Value.Round.Id;
        if (state != RoundState.Planned) Assert.IsType<Outcome<RoundDetails>.Success>(await rounds.ChangeStateAsync(roundId, state, Ct));
        var sites = Factory.Get<SamplingSites>();
        var site = Assert.IsType<Outcome<SamplingSiteItem>.Success>(await sites.CreateAsync(
            new SamplingSiteInput { Name = $"页面采样点{Guid.NewGuid():N}"[..12], Address = "广场", CommunityCode = committee }, Ct)).Value;
        Assert.IsType<Outcome<IReadOnlyList<SamplerItem>>.Success>(await sites.AssignAsync(site.Id, new SamplerInput(sampler.Id), Ct));
        return new Arranged(roundId, site, sampler);
    }

    [Fact]
    public async Task ASampler_GetsThePage_WithTheSiteTheRoundTheStringsAndTheScripts()
    {
        var a = await ArrangeAsync(Committee);
        using var client = await Factory.ClientForAsync(a.Sampler);
        var response = await client.GetAsync($"/sampling/{a.Site.Id}/{a.RoundId}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("id=\"scan-input\"", html);
        Assert.Contains(a.Site.Name, html);
        Assert.Contains($"data-site-id=\"{a.Site.Id}\"", html);
        Assert.Contains($"data-round-id=\"{a.RoundId}\"", html);
        Assert.Contains("data-pool-size=\"10\"", html);
        Assert.Contains("10混1", html);
        Assert.Contains("id=\"sampling-strings\"", html);
        Assert.Contains("js/scan-common", html);
        Assert.Contains("js/sampling", html);
        Assert.DoesNotContain("<!--Blazor:{\"type\":\"server\"", html);

        var chooser = WebUtility.HtmlDecode(await client.GetStringAsync("/sampling", Ct));
        Assert.Contains($"href=\"/sampling/{a.Site.Id}/{a.RoundId}\"", chooser);
    }

    [Fact]
    public async Task ASamplerOfAnotherCommittee_SeesNeitherTheSiteNorItsRound()
    {
        var a = await ArrangeAsync(Committee);
        var other = await ArrangeAsync(OtherCommittee);
        using var stranger = await Factory.ClientForAsync(other.Sampler);
        var html = WebUtility.HtmlDecode(await stranger.GetStringAsync($"/sampling/{a.Site.Id}/{a.RoundId}", Ct));
        Assert.Contains("id=\"sampling-unavailable\"", html);
        Assert.DoesNotContain(a.Site.Name, html);
        Assert.DoesNotContain("id=\"scan-input\"", html);
        var chooser = await stranger.GetStringAsync("/sampling", Ct);
        Assert.DoesNotContain(a.Site.Name, chooser);
        Assert.Contains(other.Site.Name, chooser);
    }

    [Fact]
    public async Task AClosedRound_IsNotOffered_AndItsPageSaysSo()
    {
        var a = await ArrangeAsync(Committee, RoundState.Closed);
        using var client = await Factory.ClientForAsync(a.Sampler);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/sampling/{a.Site.Id}/{a.RoundId}", Ct));
        Assert.Contains("id=\"sampling-unavailable\"", html);
        Assert.DoesNotContain("id=\"scan-input\"", html);
        var chooser = WebUtility.HtmlDecode(await client.GetStringAsync("/sampling", Ct));
        Assert.DoesNotContain($"/sampling/{a.Site.Id}/{a.RoundId}", chooser);
    }

    [Fact]
    public async Task AnObserver_CannotOpenThePages()
    {
        var a = await ArrangeAsync(Committee);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        foreach (var url in new[] { $"/sampling/{a.Site.Id}/{a.RoundId}", "/sampling" })
        {
            var response = await observer.GetAsync(url, Ct);
            var html = await response.Content.ReadAsStringAsync(Ct);
            var deniedPage = response.RequestMessage?.RequestUri?.AbsolutePath == "/account/denied"
                || response.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.Ordinal) == true;
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden || deniedPage, $"{url}: {(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
            Assert.DoesNotContain("id=\"scan-input\"", html);
            Assert.DoesNotContain(a.Site.Name, html);
        }
    }
}
