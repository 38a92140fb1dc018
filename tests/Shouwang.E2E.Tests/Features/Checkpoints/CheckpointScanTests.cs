using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.People;
using Shouwang.Domain.WorkOrders;
using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.Checkpoints;

/// <summary>
/// The gate, end to end in Chromium: a volunteer scans a person code the way a wedge scanner does (typed text + Enter),
/// sees the decision, records a temperature, and on a dropped connection keeps working from the device's queue.
/// </summary>
/// <remarks>
/// INTEGRATOR: written against docs/contract (POST /api/v1/checkpoints/{id}/scan and /passages) before the server side was
/// merged, so by default the two endpoints are answered by <see cref="StubbedCheckpointApi"/> inside the browser. Once
/// cp-core is merged, set <see cref="UseStubbedApi"/> to false: the same tests then run against the real server and also
/// check its database (the fever work order, exactly two passages).
/// </remarks>
public sealed class CheckpointScanTests(ConsoleServer server) : ConsoleTest(server)
{
    public static readonly bool UseStubbedApi = false;

    private const string Community = "430202005003";

    [Fact]
    public async Task Volunteer_ScansACode_SeesTheDecision_Records378_AndGetsAHoldWithAFeverWorkOrder()
    {
        var gate = await ArrangeAsync("扫码测试门岗");
        var page = await OpenBrowserAsync(StaffRoles.CheckpointGuard, Community);
        var api = UseStubbedApi ? await StubbedCheckpointApi.InstallAsync(page, gate.Person) : null;

        await page.GotoAsync($"/checkpoint/{gate.CheckpointId}");
        await Expect(page.Locator("#checkpoint-name")).ToHaveTextAsync(gate.CheckpointName);
        await Expect(page.Locator("#kind-exit")).ToHaveAttributeAsync("aria-pressed", "true");
        // The scan field has the focus: a wedge scanner types into whatever has it.
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(gate.Code);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#verdict-banner")).ToHaveAttributeAsync("data-verdict", "Allow");
        await Expect(page.Locator("#verdict-banner")).ToHaveTextAsync("放行");
        await Expect(page.Locator("#subject-name")).ToHaveTextAsync(PersonName.Mask(gate.Person.Name));
        await Expect(page.Locator("#subject-document")).ToContainTextAsync("****");
        await Expect(page.Locator("#colour-chip")).ToHaveAttributeAsync("data-colour", "Green");
        await Expect(page.Locator("#temperature")).ToBeFocusedAsync();
        await Screenshots.TakeAsync(page, "checkpoint-scan-result", phone: true);

        // Keyboard only: the temperature, then Enter confirms.
        await page.Keyboard.TypeAsync("37.8");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#final-banner")).ToHaveAttributeAsync("data-verdict", "Hold");
        await Expect(page.Locator("#final-banner")).ToHaveTextAsync("留观");
        await Expect(page.Locator("#final-detail")).ToContainTextAsync("已生成发热转诊工单 GD");
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "0");
        await Screenshots.TakeAsync(page, "checkpoint-scan-fever", phone: true);

