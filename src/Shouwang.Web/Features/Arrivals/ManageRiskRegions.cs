using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Arrivals;

public sealed record RiskRegionInput
{
    /// <summary>6 (county), 9 (street) or 12-digit division code on the origins list.</summary>
    public string? DivisionCode { get; set; }
    /// <summary>Empty: the list's full name of the code.</summary>
    public string? Name { get; set; }
    /// <summary>High, Medium or Low.</summary>
    public string? Level { get; set; }
    public DateOnly? FromDay { get; set; }
    public DateOnly? UntilDay { get; set; }
    public string? Source { get; set; }
}

public sealed record RiskRegionItem(Guid Id, string DivisionCode, string Name, RiskAreaLevel Level, DateOnly FromDay, DateOnly? UntilDay, string? Source, string UpdatedByName, DateTime UpdatedAt)
{
    public static RiskRegionItem From(ExternalRiskRegion r) => new(r.Id, r.DivisionCode, r.Name, r.Level, r.FromDay, r.UntilDay, r.Source, r.UpdatedByName, r.UpdatedAt);
}

public sealed record RiskRegionImportResult(int Added, int Updated);

/// <summary>
/// The external risk-region list (regions elsewhere designated by their own authorities), kept by hand or imported from the
/// official notices as a spreadsheet. One shared list for the whole platform.
/// </summary>
public sealed class ManageRiskRegions(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<ArrivalsResource> l)
{
    public const int MaxNameLength = 200;
    public const int MaxSourceLength = 200;
    public const int MaxImportRows = 20_000;
    public static readonly string[] ImportColumns = ["地区代码", "地区名称", "风险等级", "起始日期", "截止日期", "来源"];

    public async Task<IReadOnlyList<RiskRegionItem>> ListAsync(DateOnly? inForceOn, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.ExternalRiskRegions.AsNoTracking();
        if (inForceOn is { } day) query = query.Where(r => r.FromDay <= day && (r.UntilDay == null || r.UntilDay >= day));
        var rows = await query.OrderBy(r => r.DivisionCode).ThenByDescending(r => r.FromDay).ToListAsync(cancellationToken);
        return rows.Select(RiskRegionItem.From).ToList();
    }

    public Task<Outcome<RiskRegionItem>> CreateAsync(RiskRegionInput input, CancellationToken cancellationToken = default) => SaveAsync(null, input, cancellationToken);

    public Task<Outcome<RiskRegionItem>> UpdateAsync(Guid id, RiskRegionInput input, CancellationToken cancellationToken = default) => SaveAsync(id, input, cancellationToken);

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var region = await db.ExternalRiskRegions.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (region is null) return new Outcome<bool>.NotFound(l["Error.RegionNotFound"]);
        db.ExternalRiskRegions.Remove(region);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task<Outcome<RiskRegionItem>> SaveAsync(Guid? id, RiskRegionInput input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var parsed = Validate(input.DivisionCode, input.Name, input.Level, input.FromDay, input.UntilDay, input.Source, (field, message) => errors.Add(field, message));
        if (errors.Any) return errors.ToOutcome<RiskRegionItem>();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        ExternalRiskRegion region;
        if (id is { } existingId)
        {
            var found = await db.ExternalRiskRegions.FirstOrDefaultAsync(r => r.Id == existingId, cancellationToken);
            if (found is null) return new Outcome<RiskRegionItem>.NotFound(l["Error.RegionNotFound"]);
            if (found.DivisionCode != parsed!.Code)
            {
                errors.Add(nameof(input.DivisionCode), l["Error.RegionCodeFixed"]);
                return errors.ToOutcome<RiskRegionItem>();
            }
            region = found;
        }
        else
        {
            region = new ExternalRiskRegion { DivisionCode = parsed!.Code, Name = parsed.Name, UpdatedByName = "" };
            db.ExternalRiskRegions.Add(region);
        }
        Apply(region, parsed, db.Caller, clock.UtcNow);
        await db.SaveChangesAsync(cancellationToken);
        return RiskRegionItem.From(region);
    }

