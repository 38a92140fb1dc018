using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Hotline;

/// <summary>The residents' pages as a phone's browser meets them: no account, plain forms with antiforgery.</summary>
public abstract partial class PublicPagesTests(AppFactory factory) : ApiTestBase(factory)
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Data.GridAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("id=\"reference\"[^>]*>(GD[0-9]{6}-[0-9A-Z]{5})<")]
    private static partial Regex Reference();

    private static string NewPhone() => "137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(path, Ct);
        return AntiforgeryField().Match(page).Groups[1].Value;
    }

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string handler, string token, Dictionary<string, string> fields)
    {
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = token;
        return client.PostAsync(path, new FormUrlEncodedContent(fields), Ct);
    }

    [Fact]
    public async Task ReportPage_OpensWithoutSignIn_InChinese_WithTheServedCommunities()
    {
        using var client = Factory.CreateClient();
        var response = await client.GetAsync("/public/report", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        foreach (var id in new[] { "kind", "need", "community", "address", "name", "phone", "description", "submit" })
            Assert.Contains($"id=\"{id}\"", html);
        Assert.Contains("所在社区", html);
        Assert.Contains("手机号码", html);
        Assert.Contains("急难愁盼", html);
        Assert.Contains($"value=\"{TestData.Community}\"", html);
        Assert.Contains("晏家湾社区居委会", html);
    }

    [Fact]
    public async Task ReportForm_Posted_RedirectsToTheReference_WhichTheStatusPageFinds()
    {
        using var client = Factory.CreateClient();
        var token = await TokenAsync(client, "/public/report");
        var phone = NewPhone();

        var response = await PostFormAsync(client, "/public/report", "public-report", token, new()
        {
            ["Input.Kind"] = "ResidentRequest", ["Input.Need"] = "Food", ["Input.CommunityCode"] = TestData.Community,
            ["Input.Address"] = $"页面小区{Guid.NewGuid():N}"[..12], ["Input.Name"] = "李先生", ["Input.Phone"] = phone, ["Input.Description"] = "家里没菜了，腿脚不便",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("/public/report/filed/GD", response.RequestMessage!.RequestUri!.AbsolutePath);
        var number = Reference().Match(await response.Content.ReadAsStringAsync(Ct)).Groups[1].Value;
        Assert.NotEmpty(number);
        await using (var db = Factory.CreateDbContext())
            Assert.Equal("急难愁盼·生活物资", (await db.WorkOrders.SingleAsync(w => w.Number == number, Ct)).Title);

        var statusToken = await TokenAsync(client, $"/public/status?number={number}");
        var found = await PostFormAsync(client, "/public/status", "public-status", statusToken, new() { ["Input.Number"] = number, ["Input.PhoneTail"] = phone[^4..] });
        var html = await found.Content.ReadAsStringAsync(Ct);
        Assert.Matches("id=\"status\"[^>]*>待派<", html);
        Assert.DoesNotContain(phone, html);
        Assert.DoesNotContain("李先生", html);

        var notFound = await PostFormAsync(client, "/public/status", "public-status", statusToken, new() { ["Input.Number"] = number, ["Input.PhoneTail"] = "0000" == phone[^4..] ? "1111" : "0000" });
        var notFoundHtml = await notFound.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"lookup-error\"", notFoundHtml);
        Assert.DoesNotContain("id=\"status\"", notFoundHtml);
    }

    [Fact]
    public async Task ReportForm_WithBadInput_ShowsChineseErrorsPerField_KeepsTheInput_AndWritesNothing()
    {
        using var client = Factory.CreateClient();
        var token = await TokenAsync(client, "/public/report");
        int before;
        await using (var db = Factory.CreateDbContext()) before = await db.WorkOrders.CountAsync(Ct);

        var response = await PostFormAsync(client, "/public/report", "public-report", token, new()
        {
            ["Input.Kind"] = "HotlineReport", ["Input.CommunityCode"] = TestData.Community, ["Input.Address"] = "保留的地址1号",
            ["Input.Phone"] = "1234", ["Input.Description"] = "",
        });

        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"phone-error\"", html);
        Assert.Contains("手机号码格式不正确。", html);
        Assert.Contains("id=\"description-error\"", html);
        Assert.DoesNotContain("id=\"address-error\"", html);
        Assert.Contains("value=\"保留的地址1号\"", html);
        Assert.Contains("value=\"1234\"", html);
        await using (var db = Factory.CreateDbContext()) Assert.Equal(before, await db.WorkOrders.CountAsync(Ct));
    }

    [Fact]
    public async Task ReportForm_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = Factory.CreateClient();
        var response = await client.PostAsync("/public/report", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "public-report", ["Input.Kind"] = "HotlineReport", ["Input.CommunityCode"] = TestData.Community,
            ["Input.Address"] = "无令牌1号", ["Input.Phone"] = NewPhone(), ["Input.Description"] = "跨站提交",
        }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task StatusPage_OpensWithoutSignIn()
    {
        using var client = Factory.CreateClient();
        var html = await client.GetStringAsync("/public/status?number=GD261123-7K3MQ", Ct);

        foreach (var id in new[] { "number", "phone-tail", "lookup" }) Assert.Contains($"id=\"{id}\"", html);
        Assert.Contains("value=\"GD261123-7K3MQ\"", html);
        Assert.Contains("手机号后四位", html);
    }
}

public sealed class PublicPagesTests_Sqlite(SqliteAppFactory factory) : PublicPagesTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class PublicPagesTests_Postgres(PostgresAppFactory factory) : PublicPagesTests(factory), IClassFixture<PostgresAppFactory>;
