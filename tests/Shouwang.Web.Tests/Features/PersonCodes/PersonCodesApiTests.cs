using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.People;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.PersonCodes;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.PersonCodes;

/// <summary>个人码 issue, revoke, reissue and printouts through the API and the print pages.</summary>
public abstract class PersonCodesApiTests(AppFactory factory) : ApiTestBase(factory)
{
    private const string Community = "430202005003";
    private const string Sibling = "430202005004";

    private async Task<(Guid Id, string Document, Guid Household)> PersonAsync(string name = "王小明")
    {
        var household = await Data.HouseholdAsync(Community);
        var (id, document) = await Data.PersonAsync(household, name);
        return (id, document, household);
    }

    private async Task<PersonCodeState> GetCodeAsync(HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/v1/persons/{id}/code", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PersonCodeState>(Json, Ct))!;
    }

    private async Task<bool> IsCurrentAsync(string code) => await Factory.Get<PersonCodeService>().CurrentHolderAsync(code, Ct) is not null;

    [Fact]
    public async Task FirstGet_IssuesSerialOne_AndTheSameCodeAfterwards()
    {
        var (id, _, _) = await PersonAsync();
        await using (var db = Factory.CreateDbContext())
            Assert.False(await db.PersonCodes.AnyAsync(c => c.PersonId == id, Ct));

        var first = await GetCodeAsync(Client, id);
        var again = await GetCodeAsync(Client, id);

        Assert.Equal(1, first.Serial);
        Assert.StartsWith("SWP1:", first.Code);
        Assert.Equal(first.Code, again.Code);
        Assert.Null(first.RevokedAt);
        Assert.True(await IsCurrentAsync(first.Code!));
        await using var check = Factory.CreateDbContext();
        Assert.Equal(1, (await check.PersonCodes.SingleAsync(c => c.PersonId == id, Ct)).Serial);
    }

