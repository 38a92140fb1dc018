using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.People;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.PlaceCodes;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.PlaceCodes;

/// <summary>场所码: places managed by staff, posters, and presences recorded by residents' phones without an account.</summary>
public abstract partial class PlaceCodesTests(AppFactory factory) : ApiTestBase(factory)
{
    private const string Community = "430202005003";
    private const string Sibling = "430202005004";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static string NewPhone() => "137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static object Input(string name = "惠民超市", string community = Community, Guid? gridId = null, string? contactPhone = "13912345678", bool isActive = true) => new
    {
        name, kind = "Supermarket", address = "晏家湾路1号", communityCode = community, gridId, contactName = "刘店长", contactPhone, isActive,
    };

    private async Task<PlaceItem> CreateAsync(HttpClient? client = null, object? input = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/api/v1/places", input ?? Input(), Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PlaceItem>(Json, Ct))!;
    }

    private async Task<HttpResponseMessage> PresentAsync(Guid placeId, string phone, string? document = null, string? clientId = null, HttpClient? client = null)
    {
        var owned = client is null;
        client ??= Factory.CreateClient();
        try
        {
            var path = $"/place/{placeId}";
            var token = AntiforgeryField().Match(await client.GetStringAsync(path, Ct)).Groups[1].Value;
            return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "place-presence", ["__RequestVerificationToken"] = token,
                ["Input.ClientId"] = clientId ?? Guid.NewGuid().ToString(), ["Input.Phone"] = phone, ["Input.DocumentNumber"] = document ?? "",
            }), Ct);
        }
        finally
        {
            if (owned) client.Dispose();
        }
    }

    private async Task<List<Passage>> PresencesAtAsync(Guid placeId)
    {
        await using var db = Factory.CreateDbContext();
        return await db.Passages.AsNoTracking().Where(p => p.PlaceId == placeId).ToListAsync(Ct);
    }

    [Fact]
    public async Task Create_Get_List_Update_ThePlace()
    {
        var grid = await Data.GridAsync(Community);
        var created = await CreateAsync(input: Input(gridId: grid.Id));
        Assert.Equal("惠民超市", created.Name);
        Assert.Equal(Community, created.CommunityCode);
        Assert.Equal(grid.Id, created.GridId);
        Assert.True(created.IsActive);

        var fetched = await Client.GetFromJsonAsync<PlaceItem>($"/api/v1/places/{created.Id}", Json, Ct);
        Assert.Equal(created.Id, fetched!.Id);

        var updated = await Client.PutAsJsonAsync($"/api/v1/places/{created.Id}", Input(name: "惠民超市二店", isActive: false, contactPhone: null), Json, Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = (await updated.Content.ReadFromJsonAsync<PlaceItem>(Json, Ct))!;
        Assert.Equal("惠民超市二店", after.Name);
        Assert.False(after.IsActive);
        Assert.Null(after.ContactPhone);
        Assert.Null(after.GridId);

        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Community);
        var list = await worker.GetFromJsonAsync<Paged<PlaceItem>>($"/api/v1/places?communityCode={Community}&pageSize=200", Json, Ct);
        Assert.Contains(list!.Items, p => p.Id == created.Id);
        Assert.All(list.Items, p => Assert.Equal(Community, p.CommunityCode));
    }

    [Fact]
    public async Task BadInput_IsRefusedFieldByField_AndNothingIsSaved()
    {
        await using (var db = Factory.CreateDbContext())
        {
            var before = await db.Places.CountAsync(Ct);
            var siblingGrid = await Data.GridAsync(Sibling);
            var response = await Client.PostAsJsonAsync("/api/v1/places", new
            {
                name = " ", kind = (string?)null, address = "", communityCode = "4302", gridId = siblingGrid.Id, contactPhone = "12345",
            }, Json, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors;
            foreach (var field in new[] { "Name", "Kind", "Address", "CommunityCode", "ContactPhone" }) Assert.Contains(field, errors.Keys);
            Assert.Contains(errors["Name"], m => m.Contains("名称"));

            var wrongGrid = await Client.PostAsJsonAsync("/api/v1/places", Input(gridId: siblingGrid.Id), Json, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, wrongGrid.StatusCode);
            Assert.Contains("GridId", (await wrongGrid.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors.Keys);
            Assert.Equal(before, await db.Places.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task ASiblingCaller_GetsNotFound_AndAnObserverCannotWrite()
    {
        var place = await CreateAsync();
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Sibling);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/places/{place.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PutAsJsonAsync($"/api/v1/places/{place.Id}", Input(name: "被改了", community: Sibling), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/places/{place.Id}/presences", Ct)).StatusCode);
        var poster = await sibling.GetStringAsync($"/places/{place.Id}/poster", Ct);
        Assert.Contains("id=\"not-found\"", poster);
        Assert.DoesNotContain("<svg", poster);
        var siblingList = await sibling.GetFromJsonAsync<Paged<PlaceItem>>("/api/v1/places?pageSize=200", Json, Ct);
        Assert.DoesNotContain(siblingList!.Items, p => p.Id == place.Id);
        var intoOurs = await sibling.PostAsJsonAsync("/api/v1/places", Input(), Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, intoOurs.StatusCode);
        Assert.Contains("CommunityCode", (await intoOurs.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors.Keys);

        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, Community);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync("/api/v1/places", Input(), Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PutAsJsonAsync($"/api/v1/places/{place.Id}", Input(name: "被改了"), Json, Ct)).StatusCode);

        await using var db = Factory.CreateDbContext();
        Assert.Equal("惠民超市", (await db.Places.SingleAsync(p => p.Id == place.Id, Ct)).Name);
    }

    [Fact]
    public async Task ARegisteredPersonByIdNumber_IsRecordedAsThemselves()
    {
        var grid = await Data.GridAsync(Community);
        var place = await CreateAsync(input: Input(gridId: grid.Id));
        var household = await Data.HouseholdAsync(Sibling);
        var (personId, document) = await Data.PersonAsync(household, "陈登记", NewPhone());

        var response = await PresentAsync(place.Id, NewPhone(), document);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("id=\"presence-done\"", html);
        Assert.Contains("登记成功", html);
        Assert.Contains("惠民超市", html);
        var passage = Assert.Single(await PresencesAtAsync(place.Id));
        Assert.Equal(PassageKind.Presence, passage.Kind);
        Assert.Equal(PassageSource.PlaceCode, passage.Source);
        Assert.Equal(PassageVerdict.Allow, passage.Verdict);
        Assert.Equal(personId, passage.PersonId);
        Assert.Equal(household, passage.HouseholdId);
        Assert.Null(passage.VisitorId);
        Assert.Equal(long.Parse(Community), passage.CommunityCode);
        Assert.Equal(grid.Id, passage.GridId);
    }

    [Fact]
    public async Task AResidentsOnlyPhone_NamesThem()
    {
        var place = await CreateAsync();
        var phone = NewPhone();
        var (personId, _) = await Data.PersonAsync(await Data.HouseholdAsync(Community), "周手机", phone);

        Assert.Equal(HttpStatusCode.OK, (await PresentAsync(place.Id, phone)).StatusCode);

        Assert.Equal(personId, Assert.Single(await PresencesAtAsync(place.Id)).PersonId);
    }

    [Fact]
    public async Task AnUnknownPhone_MakesAVisitor_OncePerPhone()
    {
        var place = await CreateAsync();
        var phone = NewPhone();

        Assert.Equal(HttpStatusCode.OK, (await PresentAsync(place.Id, phone)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PresentAsync(place.Id, phone)).StatusCode);

        var passages = await PresencesAtAsync(place.Id);
        Assert.Equal(2, passages.Count);
        Assert.All(passages, p => Assert.Null(p.PersonId));
        var visitorId = Assert.Single(passages.Select(p => p.VisitorId).Distinct());
        await using var db = Factory.CreateDbContext();
        var visitor = await db.Visitors.SingleAsync(v => v.Id == visitorId, Ct);
        Assert.Equal(phone, visitor.Phone);
        Assert.Null(visitor.DocumentNumber);
        Assert.Equal(long.Parse(Community), visitor.CommunityCode);
    }

    [Fact]
    public async Task TheSameFormSentTwice_IsOnePresence()
    {
        var place = await CreateAsync();
        var clientId = Guid.NewGuid().ToString();
        var phone = NewPhone();

        var first = await PresentAsync(place.Id, phone, clientId: clientId);
        var second = await PresentAsync(place.Id, phone, clientId: clientId);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("id=\"presence-done\"", await second.Content.ReadAsStringAsync(Ct));
        var passage = Assert.Single(await PresencesAtAsync(place.Id));
        Assert.Equal(Guid.Parse(clientId), passage.Id);
    }

    [Fact]
    public async Task AnInactiveOrUnknownPlace_RecordsNothing()
    {
        var place = await CreateAsync(input: Input(isActive: false));
        using var client = Factory.CreateClient();
        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/place/{place.Id}", Ct));
        Assert.Contains("已停用", page);
        Assert.DoesNotContain("id=\"submit\"", page);

        var result = await Factory.Get<RecordPresence>().HandleAsync(place.Id, new PresenceInput { Phone = NewPhone(), ClientId = Guid.NewGuid() }, Ct);
        Assert.IsType<Outcome<PresenceRecorded>.NotFound>(result);
        Assert.Empty(await PresencesAtAsync(place.Id));

        var unknown = await client.GetAsync($"/place/{Guid.NewGuid()}", Ct);
        var unknownHtml = WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync(Ct));
        Assert.Contains("id=\"place-error\"", unknownHtml);
        Assert.Contains("无效", unknownHtml);
        Assert.DoesNotContain("id=\"submit\"", unknownHtml);
    }

    [Fact]
    public async Task AnInvalidPhoneOrIdNumber_IsAnError_AndNothingIsWritten()
    {
        var place = await CreateAsync();
        await using var db = Factory.CreateDbContext();
        var visitors = await db.Visitors.CountAsync(Ct);

        var badPhone = await PresentAsync(place.Id, "12345");
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.StatusCode);
        var html = WebUtility.HtmlDecode(await badPhone.Content.ReadAsStringAsync(Ct));
        Assert.Contains("id=\"phone-error\"", html);
        Assert.Contains("11 位手机号码", html);

        var landline = await PresentAsync(place.Id, "0731-22334455");
        Assert.Equal(HttpStatusCode.BadRequest, landline.StatusCode);

        var badId = await PresentAsync(place.Id, NewPhone(), "430202199001011230");
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Contains("id=\"document-number-error\"", await badId.Content.ReadAsStringAsync(Ct));

        Assert.Empty(await PresencesAtAsync(place.Id));
        Assert.Equal(visitors, await db.Visitors.CountAsync(Ct));
    }

    [Fact]
    public async Task OnePhone_IsLimitedPerHour()
    {
        var place = await CreateAsync();
        var phone = NewPhone();
        var record = Factory.Get<RecordPresence>();
        for (var i = 0; i < PresenceRateLimits.PerPhonePerHour; i++)
            Assert.IsType<Outcome<PresenceRecorded>.Success>(await record.HandleAsync(place.Id, new PresenceInput { Phone = phone, ClientId = Guid.NewGuid() }, Ct));

        var refused = await PresentAsync(place.Id, phone);

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Contains("过于频繁", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(PresenceRateLimits.PerPhonePerHour, (await PresencesAtAsync(place.Id)).Count);
    }

    [Fact]
    public async Task Poster_HasTheQrAndThePlaceUrl()
    {
        var place = await CreateAsync();
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Community);

        var response = await worker.GetAsync($"/places/{place.Id}/poster", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("<svg", html);
        Assert.Contains($"data-url=\"http://localhost/place/{place.Id}\"", html);
        Assert.Contains("场所码", html);
        Assert.Contains("惠民超市", html);
        Assert.Contains("请使用手机扫码登记，无需下载App", html);
    }

    [Fact]
    public async Task Presences_AreListedNewestFirst_Masked_AndCountedToday()
    {
        var place = await CreateAsync();
        var phone = NewPhone();
        var (_, document) = await Data.PersonAsync(await Data.HouseholdAsync(Community), "欧阳登记", phone);
        var visitorPhone = NewPhone();
        Assert.Equal(HttpStatusCode.OK, (await PresentAsync(place.Id, NewPhone(), document)).StatusCode);
        await Task.Delay(20, Ct);
        Assert.Equal(HttpStatusCode.OK, (await PresentAsync(place.Id, visitorPhone)).StatusCode);

        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Community);
        var response = await worker.GetAsync($"/api/v1/places/{place.Id}/presences", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(phone, text);
        Assert.DoesNotContain(visitorPhone, text);
        Assert.DoesNotContain(document, text);
        Assert.DoesNotContain("欧阳登记", text);
        var page = System.Text.Json.JsonSerializer.Deserialize<Paged<PresenceItem>>(text, Json)!;
        Assert.Equal(2, page.Total);
        Assert.False(page.Items[0].IsResident);
        Assert.Equal(PhoneNumber.Mask(visitorPhone), page.Items[0].Phone);
        Assert.True(page.Items[1].IsResident);
        Assert.Equal("欧**记", page.Items[1].Name);
        Assert.Equal(PhoneNumber.Mask(phone), page.Items[1].Phone);

        var today = Factory.Get<LocalClock>().Today();
        var tomorrow = await worker.GetFromJsonAsync<Paged<PresenceItem>>($"/api/v1/places/{place.Id}/presences?from={today.AddDays(1):yyyy-MM-dd}", Json, Ct);
        Assert.Equal(0, tomorrow!.Total);
        var listed = await worker.GetFromJsonAsync<PlaceItem>($"/api/v1/places/{place.Id}", Json, Ct);
        Assert.Equal(2, listed!.PresencesToday);
    }

    [Fact]
    public async Task ConsolePage_ListsPlaces()
    {
        var place = await CreateAsync(input: Input(name: $"药店{Guid.NewGuid():N}"[..10]));
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Community);
        var html = WebUtility.HtmlDecode(await worker.GetStringAsync("/places", Ct));
        Assert.Contains(place.Name, html);
        Assert.Contains($"/places/{place.Id}/poster", html);
        Assert.Contains("id=\"new-place\"", html);
    }
}

public sealed class PlaceCodesTests_Sqlite(SqliteAppFactory factory) : PlaceCodesTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class PlaceCodesTests_Postgres(PostgresAppFactory factory) : PlaceCodesTests(factory), IClassFixture<PostgresAppFactory>;
