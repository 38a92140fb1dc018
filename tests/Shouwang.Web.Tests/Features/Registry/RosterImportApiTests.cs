using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouwang.Domain.People;
using Shouwang.Web.Features.Registry.Import;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Registry;

public abstract class RosterImportApiTests(AppFactory factory) : ApiTestBase(factory)
{
    [Fact]
    public async Task Preview_ListsEveryBadRowInChinese_AndWritesNothing()
    {
        var grid = await Data.GridAsync();
        var good = TestData.NewIdNumber();
        var file = Xlsx(
            ["晏家湾社区居民花名册（2022年4月）"],
            [],
            ["序号", "姓名", "身份证号码", "联系电话", "小区", "楼栋", "单元", "门牌号", "与户主关系", "标签"],
            ["1", "刘一", good, "13800138000", "预览小区", "1", "1", "101", "户主", ""],
            ["2", "刘二", "430202199001011234", "", "预览小区", "1", "1", "101", "配偶", ""],
            ["3", "<b>刘三</b>", TestData.NewIdNumber(), "123", "预览小区", "1", "1", "101", "子女", "会飞"]);
        var before = await CountPersonsAsync();

        var report = await ImportAsync(file, "roster.xlsx", ImportMode.Preview, grid.Id);

        Assert.False(report.Committed);
        Assert.Equal(3, report.DataRows);
        Assert.Equal(1, report.ValidRows);
        Assert.Equal(2, report.BadRows);
        Assert.Contains(report.Issues, i => i.Row == 5 && i.Column == "身份证号码" && i.Message.Contains("无效"));
        Assert.Contains(report.Issues, i => i.Row == 6 && i.Column == "姓名");
        Assert.Contains(report.Issues, i => i.Row == 6 && i.Column == "联系电话");
        Assert.Contains(report.Issues, i => i.Row == 6 && i.Column == "标签" && i.Message.Contains("会飞"));
        Assert.Equal(before, await CountPersonsAsync());
    }

    [Fact]
    public async Task CommitAll_WithABadRow_WritesNothing_ValidOnly_WritesTheGoodRows()
    {
        var grid = await Data.GridAsync();
        var (a, b) = (TestData.NewIdNumber(), TestData.NewIdNumber(male: false));
        var compound = $"导入{Guid.NewGuid():N}"[..8];
        var file = Xlsx(
            ["姓名", "身份证号", "手机号", "小区", "楼栋", "单元", "门牌号", "与户主关系", "人员类型", "标签", "疫苗接种剂次"],
            ["孙甲", a.ToLowerInvariant(), "13900001111", compound, "2", "1", "301", "户主", "常住", "慢性病", "3"],
            ["孙乙", b, "", compound, "2", "1", "301", "配偶", "户籍", "孕产妇、行动不便", "2针"],
            ["坏行", "123", "", compound, "2", "1", "302", "户主", "", "", ""]);

        var all = await ImportAsync(file, "r.xlsx", ImportMode.All, grid.Id);
        Assert.False(all.Committed);
        Assert.Equal(0, await CountAsync(a, b));

        var valid = await ImportAsync(file, "r.xlsx", ImportMode.ValidOnly, grid.Id);
        Assert.True(valid.Committed);
        Assert.Equal(2, valid.PersonsCreated);
        Assert.Equal(1, valid.HouseholdsCreated);
        Assert.Equal(1, valid.CompoundsCreated);
        await using var db = Factory.CreateDbContext();
        var people = await db.Persons.Where(p => p.DocumentNumber == a || p.DocumentNumber == b).OrderBy(p => p.Name).ToListAsync(Ct);
        Assert.Equal(2, people.Count);
        Assert.Single(people.Select(p => p.HouseholdId).Distinct());
        var spouse = people.Single(p => p.Name == "孙乙");
        Assert.Equal(VulnerabilityTags.PregnantOrPostpartum | VulnerabilityTags.LimitedMobility, spouse.Tags);
        Assert.Equal(2, spouse.VaccinationDoses);
        var household = await db.Households.SingleAsync(h => h.Id == spouse.HouseholdId, Ct);
        Assert.Equal(people.Single(p => p.Name == "孙甲").Id, household.HeadPersonId);
        Assert.Equal($"{compound}2栋1单元301室", household.Address);
    }

    [Fact]
    public async Task LargeRoster_WrittenInSlices_KeepsEveryRowAndHead()
    {
        var grid = await Data.GridAsync();
        var street = $"大表{Guid.NewGuid():N}"[..8];
        // 5,103 rows: more than one slice of the writer, with households straddling the slice boundary.
        var rows = new List<string[]> { new[] { "姓名", "身份证号", "住址", "与户主关系" } };
        var documents = new HashSet<string>();
        for (var i = 0; documents.Count < 5_103; i++)
        {
            var document = TestData.NewIdNumber();
            if (!documents.Add(document)) continue;
            var member = (documents.Count - 1) % 3;
            rows.Add(["居民" + (documents.Count % 1000).ToString("000").Replace('0', '零').Replace('1', '一'), document,
                $"{street}{(documents.Count - 1) / 3}号", member == 2 ? "户主" : "子女"]);
        }

        var report = await ImportAsync(Xlsx([.. rows]), "big.xlsx", ImportMode.All, grid.Id);

        Assert.True(report.Committed);
        Assert.Equal(5_103, report.PersonsCreated);
        Assert.Equal(1_701, report.HouseholdsCreated);
        await using var db = Factory.CreateDbContext();
        var households = await db.Households.Where(h => h.Address.StartsWith(street)).ToListAsync(Ct);
        Assert.Equal(1_701, households.Count);
        Assert.All(households, h => Assert.NotNull(h.HeadPersonId));
        Assert.Equal(5_103, await db.Persons.CountAsync(p => documents.Contains(p.DocumentNumber), Ct));
    }