    [Fact]
    public async Task Reissue_BumpsTheSerial_AndTheOldCodeStopsWorking_AndIsAudited()
    {
        var (id, _, _) = await PersonAsync();
        var old = await GetCodeAsync(Client, id);

        var response = await Client.PostAsync($"/api/v1/persons/{id}/code/reissue", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reissued = (await response.Content.ReadFromJsonAsync<PersonCodeState>(Json, Ct))!;

        Assert.Equal(2, reissued.Serial);
        Assert.NotEqual(old.Code, reissued.Code);
        Assert.False(await IsCurrentAsync(old.Code!));
        Assert.True(await IsCurrentAsync(reissued.Code!));
        // The old text is still a well-signed code: it is the serial that no longer matches.
        Assert.Equal(1, (await Factory.Get<Shouwang.Web.Infrastructure.CodeSigner>().ReadAsync(old.Code!, Ct))!.Value.Serial);
        await using var db = Factory.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(PersonCode) && a.EntityId == id.ToString() && a.Summary!.Contains("reissued"), Ct));
    }

    [Fact]
    public async Task Revoke_NeedsAReason_ThenStopsTheCode_AndTheQr_UntilReissued()
    {
        var (id, _, _) = await PersonAsync();
        var code = (await GetCodeAsync(Client, id)).Code!;

        var missing = await Client.PostAsJsonAsync($"/api/v1/persons/{id}/code/revoke", new { reason = "  " }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("Reason", (await missing.Content.ReadFromJsonAsync<ValidationProblemDetails>(Ct))!.Errors.Keys);
        var tooLong = await Client.PostAsJsonAsync($"/api/v1/persons/{id}/code/revoke", new { reason = new string('长', 201) }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True(await IsCurrentAsync(code));

        var revoked = await Client.PostAsJsonAsync($"/api/v1/persons/{id}/code/revoke", new { reason = "卡片遗失" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var state = (await revoked.Content.ReadFromJsonAsync<PersonCodeState>(Json, Ct))!;
        Assert.NotNull(state.RevokedAt);
        Assert.Equal("卡片遗失", state.RevokedReason);
        Assert.Null(state.Code);
        Assert.False(await IsCurrentAsync(code));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/persons/{id}/code/qr.svg", Ct)).StatusCode);
        var print = await Client.GetStringAsync($"/codes/person/{id}", Ct);
        Assert.DoesNotContain("<svg", print);
        await using (var db = Factory.CreateDbContext())
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(PersonCode) && a.EntityId == id.ToString() && a.Summary!.Contains("卡片遗失"), Ct));

        var reissued = (await (await Client.PostAsync($"/api/v1/persons/{id}/code/reissue", null, Ct)).Content.ReadFromJsonAsync<PersonCodeState>(Json, Ct))!;
        Assert.Null(reissued.RevokedAt);
        Assert.Equal(2, reissued.Serial);
        Assert.True(await IsCurrentAsync(reissued.Code!));
        Assert.False(await IsCurrentAsync(code));
    }

    [Fact]
    public async Task ACallerFromTheSiblingCommunity_GetsNotFound_AndChangesNothing()
    {
        var (id, _, household) = await PersonAsync();
        var original = await GetCodeAsync(Client, id);
        using var sibling = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Sibling);

        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/persons/{id}/code", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"/api/v1/persons/{id}/code/qr.svg", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsJsonAsync($"/api/v1/persons/{id}/code/revoke", new { reason = "x" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostAsync($"/api/v1/persons/{id}/code/reissue", null, Ct)).StatusCode);
        var page = await sibling.GetAsync($"/codes/household/{household}", Ct);
        Assert.DoesNotContain("<svg", await page.Content.ReadAsStringAsync(Ct));

        var after = await GetCodeAsync(Client, id);
        Assert.Equal(original.Code, after.Code);
        Assert.Null(after.RevokedAt);
    }

    [Fact]
    public async Task AnObserver_MayNotReadPrintRevokeOrReissue_AValidCodeIsAPassInThePersonsName()
    {
        var (id, _, _) = await PersonAsync();
        Assert.Equal(1, (await GetCodeAsync(Client, id)).Serial);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, Community);

        Assert.Equal(HttpStatusCode.Forbidden, (await observer.GetAsync($"/api/v1/persons/{id}/code", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.GetAsync($"/api/v1/persons/{id}/code/qr.svg", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsJsonAsync($"/api/v1/persons/{id}/code/revoke", new { reason = "x" }, Json, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsync($"/api/v1/persons/{id}/code/reissue", null, Ct)).StatusCode);
        await using var db = Factory.CreateDbContext();
        var row = await db.PersonCodes.SingleAsync(c => c.PersonId == id, Ct);
        Assert.Equal(1, row.Serial);
        Assert.Null(row.RevokedAt);
    }

    [Fact]
    public async Task QrSvg_IsAnSvgImage()
    {
        var (id, _, _) = await PersonAsync();
        var response = await Client.GetAsync($"/api/v1/persons/{id}/code/qr.svg", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName is "path" or "rect");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/persons/{Guid.NewGuid()}/code/qr.svg", Ct)).StatusCode);
    }

    [Fact]
    public async Task PrintPages_ShowMaskedNamesAndIds_NeverTheWholeNumber()
    {
        var (id, document, household) = await PersonAsync("欧阳明月");
        var (other, otherDocument) = await Data.PersonAsync(household, "李四", relation: RelationToHead.Spouse);
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, Community);

        var response = await worker.GetAsync($"/codes/person/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("欧**月", html);
        Assert.Contains(IdCardNumber.Mask(document), html);
        Assert.DoesNotContain(document, html);
        Assert.DoesNotContain("欧阳明月", html);
        Assert.Contains("个人码 · 守望", html);
        Assert.Contains("<svg", html);
        Assert.Contains("@media print", html);

        var family = WebUtility.HtmlDecode(await worker.GetStringAsync($"/codes/household/{household}", Ct));
        Assert.Contains("欧**月", family);
        Assert.Contains("李*", family);
        Assert.DoesNotContain(otherDocument, family);
        Assert.Equal(2, family.Split("class=\"sw-code-card\"").Length - 1);

        var grid = await Factory.CreateDbContext().Households.Where(h => h.Id == household).Select(h => h.GridId).SingleAsync(Ct);
        var sheet = WebUtility.HtmlDecode(await worker.GetStringAsync($"/codes/grid/{grid}", Ct));
        Assert.Contains($"data-person=\"{other}\"", sheet);
        Assert.DoesNotContain(document, sheet);
    }
}

public sealed class PersonCodesApiTests_Sqlite(SqliteAppFactory factory) : PersonCodesApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class PersonCodesApiTests_Postgres(PostgresAppFactory factory) : PersonCodesApiTests(factory), IClassFixture<PostgresAppFactory>;
