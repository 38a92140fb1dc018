using MiniExcelLibs;

namespace Shouwang.Web.Infrastructure;

/// <summary>Any list to .xlsx: one header row of translated column names, then the rows.</summary>
public static class ExcelExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] ToXlsx<T>(IEnumerable<T> rows, IReadOnlyList<(string Header, Func<T, object?> Value)> columns, string sheetName)
    {
        var sheet = rows.Select(row =>
        {
            var record = new Dictionary<string, object?>(columns.Count);
            foreach (var (header, value) in columns) record[header] = value(row);
            return record;
        });
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, sheetName: sheetName);
        return stream.ToArray();
    }

    public static string FileName(string prefix, DateTime localNow) => $"{prefix}-{localNow:yyyyMMdd-HHmm}.xlsx";
}
