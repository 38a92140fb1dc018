using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouwang.Domain.People;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Registry;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Access;

/// <summary>Findings of the access-control review: each test is an attack that used to work.</summary>
public abstract class AccessReviewTests(AppFactory factory) : ApiTestBase(factory)
{
    [Fact]
    public async Task RolesWithoutRevealIdentity_GetThePersonWithIdAndPhoneMasked()
    {
        var grid = await Data.GridAsync();
        var household = await Data.HouseholdAsync(TestData.Community, grid.Id);
        var (personId, document) = await Data.PersonAsync(household, "揭示测试", "13912345678");

        foreach (var roles in new[] { StaffRoles.Observer, StaffRoles.CheckpointGuard, StaffRoles.Sampler, StaffRoles.SuppliesManager })
        {
            using var client = await Factory.ClientForAsync(roles, TestData.Community);
            var text = await client.GetStringAsync($"/api/v1/persons/{personId}", Ct);
            Assert.DoesNotContain(document, text);
            Assert.DoesNotContain("13912345678", text);
        }
        // Roles that may see the whole number get it only through the explicit, audited reveal.
        using var clerk = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        var person = await clerk.GetFromJsonAsync<PersonDetails>($"/api/v1/persons/{personId}", Json, Ct);
        Assert.Equal(DocumentNumber.Mask(document), person!.DocumentNumber);
        var revealed = await clerk.PostAsJsonAsync($"/api/v1/persons/{personId}/reveal", new { field = "DocumentNumber" }, Json, Ct);
        Assert.Equal(document, (await revealed.Content.ReadFromJsonAsync<JsonElement>(Json, Ct)).GetProperty("value").GetString());
    }

    [Fact]
    public async Task ConsoleCookie_CannotPostAFormOrEmptyBodyToTheApi()
    {
        // What a page on another site (or a sibling subdomain, which SameSite=Lax lets through) can send without a preflight.
        await Data.GridAsync();
        var account = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var browser = await Factory.ConsoleClientAsync(account);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me", Ct)).StatusCode);
        await using (var before = Factory.CreateDbContext())
            Assert.False(await before.Persons.AnyAsync(p => p.Name == "伪造导入", Ct));

        var csv = "姓名,身份证号,住址\n伪造导入," + TestData.NewIdNumber() + ",伪造小区1栋101\n"u8.ToArray();
        using var multipart = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "x.csv" } };
        using var import = await browser.PostAsync($"/api/v1/communities/{TestData.Community}/roster-imports?mode=ValidOnly", multipart, Ct);
        Assert.False(import.IsSuccessStatusCode, $"{(int)import.StatusCode}");
        using var signOut = await browser.PostAsync("/api/v1/me/sign-out-everywhere", null, Ct);
        Assert.False(signOut.IsSuccessStatusCode, $"{(int)signOut.StatusCode}");

        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Persons.AnyAsync(p => p.Name == "伪造导入", Ct));
        Assert.False(await db.AuditEntries.AnyAsync(e => e.AccountId == account.Id && e.Action == AuditAction.SignOutEverywhere, Ct));
        // JSON (which needs a preflight across sites) and bearer tokens still work.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me", Ct)).StatusCode);
        using var json = await browser.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "x", newPassword = "" }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        using var program = await Factory.ClientForAsync(account);
        Assert.Equal(HttpStatusCode.NoContent, (await program.PostAsync("/api/v1/me/sign-out-everywhere", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task ScopedContextOfACookieRequest_WorksForTheSignedInCaller()
    {
        // Identity's UserManager writes through the request's scoped context; it must not have been made (and its caller
        // fixed) during authentication, before the caller was known, or account changes would be logged as "anonymous".
        using var probed = Factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddTransient<IStartupFilter, ScopedCallerProbe>()));
        var account = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var client = probed.CreateClient(new() { AllowAutoRedirect = false });
        using (var signIn = await AppFactory.ConsoleSignInAsync(client, account, "/")) Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        Assert.Equal(account.Id.ToString(), await client.GetStringAsync(ScopedCallerProbe.Path, Ct));
    }

    private sealed class ScopedCallerProbe : IStartupFilter
    {
        public const string Path = "/review-probe/scoped-caller";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path == Path
                ? context.Response.WriteAsync(context.RequestServices.GetRequiredService<Web.Data.AppDbContext>().Caller.AccountId?.ToString() ?? "nobody")
                : Task.CompletedTask);
        };
    }

    [Fact]
    public async Task SignOutEverywhere_EndsTheConsoleCookieAndTokens_AtOnce()
    {
        var account = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var browser = await Factory.ConsoleClientAsync(account);
        using var program = await Factory.ClientForAsync(account);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me", Ct)).StatusCode);

        using var other = await Factory.ClientForAsync(account);
        Assert.Equal(HttpStatusCode.NoContent, (await other.PostAsync("/api/v1/me/sign-out-everywhere", null, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await program.GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("/\t/evil.example/")]
    [InlineData("/\n/evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    public async Task SignIn_NeverRedirectsOffSite(string returnUrl)
    {
        var account = await Factory.CreateAccountAsync(StaffRoles.Observer, TestData.Community);
        using var client = Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await AppFactory.ConsoleSignInAsync(client, account, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // Read the way a browser does: tabs and newlines dropped, backslashes taken for slashes.
        var location = Regex.Replace(response.Headers.Location!.OriginalString, "[\t\r\n]", "").Replace('\\', '/');
        var target = new Uri(new Uri("http://localhost/"), location);
        Assert.Equal("localhost", target.Host);
    }
}

public sealed class AccessReviewTests_Sqlite(SqliteAppFactory factory) : AccessReviewTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class AccessReviewTests_Postgres(PostgresAppFactory factory) : AccessReviewTests(factory), IClassFixture<PostgresAppFactory>;
