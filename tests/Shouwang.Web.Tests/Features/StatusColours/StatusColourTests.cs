using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Restrictions;
using Shouwang.Web.Features.StatusColours;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Features.FollowUps;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.StatusColours;

public abstract class StatusColourTests(AppFactory factory) : ApiTestBase(factory)
{
    private DateOnly Today => Factory.Get<LocalClock>().Today();

    private async Task<Guid> PersonAsync(string community = TestData.Community)
    {
        var household = await Data.HouseholdAsync(community);
        return (await Data.PersonAsync(household)).Id;
    }

    private async Task<PersonStatus> StatusAsync(Guid personId, HttpClient? client = null) =>
        (await (client ?? Client).GetFromJsonAsync<PersonStatus>($"/api/v1/persons/{personId}/restriction-status", Json, Ct))!;

    [Fact]
    public async Task Monitoring_IsYellow_AndPasses_Quarantine_IsRed_AndDenied_ACase_IsRed()
    {
        var monitored = await PersonAsync();
        await Factory.CourseAsync(monitored, PersonCategory.SecondaryContact, new StageSpec(MeasureKind.HomeHealthMonitoring, Today.AddDays(-1), Today.AddDays(2)));
        var quarantined = await PersonAsync();
        await Factory.CourseAsync(quarantined, PersonCategory.CloseContact, new StageSpec(MeasureKind.CentralisedQuarantine, Today.AddDays(-2), Today.AddDays(4)));
        var testsOnly = await PersonAsync();
        await Factory.CourseAsync(testsOnly, PersonCategory.LowRiskAreaArrival, new StageSpec(MeasureKind.TestsOnly, Today, Today.AddDays(2), TestDays: "1,3"));
        var recovering = await PersonAsync();
        await Factory.CourseAsync(recovering, PersonCategory.Case, new StageSpec(MeasureKind.HomeHealthMonitoring, Today, Today.AddDays(6)));
        var released = await PersonAsync();
        await Factory.CourseAsync(released, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, Today.AddDays(-8), Today.AddDays(-1)));

        var yellow = await StatusAsync(monitored);
        Assert.Equal((StatusColour.Yellow, false), (yellow.Colour, yellow.CheckpointDenied));
        Assert.Contains("居家健康监测", Assert.Single(yellow.Reasons));
        Assert.Contains("第2天/共4天", yellow.Reasons[0]);
        var red = await StatusAsync(quarantined);
        Assert.Equal((StatusColour.Red, true), (red.Colour, red.CheckpointDenied));
        Assert.Contains("集中隔离", red.Reasons[0]);
        Assert.Equal(StatusColour.Yellow, (await StatusAsync(testsOnly)).Colour);
        var @case = await StatusAsync(recovering);
        Assert.Equal((StatusColour.Red, false), (@case.Colour, @case.CheckpointDenied));
        var green = await StatusAsync(released);
        Assert.Equal((StatusColour.Green, false, 0), (green.Colour, green.CheckpointDenied, green.Reasons.Count));
    }

    [Fact]
    public async Task LivingInARiskArea_GivesItsColour_AndDeniesExit_ManualColourCountsToo()
    {
        var person = await PersonAsync(TestData.SiblingCommunity);
        await using (var db = Factory.CreateDbContext())
        {
            db.RiskAreas.Add(new RiskArea
            {
                CommunityCode = long.Parse(TestData.SiblingCommunity), Scope = RiskAreaScope.Community, Name = "流芳社区全域", Level = RiskAreaLevel.Medium,
                StartDay = Today, LevelSince = Today, Reason = "测试", State = RiskAreaState.Active, CreatedByName = "test", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }
        var medium = await StatusAsync(person);
        Assert.Equal((StatusColour.Yellow, true), (medium.Colour, medium.CheckpointDenied));
        Assert.Contains("流芳社区全域", Assert.Single(medium.Reasons));

        // A red code by hand outranks the area's yellow; both reasons are given, the most severe first.
        await using (var db = Factory.CreateDbContext())
        {
            db.Restrictions.Add(new Restriction
            {
                PersonId = person, CommunityCode = long.Parse(TestData.SiblingCommunity), Kind = RestrictionKind.StatusColour, Colour = StatusColour.Red,
                Reason = "流调判定为时空伴随者", Basis = RestrictionBasis.Other, State = RestrictionState.Active, RequestedByName = "test", RequestedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }
        var manual = await StatusAsync(person);
        Assert.Equal(StatusColour.Red, manual.Colour);
        Assert.Equal(2, manual.Reasons.Count);
        Assert.Contains("流调判定为时空伴随者", manual.Reasons[0]);
    }

    [Fact]
    public async Task AnotherColourSource_RegisteredInDi_ReplacesOurOwn()
    {
        var person = await PersonAsync();
        await Factory.CourseAsync(person, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, Today, Today.AddDays(3)));
        await using var provincial = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStatusColourSource, ProvincialHealthCode>()));
        Assert.IsType<ProvincialHealthCode>(provincial.Services.GetRequiredService<IStatusColourSource>());

        var account = await Factory.CreateAccountAsync(StaffRoles.Admin, Province);
        using var client = provincial.CreateClient();
        using var token = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = account.UserName, password = AppFactory.TestPassword }, Ct);
        token.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());

        var status = await StatusAsync(person, client);
        Assert.Equal(StatusColour.Yellow, status.Colour);
        Assert.Equal(["省健康码：黄码"], status.Reasons);
        // Passage stays ours: the person is in home quarantine.
        Assert.True(status.CheckpointDenied);
        Assert.Equal(StatusColour.Red, (await StatusAsync(person)).Colour);
    }

    private sealed class ProvincialHealthCode : IStatusColourSource
    {
        public Task<IReadOnlyDictionary<Guid, StatusColourResult>> ColoursAsync(IReadOnlyCollection<Guid> personIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyDictionary<Guid, StatusColourResult>>(personIds.ToDictionary(id => id, _ => new StatusColourResult(StatusColour.Yellow, ["省健康码：黄码"])));
    }
}

public sealed class StatusColourTests_Sqlite(SqliteAppFactory f) : StatusColourTests(f), IClassFixture<SqliteAppFactory>;

public sealed class StatusColourTests_Postgres(PostgresAppFactory f) : StatusColourTests(f), IClassFixture<PostgresAppFactory>;
