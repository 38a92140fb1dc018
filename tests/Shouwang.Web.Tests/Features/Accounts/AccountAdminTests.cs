using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Accounts;

public abstract class AccountAdminTests(AppFactory factory) : ApiTestBase(factory)
{
    private static string NewUserName() => $"u{Guid.NewGuid():N}"[..14];

    private async Task<(HttpStatusCode Status, HttpClient? Client, string Body)> SignInAsync(string userName, string password)
    {
        using var response = await Factory.TokenResponseAsync(userName, password);
        var body = await response.Content.ReadAsStringAsync(Ct);
        if (!response.IsSuccessStatusCode) return (response.StatusCode, null, body);
        var token = JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString();
        return (response.StatusCode, Factory.ClientWithToken(token), body);
    }

    private async Task<AccountWithPassword> CreateThroughApiAsync(HttpClient admin, string node, StaffRoles roles = StaffRoles.CommunityWorker, Guid? gridId = null)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/accounts", new { userName = NewUserName(), displayName = "新同事", roles, nodeCode = node, gridId }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AccountWithPassword>(Json, Ct))!;
    }

    private static async Task<HttpValidationProblemDetails> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct))!;
    }

    [Fact]
    public async Task Create_InOwnSubtree_GivesAnInitialPasswordThatOnlyOpensThePasswordChange()
    {
        using var admin = await Factory.ClientForAsync(StaffRoles.Admin, TestData.Street);
        var grid = await Data.GridAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/accounts",
            new { userName = NewUserName(), displayName = "网格员甲", roles = "GridWorker, Tracer", nodeCode = TestData.Community, gridId = grid.Id, phone = "13912340000" }, Json, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<AccountWithPassword>(Json, Ct))!;
        Assert.Equal(StaffRoles.GridWorker | StaffRoles.Tracer, created.Account.Roles);
        Assert.Equal((TestData.Community, "晏家湾社区居委会", grid.Id), (created.Account.NodeCode, created.Account.NodeName, created.Account.GridId));
        Assert.True(created.Account.MustChangePassword);
        Assert.True(created.InitialPassword.Length >= PasswordRules.MinLength);
        Assert.Equal($"/api/v1/accounts/{created.Account.Id}", response.Headers.Location!.OriginalString);

        var (status, fresh, _) = await SignInAsync(created.Account.UserName, created.InitialPassword);
        Assert.Equal(HttpStatusCode.OK, status);
        using (fresh)
        {
            Assert.Equal(HttpStatusCode.OK, (await fresh!.GetAsync("/api/v1/me", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await fresh.GetAsync("/api/v1/persons", Ct)).StatusCode);
            var change = await fresh.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = created.InitialPassword, newPassword = "Wangge-2022-new" }, Json, Ct);
            Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        }
        var (again, changed, _) = await SignInAsync(created.Account.UserName, "Wangge-2022-new");
        Assert.Equal(HttpStatusCode.OK, again);
        using (changed) Assert.Equal(HttpStatusCode.OK, (await changed!.GetAsync("/api/v1/persons", Ct)).StatusCode);
    }

    [Fact]
    public async Task List_ShowsOnlyTheSubtree_AndNeverSecrets()
    {
        using var admin = await Factory.ClientForAsync(StaffRoles.Admin, TestData.Community);
        var mine = await Factory.CreateAccountAsync(StaffRoles.GridWorker, TestData.Community);
        var sibling = await Factory.CreateAccountAsync(StaffRoles.GridWorker, TestData.SiblingCommunity);
        var street = await Factory.CreateAccountAsync(StaffRoles.Command, TestData.Street);

        var response = await admin.GetAsync("/api/v1/accounts?pageSize=200", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(mine.UserName!, body);
        Assert.DoesNotContain(sibling.UserName!, body);
        Assert.DoesNotContain(street.UserName!, body);
        Assert.DoesNotContain("passwordHash", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("securityStamp", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(mine.PasswordHash!, body);

        var byRole = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/accounts?q={mine.UserName}&role=GridWorker", Json, Ct);
        Assert.Equal(1, byRole.GetProperty("total").GetInt32());
        var none = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/accounts?q={mine.UserName}&role=Sampler", Json, Ct);
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AnotherCommunitysAccount_Is404ForEveryAction_AndUnchanged()
    {
        using var admin = await Factory.ClientForAsync(StaffRoles.Admin, TestData.Community);
        var sibling = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.SiblingCommunity);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/accounts/{sibling.Id}", Ct)).StatusCode);
        var update = await admin.PutAsJsonAsync($"/api/v1/accounts/{sibling.Id}", new { displayName = "改", roles = "Observer", nodeCode = TestData.Community }, Json, Ct);
        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
        foreach (var action in new[] { "disable", "enable", "unlock", "reset-password", "sign-out-everywhere" })
            Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/accounts/{sibling.Id}/{action}", null, Ct)).StatusCode);

        await using var db = Factory.CreateDbContext();
        var stored = await db.Users.AsNoTracking().SingleAsync(a => a.Id == sibling.Id, Ct);
        Assert.Equal((sibling.DisplayName, StaffRoles.CommunityWorker, false, sibling.SecurityStamp), (stored.DisplayName, stored.Roles, stored.IsDisabled, stored.SecurityStamp));
        var id = sibling.Id.ToString();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.EntityId == id && a.Action != AuditAction.Create, Ct));
    }

    [Theory]
    [InlineData(TestData.SiblingCommunity)]
    [InlineData(TestData.Street)]
    [InlineData("430202005998")]
    [InlineData("abc")]
    public async Task Create_WithANodeOutsideTheSubtree_Is400NamingNodeCode(string node)
    {
        using var admin = await Factory.ClientForAsync(StaffRoles.Admin, TestData.Community);
        var userName = NewUserName();

        var response = await admin.PostAsJsonAsync("/api/v1/accounts", new { userName, displayName = "越权", roles = "Admin", nodeCode = node }, Json, Ct);

        Assert.Equal(["NodeCode"], (await ProblemAsync(response)).Errors.Keys.ToArray());
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(a => a.UserName == userName, Ct));
    }

    [Fact]
    public async Task Create_BadInput_NamesEachField()
    {
        var existing = await Factory.CreateAccountAsync(StaffRoles.Observer, TestData.Community);
        var otherGrid = await Data.GridAsync(TestData.SiblingCommunity);

        var noRoles = await Client.PostAsJsonAsync("/api/v1/accounts", new { userName = NewUserName(), displayName = "", roles = "None", nodeCode = TestData.Community, phone = "123" }, Json, Ct);
        Assert.Equal(["DisplayName", "Phone", "Roles"], (await ProblemAsync(noRoles)).Errors.Keys.Order().ToArray());

        var taken = await Client.PostAsJsonAsync("/api/v1/accounts", new { userName = existing.UserName, displayName = "重名", roles = "Observer", nodeCode = TestData.Community }, Json, Ct);
        Assert.Equal(["UserName"], (await ProblemAsync(taken)).Errors.Keys.ToArray());

        var wrongGrid = await Client.PostAsJsonAsync("/api/v1/accounts", new { userName = NewUserName(), displayName = "错网格", roles = "GridWorker", nodeCode = TestData.Community, gridId = otherGrid.Id }, Json, Ct);
        Assert.Equal(["GridId"], (await ProblemAsync(wrongGrid)).Errors.Keys.ToArray());

        var gridAtStreet = await Client.PostAsJsonAsync("/api/v1/accounts", new { userName = NewUserName(), displayName = "街道网格", roles = "GridWorker", nodeCode = TestData.Street, gridId = otherGrid.Id }, Json, Ct);
        Assert.Equal(["GridId"], (await ProblemAsync(gridAtStreet)).Errors.Keys.ToArray());
    }

    [Fact]
    public async Task Update_ChangesRolesAndNode_EffectiveAtOnce()
    {
        var target = await Factory.CreateAccountAsync(StaffRoles.Observer, TestData.Community);
        using var targetClient = await Factory.ClientForAsync(target);
        Assert.Equal(HttpStatusCode.Forbidden, (await targetClient.GetAsync("/api/v1/persons/export", Ct)).StatusCode);

        var response = await Client.PutAsJsonAsync($"/api/v1/accounts/{target.Id}", new { displayName = "改名", roles = "Command", nodeCode = TestData.Street }, Json, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = (await response.Content.ReadFromJsonAsync<AccountItem>(Json, Ct))!;
        Assert.Equal(("改名", StaffRoles.Command, TestData.Street), (item.DisplayName, item.Roles, item.NodeCode));
        Assert.Equal(HttpStatusCode.OK, (await targetClient.GetAsync("/api/v1/persons/export", Ct)).StatusCode);
        await using var db = Factory.CreateDbContext();
        var id = target.Id.ToString();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == "StaffAccount" && a.EntityId == id && a.Action == AuditAction.Update, Ct));
    }

    [Fact]
    public async Task Admin_CannotDisableOrDemoteThemself()
    {
        var self = await Factory.CreateAccountAsync(StaffRoles.Admin, TestData.Community);
        using var client = await Factory.ClientForAsync(self);

        Assert.Equal(["Id"], (await ProblemAsync(await client.PostAsync($"/api/v1/accounts/{self.Id}/disable", null, Ct))).Errors.Keys.ToArray());
        var demote = await client.PutAsJsonAsync($"/api/v1/accounts/{self.Id}", new { displayName = "我", roles = "CommunityWorker", nodeCode = TestData.Community }, Json, Ct);
        Assert.Equal(["Roles"], (await ProblemAsync(demote)).Errors.Keys.ToArray());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/accounts", Ct)).StatusCode);
    }

    [Fact]
    public async Task Disable_EndsExistingTokensAtOnce_AndEnableLetsThemSignInAgain()
    {
        var target = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var targetClient = await Factory.ClientForAsync(target);
        Assert.Equal(HttpStatusCode.OK, (await targetClient.GetAsync("/api/v1/persons", Ct)).StatusCode);

        var disable = await Client.PostAsync($"/api/v1/accounts/{target.Id}/disable", null, Ct);

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.True((await disable.Content.ReadFromJsonAsync<AccountItem>(Json, Ct))!.IsDisabled);
        Assert.Equal(HttpStatusCode.Unauthorized, (await targetClient.GetAsync("/api/v1/persons", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SignInAsync(target.UserName!, AppFactory.TestPassword)).Status);

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/v1/accounts/{target.Id}/enable", null, Ct)).StatusCode);
        var (status, again, _) = await SignInAsync(target.UserName!, AppFactory.TestPassword);
        again?.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);

        await using var db = Factory.CreateDbContext();
        var id = target.Id.ToString();
        var actions = await db.AuditEntries.Where(a => a.EntityId == id).Select(a => a.Action).ToListAsync(Ct);
        Assert.Contains(AuditAction.AccountDisabled, actions);
        Assert.Contains(AuditAction.AccountEnabled, actions);
        var entry = await db.AuditEntries.FirstAsync(a => a.EntityId == id && a.Action == AuditAction.AccountDisabled, Ct);
        Assert.Equal(target.NodeMin, entry.ScopeCode);
    }

    [Fact]
    public async Task SignOutEverywhere_EndsExistingTokens()
    {
        var target = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var targetClient = await Factory.ClientForAsync(target);

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/v1/accounts/{target.Id}/sign-out-everywhere", null, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await targetClient.GetAsync("/api/v1/persons", Ct)).StatusCode);
        await using var db = Factory.CreateDbContext();
        var id = target.Id.ToString();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityId == id && a.Action == AuditAction.SignOutEverywhere, Ct));
    }

    [Fact]
    public async Task ResetPassword_GivesANewInitialPassword_AndEndsOldTokens()
    {
        var target = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var targetClient = await Factory.ClientForAsync(target);

        var response = await Client.PostAsync($"/api/v1/accounts/{target.Id}/reset-password", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reset = (await response.Content.ReadFromJsonAsync<AccountWithPassword>(Json, Ct))!;
        Assert.True(reset.Account.MustChangePassword);
        Assert.Equal(HttpStatusCode.Unauthorized, (await targetClient.GetAsync("/api/v1/persons", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(target.UserName!, AppFactory.TestPassword)).Status);
        var (status, fresh, _) = await SignInAsync(target.UserName!, reset.InitialPassword);
        Assert.Equal(HttpStatusCode.OK, status);
        using (fresh) Assert.Equal(HttpStatusCode.Forbidden, (await fresh!.GetAsync("/api/v1/persons", Ct)).StatusCode);
        await using var db = Factory.CreateDbContext();
        var id = target.Id.ToString();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityId == id && a.Action == AuditAction.PasswordReset, Ct));
    }

    [Fact]
    public async Task Lockout_AfterFiveWrongPasswords_RefusesTheRightOne_UntilUnlocked()
    {
        var target = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        for (var i = 0; i < PasswordRules.MaxFailedAttempts; i++)
            await SignInAsync(target.UserName!, "wrong-password-1");

        var (status, _, body) = await SignInAsync(target.UserName!, AppFactory.TestPassword);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("锁定", body);
        await using (var db = Factory.CreateDbContext())
        {
            var id = target.Id.ToString();
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityId == id && a.Action == AuditAction.LockedOut, Ct));
            Assert.True(await db.AuditEntries.CountAsync(a => a.EntityId == id && a.Action == AuditAction.SignInFailed, Ct) >= PasswordRules.MaxFailedAttempts - 1);
        }
        var listed = await Client.GetFromJsonAsync<AccountItem>($"/api/v1/accounts/{target.Id}", Json, Ct);
        Assert.True(listed!.IsLockedOut);

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/v1/accounts/{target.Id}/unlock", null, Ct)).StatusCode);
        var (after, client, _) = await SignInAsync(target.UserName!, AppFactory.TestPassword);
        client?.Dispose();
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact]
    public async Task FailedSignIns_AreAudited()
    {
        var target = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        var unknown = NewUserName();

        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(target.UserName!, "wrong-password-1")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(unknown, "whatever-123")).Status);

        await using var db = Factory.CreateDbContext();
        var id = target.Id.ToString();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.EntityId == id && a.Action == AuditAction.SignInFailed, Ct));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.SignInFailed && a.Summary!.Contains(unknown), Ct));
    }

    [Fact]
    public async Task WithoutManageAccounts_EverythingIs403()
    {
        var target = await Factory.CreateAccountAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);

        foreach (var client in new[] { observer, worker })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/accounts", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/accounts", new { userName = NewUserName(), displayName = "x", roles = "Admin", nodeCode = TestData.Community }, Json, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/accounts/{target.Id}/disable", null, Ct)).StatusCode);
        }
        await using var db = Factory.CreateDbContext();
        Assert.False((await db.Users.AsNoTracking().SingleAsync(a => a.Id == target.Id, Ct)).IsDisabled);
    }
}

public sealed class AccountAdminTests_Sqlite(SqliteAppFactory factory) : AccountAdminTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class AccountAdminTests_Postgres(PostgresAppFactory factory) : AccountAdminTests(factory), IClassFixture<PostgresAppFactory>;
