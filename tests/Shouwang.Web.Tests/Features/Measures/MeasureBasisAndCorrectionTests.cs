using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Arrivals;
using Shouwang.Web.Features.FollowUps;
using Shouwang.Web.Features.Measures;
using Shouwang.Web.Features.Restrictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Features.FollowUps;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Measures;

/// <summary>
/// A record basis lets a restriction skip the second person only when the record is about that person; a correction keeps
/// the day's checks; a late-recorded course owes no checks for the days before it was issued; a null bulk row is a 400.
/// </summary>
public abstract class MeasureBasisAndCorrectionTests(AppFactory factory) : ApiTestBase(factory)
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Factory.PutInForceAsync(TestData.Street, "NHC-9");
    }

    private DateOnly Today => Factory.Get<LocalClock>().Today();
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string NewPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    private async Task<(Guid Grid, Guid Person, string Document)> PersonAsync(string name = "评审对象")
    {
        var grid = await Data.GridAsync();
        var household = await Data.HouseholdAsync(TestData.Community, grid.Id);
        var (person, document) = await Data.PersonAsync(household, name, "13912345678");
        return (grid.Id, person, document);
    }

    /// <summary>A staff arrival report filed by <paramref name="client"/>, about <paramref name="document"/> (somebody else by default).</summary>
    private async Task<string> ArrivalNumberAsync(HttpClient client, string? document = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/arrivals", new Dictionary<string, object?>
        {
            ["documentNumber"] = document ?? TestData.NewIdNumber(), ["name"] = "来返人员", ["phone"] = NewPhone(), ["originCode"] = "420102",
            ["transport"] = "Train", ["leftOn"] = Day(Today.AddDays(-2)), ["arrivedOn"] = Day(Today.AddDays(-1)),
            ["communityCode"] = TestData.Community, ["stayAddress"] = "某小区1栋101",
        }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SubmittedArrival>(Json, Ct))!.Number;
    }

    [Fact]
    public async Task AnArrivalReportAboutSomebodyElse_DoesNotLetARestrictionOrMeasureSkipTheSecondPerson()
    {
        var (_, person, _) = await PersonAsync();
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var colleague = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var number = await ArrivalNumberAsync(colleague);

        var denial = await worker.PostAsJsonAsync($"/api/v1/persons/{person}/restrictions",
            new { kind = "CheckpointDenial", reason = "借用他人来返报备", basis = "Arrival", basisReference = number }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, denial.StatusCode);
        Assert.Equal(RestrictionState.PendingApproval, (await denial.Content.ReadFromJsonAsync<RestrictionItem>(Json, Ct))!.State);

        var issued = await worker.PostAsJsonAsync($"/api/v1/persons/{person}/measures",
            new { category = "HighRiskAreaArrival", anchorDay = Day(Today.AddDays(-1)), reason = "借用他人来返报备", basis = "Arrival", basisReference = number }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(RestrictionState.PendingApproval, (await issued.Content.ReadFromJsonAsync<CourseItem>(Json, Ct))!.State);
    }

    [Fact]
    public async Task AnArrivalReportAboutThePerson_TakesEffectAtOnce_UnlessTheRequesterFiledItThemselves()
    {
        var (_, person, document) = await PersonAsync("来返本人");
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var colleague = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var body = (string number) => new { category = "HighRiskAreaArrival", anchorDay = Day(Today.AddDays(-1)), reason = "高风险区来返", basis = "Arrival", basisReference = number };

        var own = await worker.PostAsJsonAsync($"/api/v1/persons/{person}/measures", body(await ArrivalNumberAsync(worker, document)), Json, Ct);
        Assert.Equal(RestrictionState.PendingApproval, (await own.Content.ReadFromJsonAsync<CourseItem>(Json, Ct))!.State);
        await using (var db = Factory.CreateDbContext())
            await db.Restrictions.Where(r => r.PersonId == person).ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RestrictionState.Rejected), Ct);
        await using (var db = Factory.CreateDbContext())
            await db.ControlMeasures.Where(m => m.PersonId == person).ExecuteUpdateAsync(u => u.SetProperty(m => m.State, Domain.Measures.MeasureState.Rejected), Ct);

        var theirs = await worker.PostAsJsonAsync($"/api/v1/persons/{person}/measures", body(await ArrivalNumberAsync(colleague, document)), Json, Ct);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.Equal(RestrictionState.Active, (await theirs.Content.ReadFromJsonAsync<CourseItem>(Json, Ct))!.State);
    }

    [Fact]
    public async Task BulkIssue_ANullRow_IsA400NamingTheRow()
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/measures/bulk",
            new { category = "CloseContact", reason = "批量下发测试", basis = "Other", rows = new object?[] { null } }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"Rows[0]\"", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AChangedCourse_KeepsTodaysRecordedCheck_InsteadOfOwingItAgain()
    {
        var (grid, person, _) = await PersonAsync("更正对象");
        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        var issued = await Client.PostAsJsonAsync($"/api/v1/persons/{person}/measures",
            new { category = "LowRiskAreaArrival", anchorDay = Day(Today.AddDays(-1)), reason = "低风险区来返", basis = "Other" }, Json, Ct);
        var course = (await issued.Content.ReadFromJsonAsync<CourseItem>(Json, Ct))!;
        Assert.Equal(HttpStatusCode.OK, (await command.PostAsJsonAsync($"/api/v1/restrictions/{course.Id}/approve", new { note = "同意" }, Json, Ct)).StatusCode);
        using (var check = await Client.PostAsJsonAsync("/api/v1/follow-ups", new { measureId = course.Stages.Single().Id, reached = true, temperature = 36.5m }, Json, Ct))
            Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal(new FollowUpCounts(0, 1, 0), (await Client.GetFromJsonAsync<FollowUpList>($"/api/v1/follow-ups?gridId={grid}", Json, Ct))!.Counts);

        // A correction of the days the person was found: the replacement waits for approval, then takes over with today's check.
        var changed = await Client.PostAsJsonAsync($"/api/v1/measures/courses/{course.Id}/change", new { reason = "更正抵达日期", anchorDay = Day(Today.AddDays(-2)) }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        var replacement = (await changed.Content.ReadFromJsonAsync<CourseItem>(Json, Ct))!;
        Assert.Equal(HttpStatusCode.OK, (await command.PostAsJsonAsync($"/api/v1/restrictions/{replacement.Id}/approve", new { note = "同意" }, Json, Ct)).StatusCode);

        var after = (await Client.GetFromJsonAsync<FollowUpList>($"/api/v1/follow-ups?gridId={grid}", Json, Ct))!;
        Assert.Equal(new FollowUpCounts(0, 1, 0), after.Counts);
        Assert.Equal(replacement.Stages.Single().Id, Assert.Single(after.Items).MeasureId);
    }

    [Fact]
    public async Task FlaggingADay_BeforeTheCourseWasIssued_FlagsNothing()
    {
        // Found two days ago but recorded only now: nobody owed a check on the days before.
        var (_, person, _) = await PersonAsync("迟录对象");
        await Factory.CourseAsync(person, PersonCategory.SecondaryContact, new StageSpec(MeasureKind.HomeHealthMonitoring, Today.AddDays(-2), Today.AddDays(3)));
        using (CallerContext.AsSystem())
        {
            await using var scope = Factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<FlagMissedFollowUps>().HandleAsync(Today.AddDays(-1), Ct);
        }
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.FollowUps.AnyAsync(f => f.PersonId == person, Ct));
    }
}

public sealed class MeasureBasisAndCorrectionTests_Sqlite(SqliteAppFactory f) : MeasureBasisAndCorrectionTests(f), IClassFixture<SqliteAppFactory>;

public sealed class MeasureBasisAndCorrectionTests_Postgres(PostgresAppFactory f) : MeasureBasisAndCorrectionTests(f), IClassFixture<PostgresAppFactory>;
