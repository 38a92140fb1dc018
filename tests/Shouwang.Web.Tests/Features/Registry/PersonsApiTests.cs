using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouwang.Domain.People;
using Shouwang.Web.Features.Registry;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Registry;

public abstract class PersonsApiTests(AppFactory factory) : ApiTestBase(factory)
{
    [Fact]
    public async Task CreatePerson_ValidInput_IsStoredAndReadBack()
    {
        var household = await Data.HouseholdAsync();
        var document = TestData.NewIdNumber(male: false, birth: new DateOnly(1988, 3, 7));
        var response = await Client.PostAsJsonAsync("/api/v1/persons", new
        {
            documentNumber = " " + document.ToLowerInvariant().Replace('0', '０') + " ",
            name = "王 小 红",
            phone = "+86 138-0013-8000",
            householdId = household,
            relationToHead = "Spouse",
            tags = "Bedridden, ChronicIllness",
            vaccinationDoses = 2,
        }, Json, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var saved = await response.Content.ReadFromJsonAsync<SavedPerson>(Json, Ct);
        var person = await Client.GetFromJsonAsync<PersonDetails>($"/api/v1/persons/{saved!.Id}", Json, Ct);
        Assert.Equal("王小红", person!.Name);
        Assert.Equal(IdCardNumber.Mask(document), person.DocumentNumber);
        Assert.Equal("138****8000", person.Phone);
        await using var db = Factory.CreateDbContext();
        var stored = await db.Persons.SingleAsync(p => p.Id == saved.Id, Ct);
        Assert.Equal((document, "13800138000"), (stored.DocumentNumber, stored.Phone));
        Assert.Equal(Sex.Female, person.Sex);
        Assert.Equal(new DateOnly(1988, 3, 7), person.BirthDate);
        Assert.Equal(VulnerabilityTags.Bedridden | VulnerabilityTags.ChronicIllness, person.Tags);
        Assert.Equal(TestData.Community, person.CommunityCode);
        Assert.Equal("晏家湾社区居委会", person.CommunityName);
    }

    [Theory]
    [InlineData("430202198803071234", "校验码")]
    [InlineData("43020219880230123X", "出生日期")]
    [InlineData("4302021988", "18 位")]
    [InlineData("", "请填写证件号码")]
    public async Task CreatePerson_InvalidIdNumber_IsRejectedNamingTheFieldAndWritesNothing(string document, string expected)
    {
        var household = await Data.HouseholdAsync();
        var before = await CountPersonsAsync();
        var response = await Client.PostAsJsonAsync("/api/v1/persons", new { documentNumber = document, name = "李四", householdId = household }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Contains(expected, Assert.Single(problem!.Errors["DocumentNumber"]));
        Assert.Equal(before, await CountPersonsAsync());
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Robert'); DROP TABLE Persons;--")]
    public async Task CreatePerson_ScriptOrSqlInName_IsRejectedAndStoredNowhere(string name)
    {
        var household = await Data.HouseholdAsync();
        var response = await Client.PostAsJsonAsync("/api/v1/persons", new { documentNumber = TestData.NewIdNumber(), name, householdId = household }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Contains("不允许的字符", problem!.Errors["Name"][0]);
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.Persons.AnyAsync(p => p.Name.Contains("script") || p.Name.Contains("DROP"), Ct));
    }

    [Fact]
    public async Task CreatePerson_InvalidPhoneAndDoses_ReportsEachField()
    {
        var household = await Data.HouseholdAsync();
        var response = await Client.PostAsJsonAsync("/api/v1/persons",
            new { documentNumber = TestData.NewIdNumber(), name = "赵五", phone = "12345", vaccinationDoses = 11, householdId = household }, Json, Ct);

        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Equal(["Phone", "VaccinationDoses"], problem!.Errors.Keys.Order().ToArray());
    }

    [Fact]
    public async Task CreatePerson_DocumentAlreadyRegistered_IsConflictNotASecondPerson()
    {
        var household = await Data.HouseholdAsync();
        var (_, document) = await Data.PersonAsync(household, "陈一");
        var response = await Client.PostAsJsonAsync("/api/v1/persons", new { documentNumber = document, name = "陈二", householdId = household }, Json, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Json, Ct);
        Assert.Contains("陈一", problem!.Title);
        await using var db = Factory.CreateDbContext();
        Assert.Equal(1, await db.Persons.CountAsync(p => p.DocumentNumber == document, Ct));
    }

    [Fact]
    public async Task UpdatePerson_MoveToAnotherCommunity_KeepsOneRowAndFollowsTheHousehold()
    {
        var first = await Data.HouseholdAsync();
        var second = await Data.HouseholdAsync(TestData.SiblingCommunity);
        var (id, document) = await Data.PersonAsync(first, "周搬家");

        var response = await Client.PutAsJsonAsync($"/api/v1/persons/{id}", new { documentNumber = document, name = "周搬家", householdId = second, tags = "LimitedMobility" }, Json, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var person = await Client.GetFromJsonAsync<PersonDetails>($"/api/v1/persons/{id}", Json, Ct);
        Assert.Equal(TestData.SiblingCommunity, person!.CommunityCode);
        Assert.Equal(VulnerabilityTags.LimitedMobility, person.Tags);
        await using var db = Factory.CreateDbContext();
        Assert.Equal(1, await db.Persons.CountAsync(p => p.DocumentNumber == document, Ct));
    }

    [Fact]
    public async Task UpdatePerson_EmptyDocumentAndMaskedPhone_KeepTheNumbersOnRecord()
    {
        var household = await Data.HouseholdAsync();
        var (id, document) = await Data.PersonAsync(household, "吴不变", phone: "13611112222");

        var response = await Client.PutAsJsonAsync($"/api/v1/persons/{id}", new { documentNumber = "", phone = "136****2222", name = "吴改名", householdId = household }, Json, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = Factory.CreateDbContext();
        var stored = await db.Persons.SingleAsync(p => p.Id == id, Ct);
        Assert.Equal(("吴改名", document, "13611112222"), (stored.Name, stored.DocumentNumber, stored.Phone));

        var wrongMask = await Client.PutAsJsonAsync($"/api/v1/persons/{id}", new { phone = "139****0000", name = "吴改名", householdId = household }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrongMask.StatusCode);
        Assert.Contains("Phone", (await wrongMask.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct))!.Errors.Keys);
    }

    [Fact]
    public async Task CreatePerson_WithoutDocument_IsStillRejected()
    {
        var household = await Data.HouseholdAsync();
        var response = await Client.PostAsJsonAsync("/api/v1/persons", new { name = "无证件", householdId = household }, Json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("DocumentNumber", (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct))!.Errors.Keys);
    }

    [Fact]
    public async Task GetPerson_Unknown_Is404ProblemInChinese()
    {
        var response = await Client.GetAsync($"/api/v1/persons/{Guid.NewGuid()}", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("居民不存在。", (await response.Content.ReadFromJsonAsync<ProblemDetails>(Json, Ct))!.Title);
    }

    [Fact]
    public async Task Errors_AreInEnglish_WhenTheClientAsksForIt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/{Guid.NewGuid()}");
        request.Headers.AcceptLanguage.ParseAdd("en");
        var response = await Client.SendAsync(request, Ct);

        Assert.Equal("Resident not found.", (await response.Content.ReadFromJsonAsync<ProblemDetails>(Json, Ct))!.Title);
    }

    [Fact]
    public async Task CreatePerson_MalformedJson_IsBadRequestProblem()
    {
        using var content = new StringContent("{\"name\": ", Encoding.UTF8, "application/json");
        var response = await Client.PostAsync("/api/v1/persons", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("请求格式不正确。", (await response.Content.ReadFromJsonAsync<ProblemDetails>(Json, Ct))!.Title);
    }

    [Fact]
    public async Task Search_FindsByNameIdTailPhoneAndAddress_MaskingNumbers()
    {
        var household = await Data.HouseholdAsync(address: $"搜索花园{Guid.NewGuid():N}"[..10] + "3栋502室");
        var name = "欧阳" + Guid.NewGuid().ToString("N")[..4].Replace('a', '甲');
        var (id, document) = await Data.PersonAsync(household, name, phone: "13912345678");

        foreach (var q in new[] { name, document, document[^6..], "13912345678" })
        {
            var page = await Client.GetFromJsonAsync<Paged<PersonListItem>>($"/api/v1/persons?q={Uri.EscapeDataString(q)}&jurisdiction={TestData.Street}", Json, Ct);
            var hit = Assert.Single(page!.Items, p => p.Id == id);
            Assert.Equal(IdCardNumber.Mask(document), hit.DocumentNumber);
            Assert.Equal("139****5678", hit.Phone);
        }
        var byAddress = await Client.GetFromJsonAsync<Paged<PersonListItem>>($"/api/v1/persons?q={Uri.EscapeDataString("搜索花园")}", Json, Ct);
        Assert.Contains(byAddress!.Items, p => p.Id == id);
    }

    [Fact]
    public async Task Search_InsideAnotherCommunity_DoesNotReturnThePerson()
    {
        var household = await Data.HouseholdAsync();
        var (id, document) = await Data.PersonAsync(household, "范围外");

        var sibling = await Client.GetFromJsonAsync<Paged<PersonListItem>>($"/api/v1/persons?q={document}&jurisdiction={TestData.SiblingCommunity}", Json, Ct);
        var own = await Client.GetFromJsonAsync<Paged<PersonListItem>>($"/api/v1/persons?q={document}&jurisdiction={TestData.Community}", Json, Ct);

        Assert.Empty(sibling!.Items);
        Assert.Equal(id, Assert.Single(own!.Items).Id);
    }

    [Fact]
    public async Task Search_IsPagedOnTheServer()
    {
        var grid = await Data.GridAsync();
        var household = await Data.HouseholdAsync(gridId: grid.Id);
        for (var i = 0; i < 5; i++) await Data.PersonAsync(household, $"分页{i}", relation: RelationToHead.Child);

        var first = await Client.GetFromJsonAsync<Paged<PersonListItem>>($"/api/v1/persons?gridId={grid.Id}&pageSize=2&page=1", Json, Ct);
        var third = await Client.GetFromJsonAsync<Paged<PersonListItem>>($"/api/v1/persons?gridId={grid.Id}&pageSize=2&page=3", Json, Ct);

        Assert.Equal(5, first!.Total);
        Assert.Equal(2, first.Items.Count);
        Assert.Single(third!.Items);
        Assert.Empty(first.Items.Select(p => p.Id).Intersect(third.Items.Select(p => p.Id)));
    }

    [Fact]
    public async Task Export_IsXlsxWithMaskedNumbersAndTranslatedHeaders()
    {
        var grid = await Data.GridAsync();
        var household = await Data.HouseholdAsync(gridId: grid.Id);
        var (_, document) = await Data.PersonAsync(household, "导出人", phone: "13700001111", tags: VulnerabilityTags.Disabled);

        var response = await Client.GetAsync($"/api/v1/persons/export?gridId={grid.Id}", Ct);

        Assert.Equal(ExcelExport.ContentType, response.Content.Headers.ContentType!.MediaType);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        var row = Assert.Single(rows);
        Assert.Equal("导出人", row["姓名"]);
        Assert.Equal(IdCardNumber.Mask(document), row["证件号码"]);
        Assert.Equal("137****1111", row["联系电话"]);
        Assert.Equal("残疾", row["重点人群标签"]);
    }

    [Fact]
    public async Task Search_ByTailEndingInX_FindsThePerson()
    {
        var household = await Data.HouseholdAsync();
        var document = Enumerable.Range(100, 400).Select(i => IdCardNumber.FromFirst17($"43020219770707{i:000}").Value).First(d => d.EndsWith('X'));
        var created = await Client.PostAsJsonAsync("/api/v1/persons", new { documentNumber = document, name = "尾号X", householdId = household }, Json, Ct);
        var id = (await created.Content.ReadFromJsonAsync<SavedPerson>(Json, Ct))!.Id;

        var page = await Client.GetFromJsonAsync<Paged<PersonListItem>>($"/api/v1/persons?q={document[^5..].ToLowerInvariant()}", Json, Ct);

        Assert.Contains(page!.Items, p => p.Id == id);
    }

    private async Task<int> CountPersonsAsync()
    {
        await using var db = Factory.CreateDbContext();
        return await db.Persons.CountAsync(Ct);
    }
}

public sealed class PersonsApiTests_Sqlite(SqliteAppFactory factory) : PersonsApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class PersonsApiTests_Postgres(PostgresAppFactory factory) : PersonsApiTests(factory), IClassFixture<PostgresAppFactory>;
