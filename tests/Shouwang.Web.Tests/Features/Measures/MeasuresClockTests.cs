using System.Net;
using System.Net.Http.Json;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Measures;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Measures;

/// <summary>Measures on the app's clock: the local (Asia/Shanghai) day a person is found, and a stage converting to the next overnight.</summary>
public abstract class MeasuresClockTests(AppFactory factory) : ApiTestBase(factory)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Factory.PutInForceAsync(TestData.Street, "NHC-9");
    }

    private DateOnly Today => Factory.Get<LocalClock>().Today();

    /// <summary>Moves the clock forward to a local wall-clock time; tokens are made afresh after, as time moved.</summary>
    private async Task<HttpClient> AtLocalAsync(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        Factory.Clock!.SetUtcNow(new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, Shanghai), TimeSpan.Zero));
        return await Factory.ClientForAsync(StaffRoles.Admin, Province);
    }

    private async Task<Guid> PersonAsync() => (await Data.PersonAsync(await Data.HouseholdAsync())).Id;

    private static object Contact(DateOnly anchor) => new { category = "CloseContact", anchorDay = anchor, reason = "与确诊病例同餐，判定为密接", basis = "Other" };

    [Fact]
    public async Task FoundAt2359_AndAt0001_AreDifferentLocalDays()
    {
        var day = Today.AddDays(1);
        var before = await PersonAsync();
        var after = await PersonAsync();

        using var late = await AtLocalAsync(day, new TimeOnly(23, 59));
        var response = await late.PostAsJsonAsync($"/api/v1/persons/{before}/measures", Contact(day.AddDays(-1)), Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var first = (await response.Content.ReadFromJsonAsync<CourseItem>(Json, Ct))!;

        using var early = await AtLocalAsync(day.AddDays(1), new TimeOnly(0, 1));
        response = await early.PostAsJsonAsync($"/api/v1/persons/{after}/measures", Contact(day.AddDays(-1)), Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var second = (await response.Content.ReadFromJsonAsync<CourseItem>(Json, Ct))!;

        Assert.Equal((day, day), (first.IdentifiedDay, first.Stages[0].StartDay));
        // Two minutes later it is the next day in Shanghai (though still the same UTC day): found a day later, one day less to serve.
        Assert.Equal((day.AddDays(1), day.AddDays(1)), (second.IdentifiedDay, second.Stages[0].StartDay));
        Assert.Equal(first.Stages[0].EndDay, second.Stages[0].EndDay);
    }

    [Fact]
    public async Task TheDayAfterQuarantineEnds_ThePersonIsUnderMonitoring_Day1Of3()
    {
        var personId = await PersonAsync();
        var anchor = Today;
        var course = (await (await Client.PostAsJsonAsync($"/api/v1/persons/{personId}/measures", Contact(anchor), Json, Ct)).Content.ReadFromJsonAsync<CourseItem>(Json, Ct))!;
        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        Assert.Equal(HttpStatusCode.OK, (await command.PostAsJsonAsync($"/api/v1/restrictions/{course.Id}/approve", new { note = "同意" }, Json, Ct)).StatusCode);

        // Last quarantine day at 23:59: still quarantine day 7; ending lists it as converting.
        using var lastEvening = await AtLocalAsync(anchor.AddDays(7), new TimeOnly(23, 59));
        var quarantine = await lastEvening.GetFromJsonAsync<Paged<MeasureListItem>>($"/api/v1/measures?jurisdiction={TestData.Community}&kind=CentralisedQuarantine&pageSize=200", Json, Ct);
        Assert.Equal((7, 7), Assert.Single(quarantine!.Items, i => i.PersonId == personId) is var q ? (q.DayNumber, q.Days) : default);
        var ending = await lastEvening.GetFromJsonAsync<List<EndingItem>>($"/api/v1/measures/ending?jurisdiction={TestData.Community}&day={anchor.AddDays(7):yyyy-MM-dd}", Json, Ct);
        Assert.Equal(MeasureKind.HomeHealthMonitoring, Assert.Single(ending!, e => e.PersonId == personId).NextKind);

        using var nextMorning = await AtLocalAsync(anchor.AddDays(8), new TimeOnly(0, 1));
        var monitoring = await nextMorning.GetFromJsonAsync<Paged<MeasureListItem>>($"/api/v1/measures?jurisdiction={TestData.Community}&kind=HomeHealthMonitoring&pageSize=200", Json, Ct);
        var item = Assert.Single(monitoring!.Items, i => i.PersonId == personId);
        Assert.Equal((1, 3, anchor.AddDays(10), MeasurePlace.Home), (item.DayNumber, item.Days, item.NextTestDay, item.Place));
        quarantine = await nextMorning.GetFromJsonAsync<Paged<MeasureListItem>>($"/api/v1/measures?jurisdiction={TestData.Community}&kind=CentralisedQuarantine&pageSize=200", Json, Ct);
        Assert.DoesNotContain(quarantine!.Items, i => i.PersonId == personId);
        var timeline = await nextMorning.GetFromJsonAsync<PersonTimeline>($"/api/v1/persons/{personId}/measures", Json, Ct);
        Assert.Equal([MeasureStatus.Converted, MeasureStatus.InForce], timeline!.Courses.Single().Course.Stages.Select(s => s.Status));
        var counts = await nextMorning.GetFromJsonAsync<MeasureCounts>($"/api/v1/measures/counts?jurisdiction={TestData.Community}", Json, Ct);
        Assert.True(counts!.ByKind[MeasureKind.HomeHealthMonitoring] >= 1);

        using var released = await AtLocalAsync(anchor.AddDays(11), new TimeOnly(8, 0));
        timeline = await released.GetFromJsonAsync<PersonTimeline>($"/api/v1/persons/{personId}/measures", Json, Ct);
        Assert.Equal([MeasureStatus.Converted, MeasureStatus.Released], timeline!.Courses.Single().Course.Stages.Select(s => s.Status));
    }
}

public sealed class MeasuresClockTests_Sqlite(SqliteFakeTimeAppFactory f) : MeasuresClockTests(f), IClassFixture<SqliteFakeTimeAppFactory>;

public sealed class MeasuresClockTests_Postgres(PostgresFakeTimeAppFactory f) : MeasuresClockTests(f), IClassFixture<PostgresFakeTimeAppFactory>;
