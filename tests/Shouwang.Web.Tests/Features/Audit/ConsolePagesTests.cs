using Shouwang.Domain.People;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Audit;

/// <summary>The server-rendered first paint of the admin pages and the person pages, signed in with the console's cookie.</summary>
public abstract class ConsolePagesTests(AppFactory factory) : ApiTestBase(factory)
{
    private Task<HttpClient> ConsoleForAsync(StaffAccount account) => Factory.ConsoleClientAsync(account, followRedirects: true);

    [Fact]
    public async Task PersonPages_ShowOnlyMaskedNumbers()
    {
        var (id, document) = await Data.PersonAsync(await Data.HouseholdAsync(), "页面遮蔽", phone: "13866667777");
        using var console = await ConsoleForAsync(await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community));

        foreach (var path in new[] { $"/persons/{id}", $"/persons/{id}/edit" })
        {
            var html = await console.GetStringAsync(path, Ct);
            Assert.Contains(IdCardNumber.Mask(document), html);
            Assert.DoesNotContain(document, html);
            Assert.DoesNotContain("13866667777", html);
            Assert.Contains("138****7777", html);
        }
    }

    [Fact]
    public async Task JurisdictionBrowser_StartsAtTheCallersNode()
    {
        using var worker = await ConsoleForAsync(await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity));

        var html = await worker.GetStringAsync("/jurisdictions", Ct);

        Assert.Matches("id=\"node-title\"[^>]*>流芳社区居委会", html);
        var outside = await worker.GetStringAsync($"/jurisdictions/{TestData.Community}", Ct);
        Assert.Contains("辖区不存在", outside);
        Assert.DoesNotContain("晏家湾社区居委会", outside);
    }

    [Fact]
    public async Task AdminPages_RenderForAnAdmin_AndAreRefusedToOthers()
    {
        var mate = await Factory.CreateAccountAsync(StaffRoles.GridWorker, TestData.Community);
        using var admin = await ConsoleForAsync(await Factory.CreateAccountAsync(StaffRoles.Admin, TestData.Community));

        var accounts = await admin.GetStringAsync("/accounts", Ct);
        Assert.Contains("账号管理", accounts);
        Assert.Contains(mate.UserName!, accounts);
        Assert.Contains("网格员", accounts);
        var audit = await admin.GetStringAsync("/audit", Ct);
        Assert.Contains("审计日志", audit);
        Assert.Contains("新增", audit);

        using var worker = await ConsoleForAsync(await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community));
        var refused = await worker.GetAsync("/accounts", Ct);
        Assert.DoesNotContain(mate.UserName!, await refused.Content.ReadAsStringAsync(Ct));
        Assert.DoesNotContain("审计日志</", await (await worker.GetAsync("/audit", Ct)).Content.ReadAsStringAsync(Ct));
    }
}

public sealed class ConsolePagesTests_Sqlite(SqliteAppFactory factory) : ConsolePagesTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class ConsolePagesTests_Postgres(PostgresAppFactory factory) : ConsolePagesTests(factory), IClassFixture<PostgresAppFactory>;
