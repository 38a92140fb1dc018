using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.FollowUps;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Alerts;
using Shouwang.Web.Features.FollowUps;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.FollowUps;

public abstract class FollowUpsApiTests(AppFactory factory) : ApiTestBase(factory)
{
    private DateOnly Today => Factory.Get<LocalClock>().Today();

    private async Task<(Guid Grid, Guid Person)> PersonAsync(string community = TestData.Community, string name = "随访测试")
    {
        var grid = await Data.GridAsync(community);
        var household = await Data.HouseholdAsync(community, grid.Id);
        var (person, _) = await Data.PersonAsync(household, name, "13912345678");
        return (grid.Id, person);
    }

    private async Task<FollowUpList> ListAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<FollowUpList>($"/api/v1/follow-ups?{query}", Json, Ct))!;

    private static async Task<HttpResponseMessage> RecordAsync(HttpClient client, object body) =>
        await client.PostAsJsonAsync("/api/v1/follow-ups", body, Json, Ct);

    [Fact]
    public async Task TheDaysList_HasEachSlot_TwiceForQuarantine_AndTheNextStageTheDayAfterItConverts()
    {
        var (grid, person) = await PersonAsync(name: "王两检");
        var today = Today;
        var stages = await Factory.CourseAsync(person, PersonCategory.CloseContact,
            new StageSpec(MeasureKind.HomeQuarantine, today.AddDays(-2), today, ChecksPerDay: 2, TestDays: "1,3"),
            new StageSpec(MeasureKind.HomeHealthMonitoring, today.AddDays(1), today.AddDays(3), TestDays: "2"));

        var list = await ListAsync(Client, $"gridId={grid}");
        Assert.Equal(today, list.Day);
        Assert.Equal(new FollowUpCounts(2, 0, 0), list.Counts);
        Assert.Equal([1, 2], list.Items.Select(i => i.Slot));
        Assert.All(list.Items, i =>
        {
            Assert.Equal((stages[0].Id, person, "王两检", MeasureKind.HomeQuarantine, 3, 3, true, FollowUpState.Due),
                (i.MeasureId, i.PersonId, i.PersonName, i.Kind, i.DayNumber, i.Days, i.IsTestDay, i.State));
            Assert.Equal("139****5678", i.Phone);
            Assert.NotNull(i.Address);
            Assert.NotNull(i.GridName);
        });

        var tomorrow = await ListAsync(Client, $"gridId={grid}&day={today.AddDays(1):yyyy-MM-dd}");
        var next = Assert.Single(tomorrow.Items);
        Assert.Equal((stages[1].Id, MeasureKind.HomeHealthMonitoring, 1, 3, false), (next.MeasureId, next.Kind, next.DayNumber, next.Days, next.IsTestDay));
        Assert.Empty((await ListAsync(Client, $"gridId={grid}&day={today.AddDays(4):yyyy-MM-dd}")).Items);

        // A stage still waiting for approval, or ended early, owes nothing.
        var (grid2, pending) = await PersonAsync();
        await Factory.CourseAsync(pending, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, today, today.AddDays(2), State: MeasureState.PendingApproval));
        Assert.Empty((await ListAsync(Client, $"gridId={grid2}")).Items);
    }

    [Fact]
    public async Task Recording_ThenRecordingAgain_UpdatesTheOneRow()
    {
        var (grid, person) = await PersonAsync();
        var stage = (await Factory.CourseAsync(person, PersonCategory.SecondaryContact, new StageSpec(MeasureKind.HomeHealthMonitoring, Today.AddDays(-1), Today.AddDays(2))))[0];
        var worker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid);

        using (var first = await RecordAsync(worker, new { measureId = stage.Id, reached = true, temperature = 36.5m }))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var again = await RecordAsync(worker, new { measureId = stage.Id, reached = true, temperature = 36.8m, note = "复测" }))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            var saved = (await again.Content.ReadFromJsonAsync<RecordedFollowUp>(Json, Ct))!;
            Assert.False(saved.Referred);
        }

        await using var db = Factory.CreateDbContext();
        var row = await db.FollowUps.SingleAsync(f => f.MeasureId == stage.Id, Ct);
        Assert.Equal((Today, 1, true, 36.8m, "复测", false), (row.Day, row.Slot, row.Reached, row.Temperature, row.Note, row.Missed));
        var list = await ListAsync(worker, "");
        var item = Assert.Single(list.Items);
        Assert.Equal((FollowUpState.Done, 36.8m), (item.State, item.Temperature));
        Assert.Equal(new FollowUpCounts(0, 1, 0), list.Counts);
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.EntityType == nameof(FollowUp) && a.EntityId == row.Id.ToString(), Ct));

        // Not reached: no temperature needed; recorded yesterday (late) is allowed.
        using var yesterday = await RecordAsync(worker, new { measureId = stage.Id, day = Today.AddDays(-1), reached = false });
        Assert.Equal(HttpStatusCode.OK, yesterday.StatusCode);
    }

    [Fact]
    public async Task BadInput_Is400NamingTheField_AndWritesNothing()
    {
        var (_, person) = await PersonAsync();
        var stage = (await Factory.CourseAsync(person, PersonCategory.CloseContact,
            new StageSpec(MeasureKind.HomeQuarantine, Today.AddDays(-5), Today.AddDays(-1), ChecksPerDay: 1)))[0];
        var running = (await Factory.CourseAsync((await PersonAsync()).Person, PersonCategory.CloseContact,
            new StageSpec(MeasureKind.HomeQuarantine, Today, Today.AddDays(3))))[0];

        await ExpectFieldAsync(new { measureId = running.Id, reached = true, temperature = 43.5m }, "Temperature");
        await ExpectFieldAsync(new { measureId = running.Id, reached = true, temperature = 33.9m }, "Temperature");
        await ExpectFieldAsync(new { measureId = running.Id, reached = true }, "Temperature");
        // 37.25 would be kept as 37.3 yet judged below the fever line: one decimal only.
        await ExpectFieldAsync(new { measureId = running.Id, reached = true, temperature = 37.25m }, "Temperature");
        await ExpectFieldAsync(new { measureId = running.Id, reached = true, temperature = 36.5m, day = Today.AddDays(1) }, "Day");
        await ExpectFieldAsync(new { measureId = running.Id, reached = true, temperature = 36.5m, day = Today.AddDays(-2) }, "Day");
        await ExpectFieldAsync(new { measureId = running.Id, temperature = 36.5m }, "Reached");
        await ExpectFieldAsync(new { measureId = running.Id, reached = true, temperature = 36.5m, slot = 2 }, "Slot");
        await ExpectFieldAsync(new { measureId = stage.Id, reached = true, temperature = 36.5m }, "MeasureId");
        using (var unknown = await RecordAsync(Client, new { measureId = Guid.NewGuid(), reached = true, temperature = 36.5m }))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        await using var db = Factory.CreateDbContext();
        Assert.False(await db.FollowUps.AnyAsync(f => f.MeasureId == stage.Id || f.MeasureId == running.Id, Ct));
    }

    private async Task ExpectFieldAsync(object body, string field)
    {
        using var response = await RecordAsync(Client, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"expected an error on {field}: {errors}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    [Fact]
    public async Task OtherCommunitiesAndGrids_DoNotSeeOrRecord_ObserversCannotWrite()
    {
        var (grid, person) = await PersonAsync();
        var stage = (await Factory.CourseAsync(person, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, Today, Today.AddDays(3))))[0];
        var otherGrid = await Data.GridAsync();
        var body = new { measureId = stage.Id, reached = true, temperature = 36.5m };

        var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        Assert.DoesNotContain((await ListAsync(sibling, "pageSize=200")).Items, i => i.PersonId == person);
        Assert.Empty((await ListAsync(sibling, $"gridId={grid}")).Items);
        using (var response = await RecordAsync(sibling, body)) Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var otherWorker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, otherGrid.Id);
        Assert.DoesNotContain((await ListAsync(otherWorker, "pageSize=200")).Items, i => i.PersonId == person);
        using (var response = await RecordAsync(otherWorker, body)) Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Community);
        Assert.Contains((await ListAsync(observer, $"gridId={grid}")).Items, i => i.PersonId == person);
        using (var response = await RecordAsync(observer, body)) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using (var response = await observer.PostAsync("/api/v1/follow-ups/sampling-orders", null, Ct)) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var community = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        Assert.Contains((await ListAsync(community, $"jurisdiction={TestData.Community}&gridId={grid}")).Items, i => i.PersonId == person);
        Assert.Empty((await ListAsync(community, $"jurisdiction={TestData.SiblingCommunity}&gridId={grid}")).Items);

        await using var db = Factory.CreateDbContext();
        Assert.False(await db.FollowUps.AnyAsync(f => f.MeasureId == stage.Id, Ct));
    }

    [Fact]
    public async Task Fever_OpensOneReferralAndOneAlert_PerPersonAndDay()
    {
        var (grid, person) = await PersonAsync(name: "李发热");
        var stage = (await Factory.CourseAsync(person, PersonCategory.CloseContact,
            new StageSpec(MeasureKind.HomeQuarantine, Today, Today.AddDays(3), ChecksPerDay: 2)))[0];
        var worker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid);

        using (var fever = await RecordAsync(worker, new { measureId = stage.Id, reached = true, temperature = 37.3m, symptoms = "Cough, Fatigue" }))
        {
            Assert.Equal(HttpStatusCode.OK, fever.StatusCode);
            var saved = (await fever.Content.ReadFromJsonAsync<RecordedFollowUp>(Json, Ct))!;
            Assert.True(saved.Referred);
            Assert.NotNull(saved.WorkOrderNumber);
        }
        using (var again = await RecordAsync(worker, new { measureId = stage.Id, slot = 2, reached = true, temperature = 38.1m }))
            Assert.False((await again.Content.ReadFromJsonAsync<RecordedFollowUp>(Json, Ct))!.Referred);
        using (var same = await RecordAsync(worker, new { measureId = stage.Id, reached = true, temperature = 38.4m }))
            Assert.Equal(HttpStatusCode.OK, same.StatusCode);

        await using var db = Factory.CreateDbContext();
        var order = await db.WorkOrders.SingleAsync(w => w.PersonId == person, Ct);
        var now = Factory.Clock!.GetUtcNow().UtcDateTime;
        Assert.Equal((WorkOrderSource.FeverReferral, WorkOrderSubject.Person, grid, grid, WorkOrderStatus.Assigned),
            (order.Source, order.SubjectKind, order.GridId, order.AssigneeGridId, order.Status));
        Assert.InRange(order.DueAt, now.AddHours(2).AddSeconds(-5), now.AddHours(2).AddSeconds(5));
        Assert.Contains("李发热", order.Title);
        Assert.Contains("37.3", order.Title);
        var alert = await db.Alerts.SingleAsync(a => a.PersonId == person, Ct);
        Assert.Equal((AlertKind.FeverOrSymptoms, order.Id, grid), (alert.Kind, alert.WorkOrderId, alert.GridId));
        Assert.Contains("咳嗽", alert.Title);

        // The grid worker sees the alert and acknowledges it; the sibling community cannot, an observer may not.
        var open = await worker.GetFromJsonAsync<Paged<AlertItem>>("/api/v1/alerts", Json, Ct);
        Assert.Contains(open!.Items, a => a.Id == alert.Id);
        var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        Assert.DoesNotContain((await sibling.GetFromJsonAsync<Paged<AlertItem>>("/api/v1/alerts?pageSize=200", Json, Ct))!.Items, a => a.Id == alert.Id);
        using (var response = await sibling.PostAsync($"/api/v1/alerts/{alert.Id}/acknowledge", null, Ct)) Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Community);
        using (var response = await observer.PostAsync($"/api/v1/alerts/{alert.Id}/acknowledge", null, Ct)) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using (var response = await worker.PostAsync($"/api/v1/alerts/{alert.Id}/acknowledge", null, Ct)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain((await worker.GetFromJsonAsync<Paged<AlertItem>>("/api/v1/alerts", Json, Ct))!.Items, a => a.Id == alert.Id);
        Assert.Contains((await worker.GetFromJsonAsync<Paged<AlertItem>>("/api/v1/alerts?acknowledged=true", Json, Ct))!.Items, a => a.Id == alert.Id);
    }

    [Fact]
    public async Task SamplingOrders_ForPeopleAtHomeOnTestDays_OncePerDay()
    {
        var today = Today;
        var (grid, home) = await PersonAsync(name: "居家采样");
        await Factory.CourseAsync(home, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, today.AddDays(-1), today.AddDays(3), TestDays: "2,4"));
        var (_, site) = await PersonAsync();
        await Factory.CourseAsync(site, PersonCategory.CloseContact, new StageSpec(MeasureKind.CentralisedQuarantine, today.AddDays(-1), today.AddDays(3), TestDays: "2,4"));
        var (_, noTest) = await PersonAsync();
        await Factory.CourseAsync(noTest, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeHealthMonitoring, today.AddDays(-1), today.AddDays(3), TestDays: "1,3"));
        var (_, sibling) = await PersonAsync(TestData.SiblingCommunity);
        await Factory.CourseAsync(sibling, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, today, today.AddDays(3), TestDays: "1"));

        var dispatcher = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        using (var bad = await dispatcher.PostAsync($"/api/v1/follow-ups/sampling-orders?day={today.AddDays(-1):yyyy-MM-dd}", null, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("errors").TryGetProperty("Day", out _));
        }
        using (var first = await dispatcher.PostAsync("/api/v1/follow-ups/sampling-orders", null, Ct))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var second = await dispatcher.PostAsync("/api/v1/follow-ups/sampling-orders", null, Ct))
            Assert.Equal(0, (await second.Content.ReadFromJsonAsync<SamplingOrdersResult>(Json, Ct))!.Opened);

        await using var db = Factory.CreateDbContext();
        var orders = await db.WorkOrders.Where(w => w.Source == WorkOrderSource.DoorToDoorSampling && (w.PersonId == home || w.PersonId == site || w.PersonId == noTest || w.PersonId == sibling))
            .ToListAsync(Ct);
        var order = Assert.Single(orders);
        Assert.Equal((home, grid, WorkOrderStatus.Assigned), (order.PersonId!.Value, order.AssigneeGridId!.Value, order.Status));
        Assert.Contains("第2天", order.Title);
    }

    [Fact]
    public async Task AtTheEndOfTheLocalDay_ACheckNotRecordedIsFlagged_OneRecordedAt2358IsNot()
    {
        var clock = Factory.Get<LocalClock>();
        var local = clock.ToLocal(Factory.Clock!.GetUtcNow().UtcDateTime);
        var day = DateOnly.FromDateTime(local);
        if (TimeOnly.FromDateTime(local) >= new TimeOnly(23, 57)) day = day.AddDays(1);
        var (grid, done) = await PersonAsync(name: "按时随访");
        var household = await Data.HouseholdAsync(TestData.Community, grid);
        var (missed, _) = await Data.PersonAsync(household, "漏随访");
        var doneStage = (await Factory.CourseAsync(done, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeHealthMonitoring, day, day.AddDays(3))))[0];
        var missedStage = (await Factory.CourseAsync(missed, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeHealthMonitoring, day, day.AddDays(3))))[0];
        var account = await Factory.CreateAccountAsync(StaffRoles.GridWorker, TestData.Community, grid);

        // Signed in after the clock moves: a token from the real now may have expired by the fake evening.
        Factory.Clock.SetUtcNow(clock.ToUtc(day.ToDateTime(new TimeOnly(23, 58))));
        var worker = await Factory.ClientForAsync(account);
        using (var recorded = await RecordAsync(worker, new { measureId = doneStage.Id, reached = true, temperature = 36.4m }))
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.Equal(new FollowUpCounts(1, 1, 0), (await ListAsync(worker, $"day={day:yyyy-MM-dd}")).Counts);

        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        FollowUpList list;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(100, Ct);
            list = await ListAsync(worker, $"day={day:yyyy-MM-dd}");
        }
        while (list.Counts.Missed == 0 && waited.Elapsed < TimeSpan.FromSeconds(15));

        Assert.Equal(new FollowUpCounts(0, 1, 1), list.Counts);
        Assert.Equal(FollowUpState.Missed, list.Items.Single(i => i.MeasureId == missedStage.Id).State);
        var ok = list.Items.Single(i => i.MeasureId == doneStage.Id);
        Assert.Equal((FollowUpState.Done, false), (ok.State, ok.Missed));
        await using var db = Factory.CreateDbContext();
        var alert = await db.Alerts.SingleAsync(a => a.Kind == AlertKind.FollowUpMissed && a.GridId == grid, Ct);
        Assert.Contains("1", alert.Title);

        // Flagging again (as the start-up catch-up does) adds nothing; recorded late the next morning, it stays flagged.
        Assert.Equal(0, await Factory.Get<FlagMissedFollowUps>().HandleAsync(day, Ct));
        Factory.Clock.Advance(TimeSpan.FromHours(8));
        worker = await Factory.ClientForAsync(account);
        using (var late = await RecordAsync(worker, new { measureId = missedStage.Id, day, reached = true, temperature = 36.6m }))
            Assert.True((await late.Content.ReadFromJsonAsync<RecordedFollowUp>(Json, Ct))!.Missed);
        var after = (await ListAsync(worker, $"day={day:yyyy-MM-dd}")).Items.Single(i => i.MeasureId == missedStage.Id);
        Assert.Equal((FollowUpState.Done, true), (after.State, after.Missed));
        Assert.Equal(1, await db.Alerts.CountAsync(a => a.Kind == AlertKind.FollowUpMissed && a.GridId == grid, Ct));
    }
}

public sealed class FollowUpsApiTests_Sqlite(SqliteFakeTimeAppFactory f) : FollowUpsApiTests(f), IClassFixture<SqliteFakeTimeAppFactory>;

public sealed class FollowUpsApiTests_Postgres(PostgresFakeTimeAppFactory f) : FollowUpsApiTests(f), IClassFixture<PostgresFakeTimeAppFactory>;
