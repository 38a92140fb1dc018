using System.Globalization;
using Shouwang.Domain.People;
using Shouwang.Domain.Registry.Roster;

namespace Shouwang.Domain.MassTesting;

public enum LabColumn { Barcode, Result, Time, Ct }

/// <summary>A row of a lab's file as read: the values, or the first thing wrong with it (and the column it is in).</summary>
public sealed record LabSheetRow(int RowNumber, string Barcode, TubeResult? Result, string? CtValues, DateTime? LocalTime, string? ErrorColumn, string? ErrorCode);

public sealed record LabSheet(IReadOnlyList<LabSheetRow> Rows, IReadOnlyDictionary<LabColumn, string> Headers, string? MissingColumn);

/// <summary>
/// Reads a lab's result file (rows as <c>RosterFileReader</c> gives them): finds the header row by the words labs use
/// (试管编号/条码, 检测结果, Ct值 or one column per gene, 检测时间/报告时间), then one row per tube. Nothing is guessed:
/// a result or time that is not clearly one is reported with its row and column.
/// </summary>
public static class LabResultSheet
{
    public const int MaxCtLength = 100;

    private static readonly Dictionary<string, LabColumn> Headers = new(StringComparer.Ordinal)
    {
        ["试管编号"] = LabColumn.Barcode, ["试管条码"] = LabColumn.Barcode, ["条码"] = LabColumn.Barcode, ["条码号"] = LabColumn.Barcode,
        ["样本编号"] = LabColumn.Barcode, ["管号"] = LabColumn.Barcode, ["试管号"] = LabColumn.Barcode, ["barcode"] = LabColumn.Barcode,
        ["检测结果"] = LabColumn.Result, ["结果"] = LabColumn.Result, ["核酸结果"] = LabColumn.Result, ["result"] = LabColumn.Result,
        ["检测时间"] = LabColumn.Time, ["报告时间"] = LabColumn.Time, ["检测日期"] = LabColumn.Time, ["报告日期"] = LabColumn.Time,
        ["结果时间"] = LabColumn.Time, ["time"] = LabColumn.Time,
    };

    /// <summary>Gene targets labs report a Ct value for, each in its own column.</summary>
    private static readonly HashSet<string> GeneHeaders = new(StringComparer.Ordinal) { "orf1ab", "n", "e", "n基因", "orf1ab基因", "e基因", "rdrp" };

    private static readonly Dictionary<string, TubeResult> Results = new(StringComparer.Ordinal)
    {
        ["阴性"] = TubeResult.Negative, ["negative"] = TubeResult.Negative, ["阴"] = TubeResult.Negative,
        ["阳性"] = TubeResult.Positive, ["positive"] = TubeResult.Positive, ["阳"] = TubeResult.Positive,
        ["无效"] = TubeResult.Invalid, ["invalid"] = TubeResult.Invalid,
    };

    private static readonly string[] TimeFormats =
    [
        "yyyy-M-d H:mm:ss", "yyyy-M-d H:mm", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm", "yyyy-M-dTH:mm:ss", "yyyy-M-dTH:mm",
        "yyyy.M.d H:mm:ss", "yyyy.M.d H:mm", "yyyy年M月d日 H:mm:ss", "yyyy年M月d日 H:mm", "yyyy年M月d日H:mm",
    ];

    /// <summary>阴性/阳性/无效 or Negative/Positive/Invalid (any case); null for anything else.</summary>
    public static TubeResult? ParseResult(string? text) =>
        Results.TryGetValue(RosterVocabulary.NormalizeValue(text), out var result) ? result : null;

