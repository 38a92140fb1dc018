using System.Net.Http.Json;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Policies;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Policies;

/// <summary>The policy pages render (server prerendering) the rules in words, with the forms only for those who may change policies.</summary>
public sealed class PoliciesConsoleTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task PolicyPage_ShowsTheStagesInWords_AndTheFormsOnlyToTheCommand()
    {
        var ninth = (await Client.GetFromJsonAsync<List<PolicySummary>>("/api/v1/policies", Json, Ct))!.Single(p => p.Code == "NHC-9");
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        var list = await observer.GetStringAsync("/policies", Ct);
        Assert.Contains("新型冠状病毒肺炎防控方案（第九版）", list);

        var html = System.Net.WebUtility.HtmlDecode(await observer.GetStringAsync($"/policies/{ninth.Id}", Ct));
        Assert.Contains("集中隔离 7 天（第1、2、3、5、7天核酸），每日早晚随访 2 次→ 居家健康监测 3 天（第3天核酸）", html);
        Assert.Contains("高风险区连续 7 天无新增感染者且第 7 天全员核酸筛查阴性，降为中风险区", html);
        Assert.DoesNotContain("id=\"copy-policy\"", html);

        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        var commandHtml = await command.GetStringAsync($"/policies/{ninth.Id}", Ct);
        Assert.Contains("id=\"copy-policy\"", commandHtml);
        Assert.Contains("id=\"put-in-force\"", commandHtml);
        Assert.DoesNotContain("id=\"save-stages\"", commandHtml);
    }
}
