using System.Net.Http.Json;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Measures;

/// <summary>The console pieces render (server prerendering): the day counter in the list, the timeline and the issue form on the person page.</summary>
public sealed class MeasuresConsoleTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    private DateOnly Today => Factory.Get<LocalClock>().Today();

    private async Task<Guid> UnderQuarantineAsync(string name)
    {
        await Factory.PutInForceAsync(TestData.Street, "NHC-9");
        var personId = (await Data.PersonAsync(await Data.HouseholdAsync(), name)).Id;
        var response = await Client.PostAsJsonAsync($"/api/v1/persons/{personId}/measures",
            new { category = "CloseContact", anchorDay = Today.AddDays(-2), reason = "与确诊病例同餐，判定为密接", basis = "Other" }, Json, Ct);
        var course = await response.Content.ReadFromJsonAsync<Web.Features.Measures.CourseItem>(Json, Ct);
        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        (await command.PostAsJsonAsync($"/api/v1/restrictions/{course!.Id}/approve", new { note = "同意" }, Json, Ct)).EnsureSuccessStatusCode();
        return personId;
    }

    [Fact]
    public async Task MeasuresPage_ListsPeopleWithTheirDayCounter()
    {
        await UnderQuarantineAsync("隔离页测试");
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var html = await worker.GetStringAsync("/measures", Ct);
        Assert.Contains("在管人员", html);
        Assert.Contains("隔离页测试", html);
        Assert.Contains("第2天/共7天", html);
        Assert.Contains("集中隔离医学观察", html);
    }

    [Fact]
    public async Task PersonPage_ShowsTheTimeline_AndTheIssueFormNamingTheAnchor()
    {
        var personId = await UnderQuarantineAsync("时间线测试");
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var html = await worker.GetStringAsync($"/persons/{personId}", Ct);
        Assert.Contains("measure-timeline", html);
        Assert.Contains("第2天/共7天", html);
        Assert.Contains("下达管控措施", html);
        Assert.Contains("末次暴露日期", html);
        Assert.Contains("提前解除", html);

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Community);
        var observed = await observer.GetStringAsync($"/persons/{personId}", Ct);
        Assert.Contains("measure-timeline", observed);
        Assert.DoesNotContain("measure-form", observed);
    }
}