    public static LabSheet Parse(IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        var (index, columns, ct) = FindHeader(rows);
        if (index < 0)
        {
            var missing = columns.ContainsKey(LabColumn.Barcode) ? columns.ContainsKey(LabColumn.Result) ? "Time" : "Result" : "Barcode";
            return new LabSheet([], new Dictionary<LabColumn, string>(), missing);
        }
        var header = rows[index];
        var names = columns.ToDictionary(c => c.Key, c => RosterCell.ToText(header[c.Value]));
        if (ct.Count > 0) names[LabColumn.Ct] = string.Join("/", ct.Select(c => RosterCell.ToText(header[c])));
        var parsed = new List<LabSheetRow>(rows.Count - index);
        for (var r = index + 1; r < rows.Count; r++)
        {
            var cells = rows[r];
            if (cells.All(c => RosterCell.ToText(c).Length == 0)) continue;
            parsed.Add(ParseRow(r + 1, cells, columns, ct, header, names));
        }
        return new LabSheet(parsed, names, null);
    }

    private static LabSheetRow ParseRow(int rowNumber, IReadOnlyList<object?> cells, Dictionary<LabColumn, int> columns, List<int> ct,
        IReadOnlyList<object?> header, Dictionary<LabColumn, string> names)
    {
        object? Cell(int i) => i < cells.Count ? cells[i] : null;
        var barcode = RosterCell.UnwrapNumberText(RosterCell.ToText(Cell(columns[LabColumn.Barcode])).Trim());
        if (barcode.Length is 0 or > 40) return Bad(LabColumn.Barcode, barcode.Length == 0 ? "BarcodeMissing" : "BarcodeTooLong");
        var resultText = RosterCell.ToText(Cell(columns[LabColumn.Result]));
        var result = ParseResult(resultText);
        if (result is null) return Bad(LabColumn.Result, resultText.Length == 0 ? "ResultMissing" : "ResultUnknown");
        var time = Cell(columns[LabColumn.Time]);
        DateTime? local = time switch
        {
            DateTime d => d,
            double serial when serial is > 1 and < 100_000 => DateTime.FromOADate(serial),
            _ => ParseTime(RosterCell.ToText(time)),
        };
        if (local is null) return Bad(LabColumn.Time, RosterCell.ToText(time).Length == 0 ? "TimeMissing" : "TimeInvalid");
        string? ctValues = null;
        if (ct.Count == 1) ctValues = RosterCell.ToText(Cell(ct[0]));
        else if (ct.Count > 1)
            ctValues = string.Join(";", ct.Where(i => RosterCell.ToText(Cell(i)).Length > 0).Select(i => $"{RosterCell.ToText(header[i])}={RosterCell.ToText(Cell(i))}"));
        if (ctValues?.Length > MaxCtLength) return Bad(LabColumn.Ct, "CtTooLong");
        return new LabSheetRow(rowNumber, barcode, result, string.IsNullOrEmpty(ctValues) ? null : ctValues, local, null, null);

        LabSheetRow Bad(LabColumn column, string code) => new(rowNumber, barcode, null, null, null, names.GetValueOrDefault(column, column.ToString()), code);
    }

    /// <summary>A local date and time as labs write it; a date alone is refused (the retest deadline counts from the hour).</summary>
    public static DateTime? ParseTime(string? text)
    {
        var value = TextNormalizer.Normalize(text);
        return DateTime.TryParseExact(value, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed) ? parsed : null;
    }

    private static (int Index, Dictionary<LabColumn, int> Columns, List<int> Ct) FindHeader(IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        var best = new Dictionary<LabColumn, int>();
        for (var r = 0; r < Math.Min(RosterParser.HeaderSearchRows, rows.Count); r++)
        {
            var columns = new Dictionary<LabColumn, int>();
            var ct = new List<int>();
            for (var i = 0; i < rows[r].Count; i++)
            {
                var key = RosterVocabulary.NormalizeHeader(RosterCell.ToText(rows[r][i]));
                var bracket = key.IndexOf('(', StringComparison.Ordinal);
                var bare = bracket > 0 ? key[..bracket] : key;
                if (Headers.TryGetValue(bare, out var column)) columns.TryAdd(column, i);
                else if (bare.StartsWith("ct", StringComparison.Ordinal) || bare.EndsWith("ct值", StringComparison.Ordinal) || GeneHeaders.Contains(bare)) ct.Add(i);
            }
            if (columns.Count == 3) return (r, columns, ct);
            if (columns.Count > best.Count) best = columns;
        }
        return (-1, best, []);
    }
}
