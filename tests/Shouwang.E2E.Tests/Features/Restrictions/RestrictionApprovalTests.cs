using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.Restrictions;

public sealed class RestrictionApprovalTests(ConsoleServer server) : ConsoleTest(server)
{
    /// <summary>A clerk asks to turn a resident's code yellow without a case behind it; it waits until the command approves.</summary>
    [Fact]
    public async Task ManualCodeWithoutABasis_WaitsForTheCommand_ThenTakesEffect()
    {
        var resident = Server.Resident;
        var clerk = await OpenBrowserAsync(StaffRoles.CommunityWorker, TestData.Community);
        await clerk.GotoInteractiveAsync($"/persons/{resident.Id}");
        await Expect(clerk.Locator("#status-colour")).ToHaveAttributeAsync("data-colour", "Green");
        await clerk.Locator("#input-reason").FillAsync("返乡后未按要求报备，社区要求居家观察");
        await clerk.Locator("#submit-restriction").ClickAsync();
        await Expect(clerk.Locator("#restriction-history")).ToContainTextAsync("待审批");
        // Asking is not deciding: the code stays green until someone else approves.
        await Expect(clerk.Locator("#status-colour")).ToHaveAttributeAsync("data-colour", "Green");
        await Screenshots.TakeAsync(clerk, "restriction-requested");

        var command = await OpenBrowserAsync(StaffRoles.Command, TestData.Street);
        await command.GotoInteractiveAsync("/restrictions");
        var row = command.Locator("#pending-table tr", new() { HasText = resident.Name });
        await row.Locator("button", new() { HasText = "批准" }).ClickAsync();
        await Expect(command.Locator("#active-table")).ToContainTextAsync(resident.Name);
        await Screenshots.TakeAsync(command, "restriction-approved");

        await clerk.GotoInteractiveAsync($"/persons/{resident.Id}");
        await Expect(clerk.Locator("#status-colour")).ToHaveAttributeAsync("data-colour", "Yellow");
        await Screenshots.TakeAsync(clerk, "person-with-restriction", phone: true);
    }
}
