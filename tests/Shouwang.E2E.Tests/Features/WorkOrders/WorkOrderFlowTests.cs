using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.WorkOrders;
using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.WorkOrders;

public sealed class WorkOrderFlowTests(ConsoleServer server) : ConsoleTest(server)
{
    private const string Resolution = "已联系药店送药上门，居民已签收";

    /// <summary>
    /// A resident asks for medicine on the public page; the community clerk gives it to the grid; the grid worker accepts
    /// and finishes it; the admin sees every step; the resident sees it done.
    /// </summary>
    [Fact]
    public async Task PublicRequest_DispatchedToTheGrid_GridWorkerFinishesIt_AdminSeesTheWholeHistory()
    {
        var clerk = await Server.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        var worker = await Server.CreateAccountAsync(StaffRoles.GridWorker, TestData.Community, Server.Grid.Id);
        var admin = await Server.CreateAccountAsync(StaffRoles.Admin, TestData.Street);

        // 1. The resident, without an account, on a phone.
        var resident = await OpenAnonymousBrowserAsync();
        await resident.SetViewportSizeAsync(Viewports.Phone.Width, Viewports.Phone.Height);
        var number = await PublicPages.FileAsync(resident, new PublicPages.Request(
            "ResidentRequest", "Medicine", TestData.Community, "晏家湾小区3栋2单元501室", "司马望舒", "13907330001", "家中老人降压药只剩一天的量，行动不便无法出门"));
        await Screenshots.TakeAsync(resident, "public-request-filed");
        Assert.Equal("待派", await PublicPages.StatusAsync(resident, number, "0001"));

        // 2. The community clerk finds it among the orders waiting for dispatch and gives it to the grid.
        var page = await OpenBrowserAsync(clerk);
        await page.GotoInteractiveAsync("/workorders?queue=pending");
        await page.Locator("#workorders-table .workorder-link", new() { HasText = number }).ClickAsync();
        await Expect(page.Locator("#assign")).ToBeVisibleAsync();
        await page.Locator("#assign-target").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = Server.Grid.Name }).ClickAsync();
        await page.Locator("#assign").ClickAsync();
        await Expect(page.Locator(".status-chip").First).ToHaveTextAsync("已派");

        // 3. The grid worker sees it in "mine", accepts it and finishes it.
        page = await OpenBrowserAsync(worker);
        await page.GotoInteractiveAsync("/workorders?queue=mine");
        await Expect(page.Locator("#count-mine")).ToHaveTextAsync("1");
        await page.Locator("#workorders-table .workorder-link", new() { HasText = number }).ClickAsync();
        await page.Locator("#accept").ClickAsync();
        await Expect(page.Locator("#finish")).ToBeVisibleAsync();
        await page.Locator("textarea#resolution").FillAsync(Resolution);
        await page.Locator("#finish").ClickAsync();
        await Expect(page.Locator(".status-chip").First).ToHaveTextAsync("已办结");
        await Expect(page.Locator("#count-mine")).ToHaveTextAsync("0");
        await Screenshots.TakeAsync(page, "workorder-done", phone: true);

        // 4. The admin of the street sees the whole history: filed, assigned, accepted, done.
        page = await OpenBrowserAsync(admin);
        await page.GotoInteractiveAsync(await OrderUrlAsync(number));
        await Expect(page.Locator(".history-event")).ToHaveCountAsync(4);
        await Expect(page.Locator("#history")).ToContainTextAsync("公开页面提交");
        await Expect(page.Locator("#history")).ToContainTextAsync(Server.Grid.Name);
        await Expect(page.Locator("#history")).ToContainTextAsync(Resolution);
        await Screenshots.TakeAsync(page, "workorder-history-admin");

        // 5. The resident sees it done, with the result.
        Assert.Equal("已办结", await PublicPages.StatusAsync(resident, number, "0001"));
        await Expect(resident.Locator("#resolution")).ToContainTextAsync(Resolution);

        await using var db = Server.CreateDbContext();
        var order = await db.WorkOrders.AsNoTracking().SingleAsync(w => w.Number == number, Ct);
        Assert.Equal((WorkOrderStatus.Done, Resolution, Server.Grid.Id), (order.Status, order.Resolution, order.AssigneeGridId));
        Assert.True(order.IsPublic);
    }

    [Fact]
    public async Task NewOrderForm_NamesWhatIsMissing()
    {
        var page = await OpenBrowserAsync(StaffRoles.CommunityWorker, TestData.Community);
        await page.GotoInteractiveAsync("/workorders/new");
        await page.Locator("#create-workorder").ClickAsync();
        await Expect(page.Locator("#form-error")).ToBeVisibleAsync();
        await Expect(page.Locator(".mud-input-control", new() { Has = page.Locator("#input-title") })).ToContainTextAsync("请填写标题。");
    }

    private async Task<string> OrderUrlAsync(string number)
    {
        await using var db = Server.CreateDbContext();
        var id = await db.WorkOrders.Where(w => w.Number == number).Select(w => w.Id).SingleAsync(Ct);
        return $"/workorders/{id}";
    }
}
