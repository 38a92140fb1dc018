using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Hotline;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Hotline;

public abstract partial class PublicRequestsApiTests(AppFactory factory) : ApiTestBase(factory)
{
    /// <summary>A committee of the shipped divisions that no test gives a grid, so it is not served.</summary>
    private const string UnservedCommunity = "430202005004";

    private HttpClient Anonymous { get; } = factory.CreateClient();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Data.GridAsync();
    }

    public override ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        return base.DisposeAsync();
    }

    // Distinct per test (and per run), so the per-phone limit of one test never touches another.
    private static string NewPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string NewAddress() => $"测试小区{Guid.NewGuid():N}"[..14] + "3栋502室";

    private static object Report(string phone, string? address = null, string community = TestData.Community, string description = "楼道里有人聚集打牌，没有戴口罩，请社区处理") =>
        new { kind = "HotlineReport", communityCode = community, address = address ?? NewAddress(), name = "王女士", phone, description };

    private async Task<FiledPublicRequest> FileAsync(object body)
    {
        var response = await Anonymous.PostAsJsonAsync("/api/v1/public/requests", body, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<FiledPublicRequest>(Json, Ct))!;
    }

    private async Task<int> CountOrdersAsync()
    {
        await using var db = Factory.CreateDbContext();
        return await db.WorkOrders.CountAsync(Ct);
    }

    [GeneratedRegex("^GD[0-9]{6}-[0-9A-HJKMNP-TV-Z]{5}$")]
    private static partial Regex NumberPattern();

    [Fact]
    public async Task ABurstOfRequests_IsWrittenTogether_AndEveryAcknowledgedOneIsStored()
    {
        var before = await CountOrdersAsync();

        var filed = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => FileAsync(Report(NewPhone()))));

        Assert.Equal(60, filed.Select(f => f.Number).Distinct().Count());
        await using var db = Factory.CreateDbContext();
        var numbers = filed.Select(f => f.Number).ToList();
        Assert.Equal(60, await db.WorkOrders.CountAsync(w => numbers.Contains(w.Number), Ct));
        Assert.Equal(60, await db.WorkOrderEvents.CountAsync(e => db.WorkOrders.Any(w => w.Id == e.WorkOrderId && numbers.Contains(w.Number)), Ct));
        Assert.Equal(before + 60, await CountOrdersAsync());
    }

    [Fact]
    public async Task GroupCommit_ANumberTakenTwice_FailsThatOrderOnly()
    {
        var writer = Factory.Get<PublicRequestWriter>();
        var now = DateTime.UtcNow;
        var number = $"GD{now:yyMMdd}-TEST{Random.Shared.Next(0, 10)}";
        WorkOrder Order(string n) => new()
        {
            Number = n, Source = WorkOrderSource.HotlineReport, Title = "测试", CommunityCode = long.Parse(TestData.Community), IsPublic = true,
            Status = WorkOrderStatus.Pending, DueAt = now.AddHours(1), CreatedAt = now, UpdatedAt = now,
        };
        var (first, twin, other) = (Order(number), Order(number), Order($"GD{now:yyMMdd}-OK{Random.Shared.Next(100, 999)}"));
        WorkOrderEvent Created(WorkOrder o) => new() { WorkOrderId = o.Id, At = now, Kind = WorkOrderEventKind.Created, Actor = "测试" };

        var writes = new[] { first, twin, other }.Select(o => CaptureAsync(writer.WriteAsync(o, Created(o), Ct))).ToList();
        var outcomes = await Task.WhenAll(writes);

        Assert.Equal(1, outcomes.Take(2).Count(e => e is null));
        Assert.IsType<DbUpdateException>(outcomes.Take(2).Single(e => e is not null));
        Assert.Null(outcomes[2]);
        await using var db = Factory.CreateDbContext();
        Assert.Equal(1, await db.WorkOrders.CountAsync(w => w.Number == number, Ct));
        Assert.True(await db.WorkOrders.AnyAsync(w => w.Id == other.Id, Ct));
    }

    private static async Task<Exception?> CaptureAsync(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (DbUpdateException e)
        {
            return e;
        }
    }

    [Fact]
    public async Task FileReport_WithoutAccount_CreatesPendingPublicOrderInTheCommunity()
    {
        var phone = NewPhone();
        var address = NewAddress();
        var response = await Anonymous.PostAsJsonAsync("/api/v1/public/requests", new
        {
            kind = "HotlineReport", communityCode = TestData.Community, address = " " + address + " ", name = "王女士",
            phone = $"+86 {phone[..3]}-{phone[3..7]}-{phone[7..]}", description = "楼道里有人聚集打牌，没有戴口罩，请社区尽快处理，谢谢",
        }, Json, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var filed = (await response.Content.ReadFromJsonAsync<FiledPublicRequest>(Json, Ct))!;
        Assert.Matches(NumberPattern(), filed.Number);
        Assert.Equal(WorkOrderStatus.Pending, filed.Status);
        Assert.Equal($"/api/v1/public/requests/{filed.Number}", response.Headers.Location?.ToString());

        await using var db = Factory.CreateDbContext();
        var order = await db.WorkOrders.SingleAsync(w => w.Number == filed.Number, Ct);
        Assert.Equal(long.Parse(TestData.Community, System.Globalization.CultureInfo.InvariantCulture), order.CommunityCode);
        Assert.Equal(WorkOrderSource.HotlineReport, order.Source);
        Assert.Equal(WorkOrderStatus.Pending, order.Status);
        Assert.True(order.IsPublic);
        Assert.Equal(phone, order.ReporterPhone);
        Assert.Equal("王女士", order.ReporterName);
        Assert.Equal(address, order.Place);
        Assert.Equal(WorkOrderSubject.Place, order.SubjectKind);
        Assert.Null(order.GridId);
        Assert.Null(order.HouseholdId);
        Assert.Equal("热线举报：楼道里有人聚集打牌，没有戴口罩，请社区尽", order.Title);
        Assert.Equal(TimeSpan.FromHours(24), order.DueAt - order.CreatedAt);
        var created = await db.WorkOrderEvents.SingleAsync(e => e.WorkOrderId == order.Id, Ct);
        Assert.Equal(WorkOrderEventKind.Created, created.Kind);
        Assert.Equal("居民（公开页面）", created.Actor);
        Assert.Equal("公开页面提交", created.Text);
    }

    [Fact]
    public async Task FileUrgentMedicineRequest_AtARegisteredAddress_TiesTheOrderToTheHouseholdWithATwoHourDeadline()
    {
        var grid = await Data.GridAsync();
        var address = NewAddress();
        var household = await Data.HouseholdAsync(gridId: grid.Id, address: address);

        // Full-width digits and stray spaces, as typed on a phone keyboard, still find the household.
        var typed = "  " + string.Concat(address.Select(c => char.IsAsciiDigit(c) ? (char)(c + 0xFEE0) : c)) + " ";
        var filed = await FileAsync(new
        {
            kind = "ResidentRequest", need = "Medicine", communityCode = TestData.Community, address = typed, phone = NewPhone(), description = "家中老人降压药吃完了",
        });

        await using var db = Factory.CreateDbContext();
        var order = await db.WorkOrders.SingleAsync(w => w.Number == filed.Number, Ct);
        Assert.Equal(WorkOrderSource.ResidentRequest, order.Source);
        Assert.Equal(UrgentNeed.Medicine, order.Need);
        Assert.Equal("急难愁盼·买药", order.Title);
        Assert.Equal(WorkOrderSubject.Household, order.SubjectKind);
        Assert.Equal(household, order.HouseholdId);
        Assert.Equal(grid.Id, order.GridId);
        Assert.Equal(TimeSpan.FromHours(2), order.DueAt - order.CreatedAt);
        Assert.Null(order.ReporterName);
    }

    [Fact]
    public async Task LookUp_WithTheRightPhoneTail_ShowsOnlyTheStatus_AndAnyMismatchIsTheSame404()
    {
        var phone = NewPhone();
        var filed = await FileAsync(Report(phone));

        var response = await Anonymous.GetAsync($"/api/v1/public/requests/{filed.Number.ToLowerInvariant()}?phoneTail={phone[^4..]}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, Ct);
        Assert.Equal(filed.Number, body.GetProperty("number").GetString());
        Assert.Equal("Pending", body.GetProperty("status").GetString());
        Assert.True(body.TryGetProperty("filedAt", out _));
        Assert.True(body.TryGetProperty("updatedAt", out _));
        // Nothing personal comes back.
        var names = body.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Subset(new HashSet<string> { "number", "status", "filedAt", "updatedAt", "resolution" }, names);
        Assert.DoesNotContain(phone, await response.Content.ReadAsStringAsync(Ct));

        var wrongTail = ((int.Parse(phone[^4..], System.Globalization.CultureInfo.InvariantCulture) + 1) % 10000).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
        var wrongPhone = await Anonymous.GetAsync($"/api/v1/public/requests/{filed.Number}?phoneTail={wrongTail}", Ct);
        var wrongNumber = await Anonymous.GetAsync($"/api/v1/public/requests/GD000101-ZZZZZ?phoneTail={phone[^4..]}", Ct);
        var noTail = await Anonymous.GetAsync($"/api/v1/public/requests/{filed.Number}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, wrongPhone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongNumber.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noTail.StatusCode);
        var first = await wrongPhone.Content.ReadFromJsonAsync<ProblemDetails>(Json, Ct);
        var second = await wrongNumber.Content.ReadFromJsonAsync<ProblemDetails>(Json, Ct);
        Assert.Equal(first!.Title, second!.Title);
    }

    [Fact]
    public async Task LookUp_OfADoneOrder_ShowsTheResolution()
    {
        var phone = NewPhone();
        var filed = await FileAsync(Report(phone));
        await using (var db = Factory.CreateDbContext())
        {
            var order = await db.WorkOrders.SingleAsync(w => w.Number == filed.Number, Ct);
            order.Status = WorkOrderStatus.Done;
            order.Resolution = "已上门劝散并张贴提示";
            order.DoneAt = DateTime.UtcNow;
            order.UpdatedAt = order.DoneAt.Value;
            await db.SaveChangesAsync(Ct);
        }

        var status = await Anonymous.GetFromJsonAsync<PublicRequestStatus>($"/api/v1/public/requests/{filed.Number}?phoneTail={phone[^4..]}", Json, Ct);

        Assert.Equal(WorkOrderStatus.Done, status!.Status);
        Assert.Equal("已上门劝散并张贴提示", status.Resolution);
    }

    [Fact]
    public async Task FileRequest_BadInput_Is400NamingEachField_AndWritesNothing()
    {
        var before = await CountOrdersAsync();

        var response = await Anonymous.PostAsJsonAsync("/api/v1/public/requests", new
        {
            kind = "ResidentRequest", need = "Flowers", communityCode = "12345", address = "   ", phone = "12345", description = new string('长', 501),
        }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal(["Address", "CommunityCode", "Description", "Need", "Phone"], problem!.Errors.Keys.Order());
        Assert.Equal("手机号码格式不正确。", Assert.Single(problem.Errors["Phone"]));
        Assert.Equal("最多500个字。", Assert.Single(problem.Errors["Description"]));
        Assert.Equal(before, await CountOrdersAsync());

        var empty = await Anonymous.PostAsJsonAsync("/api/v1/public/requests", new { }, Json, Ct);
        var missing = await empty.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal(["Address", "CommunityCode", "Description", "Kind", "Phone"], missing!.Errors.Keys.Order());
        Assert.Equal("请填写手机号码。", Assert.Single(missing.Errors["Phone"]));
        Assert.Equal(before, await CountOrdersAsync());
    }

    [Fact]
    public async Task FileRequest_InEnglish_GetsEnglishMessages()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/public/requests") { Content = JsonContent.Create(new { kind = "HotlineReport" }) };
        request.Headers.AcceptLanguage.ParseAdd("en");
        var response = await Anonymous.SendAsync(request, Ct);

        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal("Please enter your mobile phone number.", Assert.Single(problem!.Errors["Phone"]));
    }

    [Fact]
    public async Task FileRequest_ToACommunityWithoutGrids_Is400()
    {
        var before = await CountOrdersAsync();

        foreach (var community in new[] { UnservedCommunity, TestData.Street, "999999999999" })
        {
            var response = await Anonymous.PostAsJsonAsync("/api/v1/public/requests", Report(NewPhone(), community: community), Json, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
            Assert.Equal("CommunityCode", Assert.Single(problem!.Errors.Keys));
        }
        Assert.Equal(before, await CountOrdersAsync());
    }

    [Fact]
    public async Task Communities_ListsOnlyCommitteesWithGrids()
    {
        var communities = await Anonymous.GetFromJsonAsync<List<PublicCommunity>>("/api/v1/public/communities", Json, Ct);

        var served = Assert.Single(communities!, c => c.Code == TestData.Community);
        Assert.Equal("晏家湾社区居委会", served.Name);
        Assert.DoesNotContain(communities!, c => c.Code == UnservedCommunity);
    }

    [Fact]
    public async Task FileRequest_SixthFromOnePhoneWithinTheHour_Is429AndNotWritten_WhileAnotherPhoneStillSucceeds()
    {
        var phone = NewPhone();
        for (var i = 0; i < 5; i++) await FileAsync(Report(phone));
        var before = await CountOrdersAsync();

        var refused = await Anonymous.PostAsJsonAsync("/api/v1/public/requests", Report(phone), Json, Ct);

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<ProblemDetails>(Json, Ct);
        Assert.Equal("提交过于频繁，请稍后再试或拨打热线。", problem!.Title);
        Assert.Equal(before, await CountOrdersAsync());
        await FileAsync(Report(NewPhone()));
        Assert.Equal(before + 1, await CountOrdersAsync());
    }

    [Fact]
    public async Task FileRequest_EleventhForOneAddressWithinTheHour_Is429AndNotWritten()
    {
        var address = NewAddress();
        for (var i = 0; i < 10; i++) await FileAsync(Report(NewPhone(), address));
        var before = await CountOrdersAsync();

        // The same address written with full-width digits is the same address.
        var fullWidth = string.Concat(address.Select(c => char.IsAsciiDigit(c) ? (char)(c + 0xFEE0) : c));
        var refused = await Anonymous.PostAsJsonAsync("/api/v1/public/requests", Report(NewPhone(), fullWidth), Json, Ct);

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(before, await CountOrdersAsync());
        // The same text in another community is another address.
        await Data.GridAsync(TestData.SiblingCommunity);
        await FileAsync(Report(NewPhone(), address, TestData.SiblingCommunity));
    }

    [Fact]
    public async Task PublicOrder_IsInvisibleToStaffOfTheSiblingCommunity_AndVisibleToItsOwn()
    {
        var filed = await FileAsync(Report(NewPhone()));
        var sibling = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);
        var own = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        var dbFactory = Factory.Get<IDbContextFactory<AppDbContext>>();

        using (CallerContext.Use(Caller.For(sibling)))
        {
            await using var db = await dbFactory.CreateDbContextAsync(Ct);
            Assert.Empty(await db.WorkOrders.Where(w => w.Number == filed.Number).ToListAsync(Ct));
        }
        using (CallerContext.Use(Caller.For(own)))
        {
            await using var db = await dbFactory.CreateDbContextAsync(Ct);
            Assert.Single(await db.WorkOrders.Where(w => w.Number == filed.Number).ToListAsync(Ct));
        }
    }

    [Fact]
    public async Task PublicEndpoints_NeedNoAccount_WhileStaffEndpointsStillDo()
    {
        Assert.Equal(HttpStatusCode.OK, (await Anonymous.GetAsync("/api/v1/public/communities", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Anonymous.GetAsync("/api/v1/households", Ct)).StatusCode);
    }
}

public sealed class PublicRequestsApiTests_Sqlite(SqliteAppFactory factory) : PublicRequestsApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class PublicRequestsApiTests_Postgres(PostgresAppFactory factory) : PublicRequestsApiTests(factory), IClassFixture<PostgresAppFactory>;