    [Fact]
    public async Task Reimport_SameDocument_UpdatesThePersonInsteadOfAddingOne()
    {
        var grid = await Data.GridAsync();
        var id = TestData.NewIdNumber();
        await ImportAsync(Xlsx(["姓名", "身份证号", "住址"], ["钱旧", id, "旧址1号"]), "a.xlsx", ImportMode.All, grid.Id);
        var second = await ImportAsync(Xlsx(["姓名", "身份证号", "住址"], ["钱新", id, "新址9号"]), "b.xlsx", ImportMode.All, grid.Id);

        Assert.Equal(1, second.PersonsUpdated);
        await using var db = Factory.CreateDbContext();
        var person = await db.Persons.SingleAsync(p => p.DocumentNumber == id, Ct);
        Assert.Equal("钱新", person.Name);
        Assert.Equal("新址9号", (await db.Households.SingleAsync(h => h.Id == person.HouseholdId, Ct)).Address);
    }

    [Fact]
    public async Task Csv_InGb18030_WithGridColumn_IsImported()
    {
        var grid = await Data.GridAsync(name: $"CSV网格{Guid.NewGuid():N}"[..14]);
        var id = TestData.NewIdNumber();
        var csv = $"姓名,身份证号,联系电话,住址,网格\r\n吴六,{id},13600002222,\"CSV路1号,2栋\",{grid.Name}\r\n";
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetBytes(csv);

        var report = await ImportAsync(bytes, "roster.csv", ImportMode.All, gridId: null);

        Assert.True(report.Committed, string.Join("; ", report.Issues.Select(i => i.Message)));
        await using var db = Factory.CreateDbContext();
        var person = await db.Persons.SingleAsync(p => p.DocumentNumber == id, Ct);
        Assert.Equal("吴六", person.Name);
        Assert.Equal(grid.Id, person.GridId);
    }

    [Fact]
    public async Task UnknownGridName_IsReportedOnItsRow()
    {
        await Data.GridAsync();
        var report = await ImportAsync(Xlsx(["姓名", "身份证号", "住址", "网格"], ["郑七", TestData.NewIdNumber(), "某路1号", "第999网格"]), "g.xlsx", ImportMode.Preview, null);

        var issue = Assert.Single(report.Issues);
        Assert.Equal(2, issue.Row);
        Assert.Contains("第999网格", issue.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0 }, "photo.xlsx", "不是 Excel")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0 }, "old.xls", ".xls")]
    public async Task NotASpreadsheet_IsRejectedWithAClearMessage(byte[] content, string name, string expected)
    {
        var response = await PostFileAsync(content, name, ImportMode.Preview, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Contains(expected, problem!.Errors["file"][0]);
    }

    [Fact]
    public async Task HeaderThatCantBeMapped_IsRejected()
    {
        var response = await PostFileAsync(Xlsx(["编号", "备注一", "备注二"], ["1", "x", "y"]), "h.xlsx", ImportMode.Preview, null);

        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Contains("找不到表头", problem!.Errors["file"][0]);
    }

    [Fact]
    public async Task UploadOver20MB_IsRejectedBeforeReading()
    {
        var response = await PostFileAsync(new byte[RosterFileReader.MaxBytes + 1], "big.csv", ImportMode.Preview, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("20 MB", (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct))!.Errors["file"][0]);
    }

    [Fact]
    public async Task ImportIntoAStreetCode_IsRejected()
    {
        var response = await Client.PostAsync($"/api/v1/communities/{TestData.Street}/roster-imports?mode=Preview",
            Multipart(Xlsx(["姓名", "身份证号", "住址"], ["王", TestData.NewIdNumber(), "x"]), "x.xlsx"), Ct);

        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, Ct);
        Assert.Contains("community", problem!.Errors.Keys);
    }

    internal static byte[] Xlsx(params string[][] rows)
    {
        var width = rows.Max(r => r.Length);
        var sheet = rows.Select(row =>
        {
            var cells = new Dictionary<string, object?>();
            for (var i = 0; i < width; i++) cells[((char)('A' + i)).ToString()] = i < row.Length ? row[i] : null;
            return cells;
        }).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, printHeader: false);
        return stream.ToArray();
    }

    private async Task<RosterImportReport> ImportAsync(byte[] content, string name, ImportMode mode, Guid? gridId)
    {
        var response = await PostFileAsync(content, name, mode, gridId);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<RosterImportReport>(Json, Ct))!;
    }

    private Task<HttpResponseMessage> PostFileAsync(byte[] content, string name, ImportMode mode, Guid? gridId) =>
        Client.PostAsync($"/api/v1/communities/{TestData.Community}/roster-imports?mode={mode}{(gridId is { } g ? $"&gridId={g}" : "")}", Multipart(content, name), Ct);

    private static MultipartFormDataContent Multipart(byte[] content, string name) => new() { { new ByteArrayContent(content), "file", name } };

    private async Task<int> CountPersonsAsync()
    {
        await using var db = Factory.CreateDbContext();
        return await db.Persons.CountAsync(Ct);
    }

    private async Task<int> CountAsync(params string[] documents)
    {
        await using var db = Factory.CreateDbContext();
        return await db.Persons.CountAsync(p => documents.Contains(p.DocumentNumber), Ct);
    }
}

public sealed class RosterImportApiTests_Sqlite(SqliteAppFactory factory) : RosterImportApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class RosterImportApiTests_Postgres(PostgresAppFactory factory) : RosterImportApiTests(factory), IClassFixture<PostgresAppFactory>;
