using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouwang.Domain.Policies;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Arrivals;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.Arrivals;

public abstract class RiskRegionsApiTests(AppFactory factory) : ApiTestBase(factory)
{
    private DateOnly Today => Factory.Get<LocalClock>().Today();

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static MultipartFormDataContent Xlsx(IEnumerable<Dictionary<string, object?>> rows)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(rows, excelType: ExcelType.XLSX);
        return new MultipartFormDataContent { { new ByteArrayContent(stream.ToArray()), "file", "风险地区.xlsx" } };
    }

    private static Dictionary<string, object?> Row(string code, string name, string level, string from, string? until = null, string source = "国务院客户端") => new()
    {
        ["地区代码"] = code, ["地区名称"] = name, ["风险等级"] = level, ["起始日期"] = from, ["截止日期"] = until, ["来源"] = source,
    };

    [Fact]
    public async Task Create_Update_List_Delete()
    {
        using var command = await Factory.ClientForAsync(StaffRoles.Command, TestData.Street);
        var response = await command.PostAsJsonAsync("/api/v1/risk-regions", new { divisionCode = "110101001", level = "High", fromDay = Day(Today.AddDays(-3)) }, Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<RiskRegionItem>(Json, Ct))!;
        Assert.Equal("北京市东城区东华门街道", created.Name);
        Assert.Equal(RiskAreaLevel.High, created.Level);

        var updated = await command.PutAsJsonAsync($"/api/v1/risk-regions/{created.Id}",
            new { divisionCode = "110101001", level = "Medium", fromDay = Day(Today.AddDays(-3)), untilDay = Day(Today.AddDays(-1)), source = "北京发布" }, Json, Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var inForceToday = await command.GetFromJsonAsync<List<RiskRegionItem>>($"/api/v1/risk-regions?inForceOn={Day(Today)}", Json, Ct);
        Assert.DoesNotContain(inForceToday!, r => r.Id == created.Id);
        var inForceBefore = await command.GetFromJsonAsync<List<RiskRegionItem>>($"/api/v1/risk-regions?inForceOn={Day(Today.AddDays(-2))}", Json, Ct);
        Assert.Equal(RiskAreaLevel.Medium, Assert.Single(inForceBefore!, r => r.Id == created.Id).Level);

        Assert.Equal(HttpStatusCode.NoContent, (await command.DeleteAsync($"/api/v1/risk-regions/{created.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await command.DeleteAsync($"/api/v1/risk-regions/{created.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Create_WithBadInput_NamesTheFields()
    {
        var response = await Client.PostAsJsonAsync("/api/v1/risk-regions", new { divisionCode = "999999", level = "极高", untilDay = Day(Today) }, Json, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct))!.Errors;
        Assert.Contains("999999", errors["DivisionCode"][0]);
        Assert.True(errors.ContainsKey("Level"));
        Assert.True(errors.ContainsKey("FromDay"));
    }

    [Fact]
    public async Task CommunityWorkers_AndObservers_CanReadButNotChangeTheList()
    {
        using var worker = await Factory.ClientForAsync(StaffRoles.CommunityWorker, TestData.Community);
        using var observer = await Factory.ClientForAsync(StaffRoles.Observer, TestData.Street);

        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync("/api/v1/risk-regions", Ct)).StatusCode);
        foreach (var client in new[] { worker, observer })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/risk-regions", new { divisionCode = "110101", level = "High", fromDay = Day(Today) }, Json, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/risk-regions/import", Xlsx([Row("110102", "西城区", "高", Day(Today))]), Ct)).StatusCode);
        }
        await using var db = Factory.CreateDbContext();
        Assert.False(await db.ExternalRiskRegions.AnyAsync(r => r.DivisionCode == "110102", Ct));
    }

    [Fact]
    public async Task Import_WithABadRow_RejectsAll_NamingEachBadRow_ThenAGoodFileWritesEveryRow()
    {
        var bad = Xlsx([
            Row("310101", "黄浦区", "高", Day(Today.AddDays(-5))),
            Row("319999", "不存在", "高", Day(Today.AddDays(-5))),
            Row("310104003", "", "极高", "昨天"),
        ]);

        var rejected = await Client.PostAsync("/api/v1/risk-regions/import", bad, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        var errors = (await rejected.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json, Ct))!.Errors;
        Assert.Equal(["Row3", "Row4"], errors.Keys.Order().ToArray());
        Assert.Contains("第 3 行", errors["Row3"][0]);
        Assert.Contains("地区代码", errors["Row3"][0]);
        Assert.Contains(errors["Row4"], e => e.Contains("风险等级"));
        Assert.Contains(errors["Row4"], e => e.Contains("起始日期"));
        await using (var db = Factory.CreateDbContext()) Assert.False(await db.ExternalRiskRegions.AnyAsync(r => r.DivisionCode == "310101", Ct));

        var good = Xlsx([
            Row("310101", "黄浦区", "高", Day(Today.AddDays(-5))),
            Row("310104003", "", "中", Day(Today.AddDays(-5)), Day(Today.AddDays(5))),
        ]);
        var imported = await Client.PostAsync("/api/v1/risk-regions/import", good, Ct);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(new RiskRegionImportResult(2, 0), await imported.Content.ReadFromJsonAsync<RiskRegionImportResult>(Json, Ct));
        await using (var db = Factory.CreateDbContext())
        {
            var street = await db.ExternalRiskRegions.SingleAsync(r => r.DivisionCode == "310104003", Ct);
            Assert.Equal(RiskAreaLevel.Medium, street.Level);
            Assert.StartsWith("上海市徐汇区", street.Name);
            // The imported region now sets an origin's risk.
            var risk = await OriginRisk.LookUpAsync(db, "310101002", Today.AddDays(-1), Ct);
            Assert.Equal(RiskAreaLevel.High, risk.Level);
        }

        // Read again, the same notice updates instead of duplicating.
        var again = await Client.PostAsync("/api/v1/risk-regions/import", Xlsx([Row("310101", "黄浦区", "中", Day(Today.AddDays(-5)))]), Ct);
        Assert.Equal(new RiskRegionImportResult(0, 1), await again.Content.ReadFromJsonAsync<RiskRegionImportResult>(Json, Ct));
    }
}

public sealed class RiskRegionsApiTests_Sqlite(SqliteAppFactory factory) : RiskRegionsApiTests(factory), IClassFixture<SqliteAppFactory>;

public sealed class RiskRegionsApiTests_Postgres(PostgresAppFactory factory) : RiskRegionsApiTests(factory), IClassFixture<PostgresAppFactory>;