        if (api is not null)
        {
            var sent = Assert.Single(api.Passages.Values);
            Assert.Equal(37.8m, sent["temperature"]!.GetValue<decimal>());
            Assert.Equal("Exit", sent["kind"]!.GetValue<string>());
            Assert.True(sent["mask"]!.GetValue<bool>());
            Assert.False(string.IsNullOrEmpty(sent["ticket"]?.GetValue<string>()));
        }
        else
        {
            await using var db = Server.CreateDbContext();
            var passage = await db.Passages.SingleAsync(p => p.CheckpointId == gate.CheckpointId, Ct);
            Assert.Equal(PassageVerdict.Hold, passage.Verdict);
            Assert.Equal(37.8m, passage.Temperature);
            var order = await db.WorkOrders.SingleAsync(w => w.Source == WorkOrderSource.FeverReferral && w.PersonId == gate.Person.Id, Ct);
            Assert.Equal(gate.GridId, order.AssigneeGridId);

            // The grid worker of the person's grid finds the referral in their queue.
            var worker = await Server.CreateAccountAsync(StaffRoles.GridWorker, Community, gate.GridId);
            var queue = await OpenBrowserAsync(worker);
            await queue.GotoInteractiveAsync("/workorders?queue=mine");
            await Expect(queue.Locator("#workorders-table .workorder-link", new() { HasText = order.Number })).ToBeVisibleAsync();
            await Screenshots.TakeAsync(queue, "checkpoint-fever-order-in-grid-queue", phone: true);
        }
    }

    [Fact]
    public async Task WithTheConnectionDown_TwoPassagesQueueOnTheDevice_AndSyncOnceWhenItReturns()
    {
        var gate = await ArrangeAsync("离线测试门岗");
        var page = await OpenBrowserAsync(StaffRoles.CheckpointGuard, Community);
        var api = UseStubbedApi ? await StubbedCheckpointApi.InstallAsync(page, gate.Person) : null;
        await page.GotoAsync($"/checkpoint/{gate.CheckpointId}");
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();

        // Routed requests don't see the browser's offline switch: the stub drops them itself while it is on.
        if (api is not null) api.Offline = true;
        await page.Context.SetOfflineAsync(true);
        for (var i = 0; i < 2; i++)
        {
            await page.Keyboard.TypeAsync(gate.Code);
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#offline-note")).ToBeVisibleAsync();
            await Expect(page.Locator("#offline-note")).ToHaveTextAsync("离线记录，联网后由系统判定");
            await Expect(page.Locator("#temperature")).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync("36.5");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#final-banner")).ToHaveAttributeAsync("data-verdict", "Queued");
            await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();
        }
        await Expect(page.Locator("#pending")).ToContainTextAsync("待同步 2");
        await Expect(page.Locator("#net-state")).ToHaveAttributeAsync("data-online", "false");
        await Screenshots.TakeAsync(page, "checkpoint-scan-offline", phone: true);

        // The queue is on the device: it survives a reload while still offline... (a reload needs the network, so only
        // its storage is checked here.)
        var stored = await page.EvaluateAsync<int>($"() => JSON.parse(localStorage.getItem('shouwang.checkpoint.queue.{gate.CheckpointId}')).length");
        Assert.Equal(2, stored);

        if (api is not null) api.Offline = false;
        await page.Context.SetOfflineAsync(false);
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "0");
        await Expect(page.Locator("#net-state")).ToHaveAttributeAsync("data-online", "true");

        if (api is not null)
        {
            Assert.Equal(2, api.Passages.Count);
            Assert.All(api.Passages.Values, p =>
            {
                Assert.True(p["offline"]!.GetValue<bool>());
                Assert.Equal(gate.Code, p["input"]!.GetValue<string>());
            });
        }
        else
        {
            await using var db = Server.CreateDbContext();
            Assert.Equal(2, await db.Passages.CountAsync(p => p.CheckpointId == gate.CheckpointId, Ct));
            Assert.All(await db.Passages.Where(p => p.CheckpointId == gate.CheckpointId).ToListAsync(Ct), p => Assert.True(p.WasOffline));
        }
    }

    [Fact]
    public async Task AVisitorNotInTheRegistry_IsRegisteredOnTheSpot()
    {
        var gate = await ArrangeAsync("访客测试门岗");
        var page = await OpenBrowserAsync(StaffRoles.CheckpointGuard, Community);
        var api = UseStubbedApi ? await StubbedCheckpointApi.InstallAsync(page, gate.Person) : null;
        await page.GotoAsync($"/checkpoint/{gate.CheckpointId}");
        var document = Shouwang.Web.Tests.Infrastructure.TestData.NewIdNumber();
        await page.Locator("#scan-input").FillAsync(document);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#visitor-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#visitor-document-number")).ToHaveValueAsync(document);
        await Expect(page.Locator("#visitor-name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("欧阳来客");
        await page.Locator("#visitor-phone").FillAsync("13700001111");
        await page.Locator("#visitor-origin-0").SelectOptionAsync("42");
        await page.Locator("#visitor-origin-1").SelectOptionAsync("4201");
        await page.Locator("#visitor-origin-2").SelectOptionAsync("420102");
        await page.Locator("#visitor-reason").FillAsync("探亲");
        await page.Locator("#visitor-destination").FillAsync("晏家湾小区5栋");
        await Screenshots.TakeAsync(page, "checkpoint-scan-visitor", phone: true);
        await page.Locator(".cps-temp[data-temperature='36.5']").ClickAsync();
        await page.Locator("#confirm").ClickAsync();
        await Expect(page.Locator("#final-banner")).ToHaveAttributeAsync("data-verdict", "Allow");
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();

        if (api is not null)
        {
            var sent = Assert.Single(api.Passages.Values);
            var visitor = sent["visitor"]!;
            Assert.Equal(document, visitor["documentNumber"]!.GetValue<string>());
            Assert.Equal("欧阳来客", visitor["name"]!.GetValue<string>());
            Assert.Equal("420102", visitor["originCode"]!.GetValue<string>());
            Assert.Equal("ResidentIdCard", visitor["documentType"]!.GetValue<string>());
        }
        else
        {
            await using var db = Server.CreateDbContext();
            var passage = await db.Passages.SingleAsync(p => p.CheckpointId == gate.CheckpointId, Ct);
            Assert.NotNull(passage.VisitorId);
            Assert.Equal("420102", passage.OriginCode);
        }
    }

    [Fact]
    public async Task TheChooser_ListsTheCheckpointsInScope_AndRemembersTheLastOne()
    {
        var gate = await ArrangeAsync("选择测试门岗");
        var page = await OpenBrowserAsync(StaffRoles.CheckpointGuard, Community);
        await page.GotoAsync("/checkpoint");
        var link = page.Locator($"a[data-checkpoint-id='{gate.CheckpointId}']");
        await Expect(link).ToContainTextAsync(gate.CheckpointName);
        await link.ClickAsync();
        await Expect(page.Locator("#checkpoint-name")).ToHaveTextAsync(gate.CheckpointName);
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();
        // The input is focused by autofocus before the page's script has run: wait for the script to have remembered the gate.
        await page.WaitForFunctionAsync("id => localStorage.getItem('shouwang.checkpoint.last') === id", gate.CheckpointId.ToString());
        await page.GotoAsync("/checkpoint");
        await Expect(link.Locator(".cps-last")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AThroughVehicle_SignsTheCommitment_AndItsOccupantsPassAsOneGroup()
    {
        var gate = await ArrangeAsync("车辆测试服务点", CheckpointKind.TrafficHealthPoint);
        var page = await OpenBrowserAsync(StaffRoles.CheckpointGuard, Community);
        var api = UseStubbedApi ? await StubbedCheckpointApi.InstallAsync(page, gate.Person) : null;
        await page.GotoAsync($"/checkpoint/{gate.CheckpointId}");
        // Traffic health points check who comes in, vehicle first.
        await Expect(page.Locator("#kind-entry")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator("#plate")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("鄂A12345");
        await page.Locator("#occupants").FillAsync("1");
        await page.Locator("#vehicle-origin-0").SelectOptionAsync("42");
        await page.Locator("#vehicle-destination").FillAsync("长沙");
        await page.Locator("#through-traffic").CheckAsync();
        await page.Locator("#signer-name").FillAsync("欧阳司机");
        await page.Locator("#signer-phone").FillAsync("13700002222");
        await page.Locator("#vehicle-submit").ClickAsync();
        // Not signed yet: refused on the page.
        await Expect(page.Locator("#scan-message")).ToContainTextAsync("途经车辆须签署承诺书");
        var pad = (await page.Locator("#signature").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(pad.X + 20, pad.Y + 30);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(pad.X + 120, pad.Y + 90, new() { Steps = 5 });
        await page.Mouse.MoveAsync(pad.X + 220, pad.Y + 40, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await Screenshots.TakeAsync(page, "checkpoint-scan-vehicle", phone: true);
        await page.Locator("#vehicle-submit").ClickAsync();

        await Expect(page.Locator("#vehicle-summary")).ToContainTextAsync("鄂A12345");
        await Expect(page.Locator("#commitment-link")).ToBeVisibleAsync();
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(gate.Code);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#temperature")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("36.6");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#final-banner")).ToHaveAttributeAsync("data-verdict", "Allow");
        // Its one occupant recorded: the next vehicle.
        await Expect(page.Locator("#plate")).ToBeVisibleAsync();
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "0");

        if (api is not null)
        {
            var vehicle = Assert.Single(api.Vehicles.Values);
            Assert.Equal("鄂A12345", vehicle["plate"]!.GetValue<string>());
            Assert.True(vehicle["throughTraffic"]!.GetValue<bool>());
            Assert.StartsWith("data:image/png;base64,", vehicle["commitmentSignature"]!.GetValue<string>());
            var passage = Assert.Single(api.Passages.Values);
            Assert.Equal(vehicle["id"]!.GetValue<string>(), passage["vehicleId"]!.GetValue<string>());
            Assert.Equal("Entry", passage["kind"]!.GetValue<string>());
        }
        else
        {
            await using var db = Server.CreateDbContext();
            var vehicle = await db.Vehicles.SingleAsync(v => v.CheckpointId == gate.CheckpointId, Ct);
            Assert.Equal(vehicle.Id, (await db.Passages.SingleAsync(p => p.CheckpointId == gate.CheckpointId, Ct)).VehicleId);
        }
    }

    [Fact]
    public async Task TheQueue_SurvivesAReload_AndARefusedRowCanBeDiscarded()
    {
        var gate = await ArrangeAsync("重载测试门岗");
        var page = await OpenBrowserAsync(StaffRoles.CheckpointGuard, Community);
        var api = await StubbedCheckpointApi.InstallAsync(page, gate.Person);
        await page.GotoAsync($"/checkpoint/{gate.CheckpointId}");
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();

        api.Offline = true;
        await page.Keyboard.TypeAsync(gate.Code);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#offline-note")).ToBeVisibleAsync();
        await page.Keyboard.TypeAsync("36.4");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "1");

        await page.ReloadAsync();
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "1");
        Assert.Empty(api.Passages);

        // Back online, the server refuses the row: it stays, shown with the reason, until the operator discards it.
        api.RefuseNextBatch = "通行凭证已过期";
        api.Offline = false;
        await page.Locator("#sync-now").ClickAsync();
        await Expect(page.Locator("#sync-error-list")).ToContainTextAsync("通行凭证已过期");
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "1");
        await page.Locator("#sync-error-list button").ClickAsync();
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "0");
        await Expect(page.Locator("#sync-errors")).ToBeHiddenAsync();
        Assert.Empty(api.Passages);
    }

    [Fact]
    public async Task AGuard_SignsInOnDuty_AndIsShownAsOnDuty()
    {
        var gate = await ArrangeAsync("值守测试门岗");
        var account = await Server.CreateAccountAsync(StaffRoles.CheckpointGuard, Community);
        var page = await OpenBrowserAsync(account);
        if (UseStubbedApi)
        {
            var onDuty = false;
            await page.RouteAsync("**/api/v1/checkpoints/*/duty", async route =>
            {
                if (route.Request.Method != "GET") onDuty = route.Request.Method == "POST";
                var body = route.Request.Method == "GET" ? JsonSerializer.Serialize(onDuty ? new[] { new { accountName = account.DisplayName } } : []) : "{}";
                await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = body });
            });
        }
        await page.GotoAsync($"/checkpoint/{gate.CheckpointId}");
        await Expect(page.Locator("#duty-names")).ToHaveTextAsync("暂无人签到");
        await page.Locator("#duty-toggle").ClickAsync();
        await Expect(page.Locator("#duty-names")).ToHaveTextAsync(account.DisplayName);
        await Expect(page.Locator("#duty-toggle")).ToHaveTextAsync("下岗签退");
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();
        if (!UseStubbedApi)
        {
            await using var db = Server.CreateDbContext();
            Assert.True(await db.CheckpointDuties.AnyAsync(d => d.CheckpointId == gate.CheckpointId && d.AccountId == account.Id && d.SignedOutAt == null, Ct));
        }
        // Rendered by the server on the next visit.
        await page.ReloadAsync();
        if (!UseStubbedApi) await Expect(page.Locator("#duty-toggle")).ToHaveTextAsync("下岗签退");
    }

    [Fact]
    public async Task OnASlowNetwork_TheOperatorGoesOn_AndTheServersAnswerShowsWhenItComes()
    {
        var gate = await ArrangeAsync("慢网测试门岗");
        var page = await OpenBrowserAsync(StaffRoles.CheckpointGuard, Community);
        var api = await StubbedCheckpointApi.InstallAsync(page, gate.Person);
        api.PassagesDelay = TimeSpan.FromSeconds(4);
        await page.GotoAsync($"/checkpoint/{gate.CheckpointId}");
        await page.Locator("#scan-input").FillAsync(gate.Code);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#temperature").FillAsync("37.8");
        await page.Keyboard.PressAsync("Enter");
        // Free for the next person before the server has answered...
        await Expect(page.Locator("#final-banner")).ToHaveAttributeAsync("data-verdict", "Queued", new() { Timeout = 3000 });
        await Expect(page.Locator("#scan-input")).ToBeFocusedAsync();
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "1");
        // ...and the answer replaces the note when it comes.
        await Expect(page.Locator("#final-banner")).ToHaveAttributeAsync("data-verdict", "Hold");
        await Expect(page.Locator("#final-detail")).ToContainTextAsync("已生成发热转诊工单 GD");
        await Expect(page.Locator("#pending")).ToHaveAttributeAsync("data-count", "0");
        Assert.Single(api.Passages);
    }

    private sealed record Gate(Guid CheckpointId, string CheckpointName, KnownResident Person, string Code, Guid GridId);

    /// <summary>A compound gate in 005003 guarding the committee, and a resident there with a person code.</summary>
    private async Task<Gate> ArrangeAsync(string name, CheckpointKind kind = CheckpointKind.CompoundGate)
    {
        var grid = await Server.Data.GridAsync(Community, $"卡口测试网格{Guid.NewGuid():N}"[..12]);
        var household = await Server.Data.HouseholdAsync(Community, grid.Id, $"卡口测试小区{Random.Shared.Next(1, 99)}栋{Random.Shared.Next(101, 999)}室");
        var person = await Server.Data.PersonAsync(household, "上官过岗", "13907330777");
        var checkpointName = $"{name}{Random.Shared.Next(100, 999)}";
        var checkpoint = new Checkpoint
        {
            Name = checkpointName, Kind = kind, CommunityCode = long.Parse(Community), GridId = grid.Id,
            GuardedCode = Community, Location = "东门", YellowCode = YellowCodeAction.Allow, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        await using (var db = Server.CreateDbContext())
        {
            db.Checkpoints.Add(checkpoint);
            db.PersonCodes.Add(new PersonCode { PersonId = person.Id, Serial = 1, IssuedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
        }
        var code = await Server.Get<CodeSigner>().CodeAsync(CodeKind.Person, person.Id, 1, Ct);
        return new Gate(checkpoint.Id, checkpointName, new KnownResident(person.Id, "上官过岗", person.DocumentNumber), code, grid.Id);
    }
}

/// <summary>
/// The /scan and /passages endpoints as the contract describes them, answered inside the browser (Playwright routing)
/// until the server side is merged: a person code is the resident, an ID number is an unknown visitor, and a passage
/// at 37.3 or above is a hold with a fever work order. Remembers the passages by client id, as the server would.
/// </summary>
public sealed class StubbedCheckpointApi
{
    public ConcurrentDictionary<string, JsonNode> Passages { get; } = new();

    public ConcurrentDictionary<string, JsonNode> Vehicles { get; } = new();

    /// <summary>While set, every request fails as a dropped connection does.</summary>
    public bool Offline { get; set; }

    /// <summary>How long the server takes to answer for passages (a slow network).</summary>
    public TimeSpan PassagesDelay { get; set; }

    /// <summary>When set, the next batch of passages is refused with this message for its first row (a 400, nothing written).</summary>
    public string? RefuseNextBatch { get; set; }

    public static async Task<StubbedCheckpointApi> InstallAsync(IPage page, KnownResident resident)
    {
        var api = new StubbedCheckpointApi();
        await page.RouteAsync("**/api/v1/checkpoints/*/scan", route => api.Offline ? route.AbortAsync("internetdisconnected") : ScanAsync(route, resident));
        await page.RouteAsync("**/api/v1/checkpoints/*/passages", api.PassagesAsync);
        await page.RouteAsync("**/api/v1/checkpoints/*/vehicles", api.VehiclesAsync);
        return api;
    }

    private static Task JsonAsync(IRoute route, object body, int status = 200) =>
        route.FulfillAsync(new() { Status = status, ContentType = "application/json", Body = JsonSerializer.Serialize(body, JsonSerializerOptions.Web) });

    private static async Task ScanAsync(IRoute route, KnownResident resident)
    {
        var request = JsonNode.Parse(route.Request.PostData!)!;
        var input = request["input"]!.GetValue<string>();
        if (input.StartsWith("SWP1:", StringComparison.Ordinal))
        {
            await JsonAsync(route, new
            {
                found = true, source = "PersonCode", personId = resident.Id, householdId = Guid.NewGuid(),
                nameMasked = PersonName.Mask(resident.Name), documentMasked = resident.DocumentNumber[..6] + "********" + resident.DocumentNumber[^4..],
                address = "卡口测试小区", householdSize = 1, livesHere = true, colour = "Green", colourReasons = Array.Empty<string>(),
                verdict = "Allow", reasons = Array.Empty<object>(), feverThreshold = 37.3, askOrigin = false, ticket = "stub-ticket",
            });
            return;
        }
        if (input.Length == 18)
        {
            await JsonAsync(route, new
            {
                found = false, source = "Visitor", livesHere = false, colour = "Green", colourReasons = Array.Empty<string>(),
                verdict = "Allow", reasons = Array.Empty<object>(), feverThreshold = 37.3, askOrigin = true, ticket = "stub-visitor-ticket",
            });
            return;
        }
        await JsonAsync(route, new { title = "One or more validation errors occurred.", status = 400, errors = new { Input = new[] { "个人码无效或已作废" } } }, 400);
    }

    private async Task PassagesAsync(IRoute route)
    {
        if (Offline)
        {
            await route.AbortAsync("internetdisconnected");
            return;
        }
        if (RefuseNextBatch is { } refusal)
        {
            RefuseNextBatch = null;
            await JsonAsync(route, new Dictionary<string, object>
            {
                ["title"] = "One or more validation errors occurred.", ["status"] = 400, ["errors"] = new Dictionary<string, string[]> { ["Passages[0].Ticket"] = [refusal] },
            }, 400);
            return;
        }
        if (PassagesDelay > TimeSpan.Zero) await Task.Delay(PassagesDelay);
        var passages = JsonNode.Parse(route.Request.PostData!)!["passages"]!.AsArray();
        var results = passages.Select(node =>
        {
            var id = node!["id"]!.GetValue<string>();
            var duplicate = !Passages.TryAdd(id, node.DeepClone());
            var fever = node["temperature"]?.GetValue<decimal>() >= 37.3m;
            return new
            {
                id, duplicate, verdict = fever ? "Hold" : "Allow",
                reasons = fever ? new object[] { new { code = "Fever", verdict = "Hold", label = "体温异常", detail = "37.8℃", alerts = true } } : [],
                workOrderNumber = fever ? "GD20261123-0001" : null,
            };
        }).ToList();
        await JsonAsync(route, new { results });
    }

    private async Task VehiclesAsync(IRoute route)
    {
        if (Offline)
        {
            await route.AbortAsync("internetdisconnected");
            return;
        }
        var vehicle = JsonNode.Parse(route.Request.PostData!)!;
        var id = vehicle["id"]!.GetValue<string>();
        var duplicate = !Vehicles.TryAdd(id, vehicle.DeepClone());
        await JsonAsync(route, new { id, duplicate, commitmentUrl = $"/checkpoints/vehicles/{id}/commitment" });
    }
}
