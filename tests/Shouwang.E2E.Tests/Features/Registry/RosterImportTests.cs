using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouwang.E2E.Tests.Infrastructure;
using Shouwang.E2E.Tests.Pages;
using Shouwang.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shouwang.E2E.Tests.Features.Registry;

public sealed class RosterImportTests(ConsoleServer server) : ConsoleTest(server)
{
    [Fact]
    public async Task ImportRoster_OneBadIdNumber_PreviewFlagsItsRowAndValidRowsAreImported()
    {
        var first = TestData.NewIdNumber(male: true);
        var second = TestData.NewIdNumber(male: false);
        // Right shape, wrong check digit.
        var bad = first[..17] + (first[17] == '1' ? '2' : '1');
        var roster = Xlsx(
            ["姓名", "身份证号", "联系电话", "住址", "与户主关系"],
            ["欧阳导入", first, "13907331001", "晏家湾小区9栋1单元101室", "户主"],
            ["错号码", bad, "13907331002", "晏家湾小区9栋1单元102室", "户主"],
            ["欧阳导妻", second, "13907331003", "晏家湾小区9栋1单元101室", "配偶"]);
        var page = await OpenBrowserAsync();

        var import = await RosterImportPage.OpenAsync(page);
        await import.ChooseCommunityAsync("晏家湾", "晏家湾社区居委会");
        await Expect(import.Grid).ToHaveValueAsync(Server.Grid.Id.ToString());
        await import.ChooseFileAsync("晏家湾花名册.xlsx", roster);
        await import.PreviewAsync();
        // Sheet row 1 is the header, so the second resident is row 3.
        await Expect(import.IssuesOfRow(3)).Not.ToHaveCountAsync(0);
        await Expect(import.Issues.Locator("tbody tr")).ToHaveCountAsync(1);
        await Screenshots.TakeAsync(page, "roster-import-preview", phone: true);

        await import.ImportValidRowsAsync();
        await Expect(import.Done).ToContainTextAsync("新增居民 2 人");
        await Screenshots.TakeAsync(page, "roster-import-done");

        await using var db = Server.CreateDbContext();
        var imported = await db.Persons.AsNoTracking()
            .Where(p => p.DocumentNumber == first || p.DocumentNumber == second || p.DocumentNumber == bad || p.Name == "错号码")
            .Select(p => new { p.Name, p.DocumentNumber, p.CommunityCode, p.GridId }).ToListAsync(Ct);
        Assert.Equal(["欧阳导入", "欧阳导妻"], imported.OrderBy(p => p.DocumentNumber == second).Select(p => p.Name));
        Assert.All(imported, p => Assert.Equal(long.Parse(TestData.Community), p.CommunityCode));
        Assert.All(imported, p => Assert.Equal(Server.Grid.Id, p.GridId));
    }

    private static byte[] Xlsx(params string[][] rows)
    {
        var sheet = rows.Select(row => row.Select((cell, i) => (Column: ((char)('A' + i)).ToString(), cell))
            .ToDictionary(c => c.Column, c => (object?)c.cell)).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, printHeader: false);
        return stream.ToArray();
    }
}
