using System.Net.Http.Json;
using Shouwang.Domain.Policies;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.FollowUps;

/// <summary>The follow-up and alert pages render (server prerendering) with the right buttons for the right people.</summary>
public sealed class FollowUpsConsoleTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task TheGridWorkersList_ShowsTheirPeople_WithARecordButton_ObserversGetNone()
    {
        var today = Factory.Get<LocalClock>().Today();
        var grid = await Data.GridAsync();
        var (person, _) = await Data.PersonAsync(await Data.HouseholdAsync(TestData.Community, grid.Id), "页面随访人");
        var stage = (await Factory.CourseAsync(person, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, today.AddDays(-1), today.AddDays(3), ChecksPerDay: 2, TestDays: "2")))[0];
        var (other, _) = await Data.PersonAsync(await Data.HouseholdAsync(TestData.Community), "别的网格人");
        await Factory.CourseAsync(other, PersonCategory.CloseContact, new StageSpec(MeasureKind.HomeQuarantine, today, today.AddDays(3)));

        using var worker = await Factory.ClientForAsync(StaffRoles.GridWorker, TestData.Community, grid.Id);
        var html = await worker.GetStringAsync("/follow-ups", Ct);
        Assert.Contains("页面随访人", html);
        Assert.DoesNotContain("别的网格人", html);
        Assert.Contains("第2天/共5天", html);
        Assert.Contains("今日核酸", html);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(html, $"data-record=\"{stage.Id}\""));

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Community);
        var seen = await observer.GetStringAsync("/follow-ups", Ct);
        Assert.Contains("页面随访人", seen);
        Assert.DoesNotContain("data-record=", seen);

        // A fever recorded through the API shows on the alerts page, with an acknowledge button for the worker only.
        using (var fever = await worker.PostAsJsonAsync("/api/v1/follow-ups", new { measureId = stage.Id, reached = true, temperature = 38.5m }, Json, Ct))
            fever.EnsureSuccessStatusCode();
        var alerts = await worker.GetStringAsync("/alerts", Ct);
        Assert.Contains("页面随访人 随访异常：38.5℃", alerts);
        Assert.Contains("data-acknowledge=", alerts);
        Assert.DoesNotContain("data-acknowledge=", await observer.GetStringAsync("/alerts", Ct));
    }
}