    /// <summary>Reads the spreadsheet and writes all its rows or none: every bad row is reported with its row number (as Excel shows it).</summary>
    public async Task<Outcome<RiskRegionImportResult>> ImportAsync(Stream file, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        List<IDictionary<string, object?>> rows;
        try
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            rows = buffer.Query(useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or System.Xml.XmlException or IOException or NotSupportedException)
        {
            errors.Add("File", l["Error.ImportNotXlsx"]);
            return errors.ToOutcome<RiskRegionImportResult>();
        }
        if (rows.Count == 0 || ImportColumns[..3].Any(c => !rows[0].ContainsKey(c)))
        {
            errors.Add("File", l["Error.ImportColumns", string.Join("、", ImportColumns)]);
            return errors.ToOutcome<RiskRegionImportResult>();
        }
        if (rows.Count > MaxImportRows)
        {
            errors.Add("File", l["Error.ImportTooManyRows", MaxImportRows]);
            return errors.ToOutcome<RiskRegionImportResult>();
        }

        var parsed = new List<ParsedRegion>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var rowNumber = i + 2; // the header is row 1
            if (row.Values.All(v => string.IsNullOrWhiteSpace(Cell(v)))) continue;
            var region = Validate(Cell(Get(row, "地区代码")), Cell(Get(row, "地区名称")), Cell(Get(row, "风险等级")),
                CellDay(Get(row, "起始日期"), out var fromBad), CellDay(Get(row, "截止日期"), out var untilBad), Cell(Get(row, "来源")),
                (field, message) => errors.Add($"Row{rowNumber}", $"{l["Import.Row", rowNumber]} {ColumnOf(field)}：{message}"));
            if (fromBad) errors.Add($"Row{rowNumber}", $"{l["Import.Row", rowNumber]} 起始日期：{l["Error.DateInvalid"]}");
            if (untilBad) errors.Add($"Row{rowNumber}", $"{l["Import.Row", rowNumber]} 截止日期：{l["Error.DateInvalid"]}");
            if (region is not null && !fromBad && !untilBad) parsed.Add(region);
        }
        if (errors.Any) return errors.ToOutcome<RiskRegionImportResult>();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var codes = parsed.Select(p => p.Code).Distinct().ToList();
        var existing = await db.ExternalRiskRegions.Where(r => codes.Contains(r.DivisionCode)).ToListAsync(cancellationToken);
        var now = clock.UtcNow;
        int added = 0, updated = 0;
        foreach (var row in parsed)
        {
            // The same region from the same day is the same notice read again: updated, not duplicated.
            var region = existing.FirstOrDefault(r => r.DivisionCode == row.Code && r.FromDay == row.From);
            if (region is null)
            {
                region = new ExternalRiskRegion { DivisionCode = row.Code, Name = row.Name, UpdatedByName = "" };
                db.ExternalRiskRegions.Add(region);
                existing.Add(region);
                added++;
            }
            else updated++;
            Apply(region, row, db.Caller, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        return new RiskRegionImportResult(added, updated);
    }

    private sealed record ParsedRegion(string Code, string Name, RiskAreaLevel Level, DateOnly From, DateOnly? Until, string? Source);

    private static void Apply(ExternalRiskRegion region, ParsedRegion row, Accounts.Caller caller, DateTime now)
    {
        region.Name = row.Name;
        region.Level = row.Level;
        region.FromDay = row.From;
        region.UntilDay = row.Until;
        region.Source = row.Source;
        region.UpdatedBy = caller.AccountId;
        region.UpdatedByName = caller.Name;
        region.UpdatedAt = now;
    }

    private ParsedRegion? Validate(string? codeText, string? nameText, string? levelText, DateOnly? from, DateOnly? until, string? sourceText, Action<string, string> error)
    {
        var ok = true;
        var code = TextNormalizer.Normalize(codeText);
        if (code.Length == 0) { error(nameof(RiskRegionInput.DivisionCode), l["Error.RegionCodeRequired"]); ok = false; }
        else if (Origins.IsAbroad(code) || !Origins.IsValidOrigin(code)) { error(nameof(RiskRegionInput.DivisionCode), l["Error.RegionCodeUnknown", code]); ok = false; }
        var name = TextNormalizer.CleanText(nameText);
        if (name.Length > MaxNameLength) { error(nameof(RiskRegionInput.Name), l["Error.TooLong", MaxNameLength]); ok = false; }
        var level = ParseLevel(levelText);
        if (level is null) { error(nameof(RiskRegionInput.Level), l["Error.LevelInvalid"]); ok = false; }
        if (from is null) { error(nameof(RiskRegionInput.FromDay), l["Error.DateRequired"]); ok = false; }
        else if (until is { } u && u < from) { error(nameof(RiskRegionInput.UntilDay), l["Error.UntilBeforeFrom"]); ok = false; }
        var source = TextNormalizer.CleanText(sourceText);
        if (source.Length > MaxSourceLength) { error(nameof(RiskRegionInput.Source), l["Error.TooLong", MaxSourceLength]); ok = false; }
        if (!ok) return null;
        return new ParsedRegion(code, name.Length > 0 ? name : Origins.FullName(code)!, level!.Value, from!.Value, until, source.Length > 0 ? source : null);
    }

    public static RiskAreaLevel? ParseLevel(string? text) => TextNormalizer.Normalize(text) switch
    {
        "高" or "高风险" or "高风险区" => RiskAreaLevel.High,
        "中" or "中风险" or "中风险区" => RiskAreaLevel.Medium,
        "低" or "低风险" or "低风险区" => RiskAreaLevel.Low,
        var other => SubmitArrival.TryParseEnum<RiskAreaLevel>(other, out var level) ? level : null,
    };

    private static string ColumnOf(string field) => field switch
    {
        nameof(RiskRegionInput.DivisionCode) => "地区代码",
        nameof(RiskRegionInput.Name) => "地区名称",
        nameof(RiskRegionInput.Level) => "风险等级",
        nameof(RiskRegionInput.FromDay) => "起始日期",
        nameof(RiskRegionInput.UntilDay) => "截止日期",
        _ => "来源",
    };

    private static object? Get(IDictionary<string, object?> row, string column) => row.TryGetValue(column, out var value) ? value : null;

    private static string? Cell(object? value) => value switch
    {
        null => null,
        double d => d.ToString("0", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static DateOnly? CellDay(object? value, out bool bad)
    {
        bad = false;
        switch (value)
        {
            case null: return null;
            case DateTime t: return DateOnly.FromDateTime(t);
            case double serial when serial is > 0 and < 100_000: return DateOnly.FromDateTime(DateTime.FromOADate(serial));
        }
        var text = Cell(value);
        if (string.IsNullOrWhiteSpace(text)) return null;
        var day = SubmitArrival.ParseDay(text);
        bad = day is null;
        return day;
    }
}
