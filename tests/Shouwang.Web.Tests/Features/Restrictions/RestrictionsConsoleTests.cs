using System.Net.Http.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Restrictions;
using Shouwang.Web.Features.Restrictions.Pages;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Restrictions;

/// <summary>The console pieces render (server prerendering) with the right buttons for the right people.</summary>
public sealed class RestrictionsConsoleTests(SqliteAppFactory factory) : ApiTestBase(factory), IClassFixture<SqliteAppFactory>
{
    private async Task<(Guid PersonId, RestrictionItem Pending)> PendingAsync(HttpClient requester, string reason)
    {
        var personId = (await Data.PersonAsync(await Data.HouseholdAsync(), "赋码测试")).Id;
        var response = await requester.PostAsJsonAsync($"/api/v1/persons/{personId}/restrictions",
            new { kind = "StatusColour", colour = "Red", reason, basis = "Other" }, Json, Ct);
        return (personId, (await response.Content.ReadFromJsonAsync<RestrictionItem>(Json, Ct))!);
    }

    [Fact]
    public async Task RestrictionsPage_ShowsPendingRequests_WithOwnRequestsNotDecidable()
    {
        var approver = await Factory.CreateAccountAsync(StaffRoles.Command, TestData.Community);
        using var approverClient = await Factory.ClientForAsync(approver);
        await PendingAsync(Client, "他人提出的申请理由");
        await PendingAsync(approverClient, "本人提出的申请理由");

        var html = await approverClient.GetStringAsync("/restrictions", Ct);

        Assert.Contains("他人提出的申请理由", html);
        Assert.Contains("本人提出的申请理由", html);
        Assert.Contains("批准", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "class=\"[^\"]*own-request"));
    }

    [Fact]
    public async Task RestrictionsPage_ForARequesterWithoutApproval_HasNoApproveButtons_AndObserversAreKeptOut()
    {
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        await PendingAsync(Client, "社区工作人员可见的申请");

        var html = await worker.GetStringAsync("/restrictions", Ct);
        Assert.Contains("社区工作人员可见的申请", html);
        Assert.DoesNotContain("批准", html);

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Community);
        var denied = await observer.GetAsync("/restrictions", Ct);
        Assert.DoesNotContain("社区工作人员可见的申请", await denied.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task PersonRestrictions_ShowsColourHistoryAndTheForm()
    {
        var (personId, pending) = await PendingAsync(Client, "同住人阳性需赋红码");
        var account = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);

        var html = await RenderAsync(Caller.For(account), personId);

        Assert.Contains("data-colour=\"Green\"", html);
        Assert.Contains("同住人阳性需赋红码", html);
        Assert.Contains("待审批", html);
        Assert.Contains("submit-restriction", html);
        Assert.NotEqual(Guid.Empty, pending.Id);

        var observer = await Factory.CreateAccountAsync(StaffRoles.Observer, TestData.Community);
        Assert.DoesNotContain("submit-restriction", await RenderAsync(Caller.For(observer), personId));
    }

    private async Task<string> RenderAsync(Caller caller, Guid personId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        // What a request does for the page it renders; the component's MudBlazor parts ask where they are.
        if (scope.ServiceProvider.GetRequiredService<NavigationManager>() is IHostEnvironmentNavigationManager navigation)
            navigation.Initialize("http://localhost/", $"http://localhost/persons/{personId}");
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        using var _ = CallerContext.Use(caller);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<PersonRestrictions>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["PersonId"] = personId }));
            await output.QuiescenceTask;
            return output.ToHtmlString();
        });
    }
}
