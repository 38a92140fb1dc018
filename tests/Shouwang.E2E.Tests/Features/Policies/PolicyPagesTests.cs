using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.Policies;

public sealed class PolicyPagesTests(ConsoleServer server) : ConsoleTest(server)
{
    /// <summary>The shipped 第九版 reads as the protocol does: close contacts 7 days centralised, tests on days 1, 2, 3, 5, 7, then 3 days at home.</summary>
    [Fact]
    public async Task NinthEdition_ShowsEachCategorysStagesInWords()
    {
        var page = await OpenBrowserAsync(StaffRoles.Command, TestData.Street);
        await page.GotoInteractiveAsync("/policies");
        await Expect(page.Locator("#policies-table")).ToContainTextAsync("第九版");
        await page.Locator("#policies-table a", new() { HasText = "第九版" }).First.ClickAsync();
        await Expect(page.Locator("#rules-table")).ToContainTextAsync("集中隔离 7 天（第1、2、3、5、7天核酸）");
        await Expect(page.Locator("#release-rules")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "policy-ninth-edition", phone: true);
    }
}
