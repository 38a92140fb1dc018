using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.WorkOrders;
using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.WorkOrders;

public sealed class WorkOrderFlowTests(ConsoleServer server) : ConsoleTest(server)
{
    private const string Password = "Test-password-2022";

    [Fact]
    public async Task GridWorker_AcceptsAndFinishes_AdminSeesTheWholeHistory()
    {
        var worker = await AccountAsync(StaffRoles.GridWorker, TestData.Community, Server.Grid.Id);
        var admin = await AccountAsync(StaffRoles.Admin, "43", null);
        var (orderId, number) = await OrderForTheGridAsync();
        var page = await OpenBrowserAsync();

        await SignInAsync(page, worker);
        await page.GotoInteractiveAsync("/workorders?queue=mine");
        await Expect(page.Locator("#count-mine")).ToHaveTextAsync("1");
        await page.Locator("#workorders-table .workorder-link", new() { HasText = number }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{Server.BaseAddress}workorders/{orderId}");
        await page.Locator("#accept").ClickAsync();
        await Expect(page.Locator("#finish")).ToBeVisibleAsync();
        await page.Locator("textarea#resolution").FillAsync("已上门采样并送检");
        await page.Locator("#finish").ClickAsync();
        await Expect(page.Locator(".status-chip").First).ToHaveTextAsync("已办结");
        await Expect(page.Locator("#count-mine")).ToHaveTextAsync("0");
        await Screenshots.TakeAsync(page, "workorder-done");

        var adminPage = await (await Server.NewBrowserContextAsync()).NewPageAsync();
        await SignInAsync(adminPage, admin);
        await adminPage.GotoInteractiveAsync($"/workorders/{orderId}");
        await Expect(adminPage.Locator(".history-event")).ToHaveCountAsync(4);
        await Expect(adminPage.Locator("#history")).ToContainTextAsync("已上门采样并送检");

        // The new-order form names what is missing.
        await adminPage.GotoInteractiveAsync("/workorders/new");
        await adminPage.Locator("#create-workorder").ClickAsync();
        await Expect(adminPage.Locator("#form-error")).ToBeVisibleAsync();
        await Expect(adminPage.Locator(".mud-input-control", new() { Has = adminPage.Locator("#input-title") })).ToContainTextAsync("请填写标题。");

        await using var db = Server.CreateDbContext();
        var order = await db.WorkOrders.AsNoTracking().SingleAsync(w => w.Id == orderId, Ct);
        Assert.Equal((WorkOrderStatus.Done, "已上门采样并送检"), (order.Status, order.Resolution));
    }

    private static async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(Password);
        await page.Locator("#login-submit").ClickAsync();
        await Expect(page.Locator("#login-submit")).ToHaveCountAsync(0);
    }

    private async Task<string> AccountAsync(StaffRoles roles, string node, Guid? grid)
    {
        var account = new StaffAccount
        {
            UserName = $"e{Guid.NewGuid():N}"[..12], DisplayName = $"{roles}测试", Roles = roles, NodeCode = node, CreatedAt = DateTime.UtcNow,
        };
        account.NormalizedUserName = account.UserName.ToUpperInvariant();
        account.BindTo(JurisdictionCode.Parse(node), grid);
        account.PasswordHash = new PasswordHasher<StaffAccount>().HashPassword(account, Password);
        await using var db = Server.CreateDbContext();
        db.Users.Add(account);
        await db.SaveChangesAsync(Ct);
        return account.UserName;
    }

    private async Task<(Guid Id, string Number)> OrderForTheGridAsync()
    {
        var now = DateTime.UtcNow;
        var order = new WorkOrder
        {
            Number = WorkOrderNumbers.New(DateOnly.FromDateTime(now)), Source = WorkOrderSource.DoorToDoorSampling, Title = "上门采样（行动不便）",
            Place = "晏家湾小区3栋2单元501室", SubjectKind = WorkOrderSubject.Place, CommunityCode = long.Parse(TestData.Community), GridId = Server.Grid.Id,
            AssigneeGridId = Server.Grid.Id, Status = WorkOrderStatus.Assigned, DueAt = now.AddHours(4), CreatedAt = now, UpdatedAt = now,
        };
        await using var db = Server.CreateDbContext();
        db.WorkOrders.Add(order);
        db.WorkOrderEvents.Add(new WorkOrderEvent { WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Created, Actor = "指挥部" });
        db.WorkOrderEvents.Add(new WorkOrderEvent { WorkOrderId = order.Id, At = now.AddSeconds(1), Kind = WorkOrderEventKind.Assigned, Actor = "指挥部", Assignee = Server.Grid.Name });
        await db.SaveChangesAsync(Ct);
        return (order.Id, order.Number);
    }
}
