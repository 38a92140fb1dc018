using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.People;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.MassTesting;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.MassTesting;

public sealed record ArrangedTube(Guid Id, string Barcode, List<Guid> Persons);

/// <summary>
/// Tubes and samples written straight into the database (as the platform), the way the sampling API leaves them, so
/// lab-result tests need not drive a sampler: a round through the API, a site, people in one grid, tubes of them.
/// </summary>
public sealed class SamplingTestData(AppFactory factory, TestData data, string community)
{
    public Guid GridId { get; private set; }
    public Guid RoundId { get; private set; }
    private Guid _siteId;
    private Guid _householdId;
    private long Code => long.Parse(community);

    public async Task InitializeAsync(HttpClient admin, JsonSerializerOptions json, CancellationToken ct)
    {
        GridId = (await data.GridAsync(community)).Id;
        _householdId = await data.HouseholdAsync(community, GridId);
        var response = await admin.PostAsJsonAsync("/api/v1/testing-rounds", new
        {
            name = "检测结果测试轮", startsAt = DateTime.UtcNow.AddHours(-2), endsAt = DateTime.UtcNow.AddHours(20), poolSize = 10, scope = new[] { community },
        }, json, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        RoundId = (await response.Content.ReadFromJsonAsync<RoundDetails>(json, ct))!.Round.Id;
        using var _ = CallerContext.AsSystem();
        await using var db = factory.CreateDbContext();
        var site = new SamplingSite { Name = "结果测试采样点", Address = "广场", CommunityCode = Code, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        db.SamplingSites.Add(site);
        await db.SaveChangesAsync(ct);
        _siteId = site.Id;
    }

    /// <summary>A tube of <paramref name="members"/> new people (or the given ones), sealed unless told otherwise.</summary>
    public async Task<ArrangedTube> TubeAsync(int members, int capacity = 10, TubeState state = TubeState.Sealed, IReadOnlyList<Guid>? persons = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = persons?.ToList() ?? [];
        for (var i = ids.Count; i < members; i++)
            ids.Add((await data.PersonAsync(_householdId, name: "赵检测", relation: RelationToHead.Other)).Id);
        using var _ = CallerContext.AsSystem();
        await using var db = factory.CreateDbContext();
        var people = await db.Persons.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var tube = new Tube
        {
            Barcode = $"LR{Guid.NewGuid():N}"[..18].ToUpperInvariant(), RoundId = RoundId, SiteId = _siteId, CommunityCode = Code, Capacity = capacity,
            State = state, Count = ids.Count, OpenedAt = DateTime.UtcNow.AddHours(-1), OpenedByName = "采样员",
            SealedAt = state == TubeState.Open ? null : DateTime.UtcNow.AddMinutes(-50),
        };
        db.Tubes.Add(tube);
        db.Samples.AddRange(ids.Select(id => new Sample
        {
            Id = Guid.CreateVersion7(), RoundId = RoundId, TubeId = tube.Id, PersonId = id, CommunityCode = people[id].CommunityCode, GridId = people[id].GridId,
            HouseholdId = people[id].HouseholdId, SampledAt = DateTime.UtcNow.AddHours(-1), ReceivedAt = DateTime.UtcNow.AddHours(-1), SamplerName = "采样员",
        }));
        await db.SaveChangesAsync(ct);
        return new ArrangedTube(tube.Id, tube.Barcode, ids);
    }
}
