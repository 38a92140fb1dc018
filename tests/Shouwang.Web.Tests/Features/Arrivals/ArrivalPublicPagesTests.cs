using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Arrivals;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Arrivals;

/// <summary>The public arrival report as a phone's browser meets it: no account, a plain form with antiforgery.</summary>
public abstract partial class ArrivalPublicPagesTests(AppFactory factory) : ApiTestBase(factory)
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Data.GridAsync();
        await Factory.PutInForceAsync(TestData.Street, "NHC-9");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("id=\"reference\"[^>]*>(LF[0-9]{6}-[0-9A-Z]{5})<")]
    private static partial Regex Reference();

    private string Day(int daysAgo) => Factory.Get<LocalClock>().Today().AddDays(-daysAgo).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string NewPhone() => "136" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> TokenAsync(HttpClient client, string path) =>
        AntiforgeryField().Match(await client.GetStringAsync(path, Ct)).Groups[1].Value;

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string handler, string token, Dictionary<string, string> fields)
    {
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = token;
        return client.PostAsync(path, new FormUrlEncodedContent(fields), Ct);
    }

    private Dictionary<string, string> Form(string phone, string clientId) => new()
    {
        ["Input.ClientId"] = clientId, ["Input.DocumentType"] = "ResidentIdCard", ["Input.DocumentNumber"] = TestData.NewIdNumber(), ["Input.Name"] = "赵回乡",
        ["Input.Phone"] = phone, ["Input.Province"] = "42", ["Input.City"] = "4201", ["Input.County"] = "420102", ["Input.Street"] = "",
        ["Input.Route"] = "武汉—株洲", ["Input.Transport"] = "Train", ["Input.TransportDetail"] = "G1001", ["Input.LeftOn"] = Day(2), ["Input.ArrivedOn"] = Day(1),
        ["Input.CommunityCode"] = TestData.Community, ["Input.StayAddress"] = "晏家湾小区5栋101",
    };

    private async Task<int> CountAsync()
    {
        await using var db = Factory.CreateDbContext();
        return await db.ArrivalReports.CountAsync(Ct);
    }

    [Fact]
    public async Task Page_OpensWithoutSignIn_WithTheFieldsAndServedCommunities()
    {
        using var client = Factory.CreateClient();
        var response = await client.GetAsync("/arrival", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        foreach (var id in new[] { "document-type", "document-number", "name", "phone", "abroad", "province", "route", "transport", "transport-detail", "left-on", "arrived-on", "community", "stay-address", "submit", "client-id" })
            Assert.Contains($"id=\"{id}\"", html);
        Assert.Contains("来返报备", html);
        Assert.Contains("湖北省", html);
        Assert.Contains($"value=\"{TestData.Community}\"", html);

        // The same lists as JSON for a mini-program, without an account.
        var streets = await client.GetStringAsync("/api/v1/public/origins?parent=420102", Ct);
        Assert.Contains("\"420102002\"", streets);
        Assert.Contains("大智街道", streets);
    }

    [Fact]
    public async Task ChoosingAProvince_ShowsItsCities_KeepsWhatWasTyped_AndSavesNothing()
    {
        using var client = Factory.CreateClient();
        var token = await TokenAsync(client, "/arrival");
        var before = await CountAsync();
        var form = Form(NewPhone(), Guid.NewGuid().ToString());
        form["Input.City"] = "";
        form["Input.County"] = "";
        form["Input.Action"] = "refresh";

        var response = await PostFormAsync(client, "/arrival", "public-arrival", token, form);

        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"city\"", html);
        Assert.Contains("武汉市", html);
        Assert.Contains("value=\"赵回乡\"", html);
        Assert.DoesNotContain("id=\"arrival-error\"", html);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Submitted_ShowsTheNumber_AndTheStatusPageFindsIt()
    {
        using var client = Factory.CreateClient();
        var token = await TokenAsync(client, "/arrival");
        var phone = NewPhone();

        var response = await PostFormAsync(client, "/arrival", "public-arrival", token, Form(phone, Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("/arrival/filed/LF", response.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var number = Reference().Match(html).Groups[1].Value;
        Assert.NotEmpty(number);
        Assert.Contains("id=\"next-steps\"", html);
        await using (var db = Factory.CreateDbContext())
        {
            var report = await db.ArrivalReports.SingleAsync(a => a.Number == number, Ct);
            Assert.Equal(ArrivalSource.Public, report.Source);
            Assert.Equal("420102", report.OriginCode);
            Assert.Equal("湖北省武汉市江岸区", report.OriginName);
            Assert.Equal(phone, report.Phone);
        }

        var statusToken = await TokenAsync(client, $"/arrival/status?number={number}");
        var found = await PostFormAsync(client, "/arrival/status", "public-arrival-status", statusToken, new() { ["Input.Number"] = number, ["Input.PhoneTail"] = phone[^4..] });
        var foundHtml = await found.Content.ReadAsStringAsync(Ct);
        Assert.Matches("id=\"status\"[^>]*>待审核<", foundHtml);
        Assert.DoesNotContain(phone, foundHtml);
        Assert.DoesNotContain("赵回乡", foundHtml);

        var wrong = await PostFormAsync(client, "/arrival/status", "public-arrival-status", statusToken,
            new() { ["Input.Number"] = number, ["Input.PhoneTail"] = phone[^4..] == "0000" ? "1111" : "0000" });
        var wrongHtml = await wrong.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"lookup-error\"", wrongHtml);
        Assert.DoesNotContain("id=\"status\"", wrongHtml);
    }

    [Fact]
    public async Task SubmittedTwice_IsOneReport()
    {
        using var client = Factory.CreateClient();
        var token = await TokenAsync(client, "/arrival");
        var form = Form(NewPhone(), Guid.NewGuid().ToString());
        var before = await CountAsync();

        var first = await PostFormAsync(client, "/arrival", "public-arrival", token, new(form));
        var second = await PostFormAsync(client, "/arrival", "public-arrival", token, new(form));

        Assert.Equal(first.RequestMessage!.RequestUri!.AbsolutePath, second.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.StartsWith("/arrival/filed/LF", second.RequestMessage.RequestUri.AbsolutePath);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task BadInput_ShowsErrorsPerField_KeepsTheInput_AndSavesNothing()
    {
        using var client = Factory.CreateClient();
        var token = await TokenAsync(client, "/arrival");
        var before = await CountAsync();
        var form = Form("1234", Guid.NewGuid().ToString());
        form["Input.DocumentNumber"] = "430202199001011234";
        form["Input.Province"] = "";
        form["Input.City"] = "";
        form["Input.County"] = "";
        form["Input.ArrivedOn"] = Day(3);

        var response = await PostFormAsync(client, "/arrival", "public-arrival", token, form);

        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"phone-error\"", html);
        Assert.Contains("手机号码格式不正确。", html);
        Assert.Contains("id=\"document-number-error\"", html);
        Assert.Contains("id=\"origin-error\"", html);
        Assert.Contains("id=\"arrived-on-error\"", html);
        Assert.Contains("抵达日期不能早于离开日期。", html);
        Assert.DoesNotContain("id=\"stay-address-error\"", html);
        Assert.Contains("value=\"晏家湾小区5栋101\"", html);
        Assert.Equal(before, await CountAsync());
    }
}

public sealed class ArrivalPublicPagesTests_Sqlite(SqliteAppFactory factory) : ArrivalPublicPagesTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class ArrivalPublicPagesTests_Postgres(PostgresAppFactory factory) : ArrivalPublicPagesTests(factory), IClassFixture<PostgresAppFactory>;
