using Microsoft.EntityFrameworkCore;
using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.Accounts;

public sealed class AccountLifecycleTests(ConsoleServer server) : ConsoleTest(server)
{
    /// <summary>
    /// The street admin makes an observer account for 晏家湾; its holder signs in with the initial password, must replace
    /// it first, then sees only their community and no administration; the admin finds all of it in the audit log.
    /// </summary>
    [Fact]
    public async Task AdminCreatesAccount_HolderMustChangePassword_SeesOnlyTheirCommunity_AuditShowsIt()
    {
        var userName = $"obs{Guid.NewGuid():N}"[..12];
        var admin = await OpenBrowserAsync(StaffRoles.Admin, TestData.Street);
        await admin.GotoInteractiveAsync("/accounts");
        await admin.Locator("#account-new").ClickAsync();
        await admin.Locator("#input-username").FillAsync(userName);
        await admin.Locator("#input-displayname").FillAsync("晏家湾观察员");
        await admin.Locator("#input-roles .mud-checkbox", new() { HasText = "观察员" }).ClickAsync();
        await admin.Locator("#input-node").FillAsync(TestData.Community);
        await admin.Locator("#input-node").BlurAsync();
        await admin.Locator("#save-account").ClickAsync();
        await Expect(admin.Locator("#initial-password")).ToContainTextAsync(userName);
        var password = (await admin.Locator("#initial-password code").InnerTextAsync()).Trim();
        await Screenshots.TakeAsync(admin, "accounts-created");

        var holder = await OpenAnonymousBrowserAsync();
        await holder.GotoAsync("/persons");
        await Expect(holder).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await Screenshots.TakeAsync(holder, "sign-in", phone: true);
        await holder.Locator("#username").FillAsync(userName);
        await holder.Locator("#password").FillAsync("wrong-password-1");
        await holder.Locator("#login-submit").ClickAsync();
        await Expect(holder.Locator("#login-error")).ToHaveTextAsync("用户名或密码错误。");
        await holder.Locator("#username").FillAsync(userName);
        await holder.Locator("#password").FillAsync(password);
        await holder.Locator("#login-submit").ClickAsync();
        await Expect(holder).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/change-password"));
        // Nothing else opens until the initial password is replaced.
        await holder.GotoAsync("/persons");
        await Expect(holder).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/change-password"));
        await holder.Locator("#current").FillAsync(password);
        await holder.Locator("#new").FillAsync("Gate-night-2022");
        await holder.Locator("#confirm").FillAsync("Gate-night-2022");
        await holder.Locator("#change-submit").ClickAsync();
        await Expect(holder.Locator("#home-scope")).ToContainTextAsync("晏家湾社区");
        await Expect(holder.Locator(".mud-nav-link", new() { HasText = "账号管理" })).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(holder, "observer-home", phone: true);

        // The observer's person list holds 晏家湾's people only.
        var search = await PersonSearchPage.OpenAsync(holder);
        await search.SearchAsync(Server.Resident.Name);
        await Expect(search.ResultCount).ToHaveTextAsync("共 1 条");
        await using (var db = Server.CreateDbContext())
        {
            var outsider = await db.Persons.Where(p => p.CommunityCode == long.Parse(TestData.SiblingCommunity)).Select(p => p.Name).FirstAsync(Ct);
            await search.SearchAsync(outsider);
            await Expect(search.Results).Not.ToContainTextAsync(outsider);
        }

        await admin.GotoInteractiveAsync("/audit");
        await admin.Locator("#audit-account").FillAsync(userName);
        await admin.Locator("#audit-search").ClickAsync();
        await Expect(admin.Locator("#audit-table")).ToContainTextAsync("登录");
        await Screenshots.TakeAsync(admin, "audit-log");

        await using var check = Server.CreateDbContext();
        var account = await check.Users.SingleAsync(a => a.UserName == userName, Ct);
        var actions = await check.AuditEntries.Where(e => e.EntityId == account.Id.ToString()).Select(e => e.Action).ToListAsync(Ct);
        Assert.Contains(AuditAction.Create, actions);
        Assert.Contains(AuditAction.SignInFailed, actions);
        Assert.Contains(AuditAction.SignIn, actions);
        Assert.Contains(AuditAction.PasswordChanged, actions);
        Assert.False(account.MustChangePassword);
    }
}
