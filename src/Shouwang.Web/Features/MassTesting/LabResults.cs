using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Registry.Import;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

/// <param name="Result">Negative/Positive/Invalid or 阴性/阳性/无效.</param>
public sealed record LabResultRowInput(string? TubeBarcode, string? Result, string? CtValues, DateTimeOffset? At);

public sealed record LabResultsInput(string? Lab, List<LabResultRowInput?>? Results);

public enum LabRowStatus { Applied, Duplicate, UnknownTube, Conflict, NotSealed, InvalidRow }

/// <param name="Row">The spreadsheet row for a file; the index in <c>results</c> for the API.</param>
/// <param name="Column">The header (file) or field (API) at fault, when one is.</param>
public sealed record LabRowIssue(int Row, string? Barcode, LabRowStatus Status, string? Column, string Message);

/// <param name="Counts">Rows per status, every row counted.</param>
/// <param name="Issues">The rows not applied, in row order (at most <see cref="LabResults.MaxIssues"/>; <paramref name="IssuesTruncated"/> says when more).</param>
public sealed record LabResultsReport(
    ImportMode Mode, bool Committed, int Rows, IReadOnlyDictionary<LabRowStatus, int> Counts, IReadOnlyList<LabRowIssue> Issues, bool IssuesTruncated,
    int PoolsPositive, int SingleTubesPositive, int TubesInvalid, int RetestsOpened, int CasesOpened, int RetestsResolved, int RestrictionsLifted);

public sealed record TubeResultView(string Barcode, Guid RoundId, int Capacity, TubeState State, int Count, TubeResult Result, DateTime? ResultAt,
    string? CtValues, string? Lab);

/// <summary>
/// Lab results, from a lab system's JSON or the lab's .xlsx/.csv: every row gets a status and nothing is guessed (unknown
/// tubes, tubes never sealed, a second different result, bad cells are reported). Preview writes nothing; All writes all
/// or nothing; ValidOnly applies the good rows. Tubes are loaded by barcode through the caller's scope (a tube outside it is
/// unknown to them), results are written set-based in one transaction with their effects (<see cref="TubeOutcomes"/>).
/// </summary>
public sealed class LabResults(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, AuditLog audit, TubeOutcomes outcomes,
    IStringLocalizer<LabResultsResource> l, ILogger<LabResults> logger)
{
    public const int MaxRows = 100_000;
    public const int MaxIssues = 10_000;
    public const int MaxLabLength = 100;

    /// <summary>Check-then-write over tubes: two imports of one tube at once must not both see it pending (one process).</summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    private sealed class Row
    {
        public int Number { get; init; }
        public required string Barcode { get; init; }
        public TubeResult? Result { get; init; }
        public string? Ct { get; init; }
        public DateTime? At { get; init; }
        public LabRowStatus Status { get; set; } = LabRowStatus.Applied;
        public string? Column { get; set; }
        /// <summary>The ValidationProblem key under All.</summary>
        public required string Field { get; set; }
        public string? Message { get; set; }
    }

    public async Task<Outcome<LabResultsReport>> SubmitAsync(LabResultsInput input, ImportMode mode, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (!Enum.IsDefined(mode)) errors.Add("mode", l["Error.Mode"]);
        if (input.Lab?.Trim().Length > MaxLabLength) errors.Add(nameof(input.Lab), l["Error.LabTooLong", MaxLabLength]);
        if (input.Results is not { Count: > 0 }) errors.Add(nameof(input.Results), l["Error.NoRows"]);
        else if (input.Results.Count > MaxRows) errors.Add(nameof(input.Results), l["Error.TooManyRows", MaxRows]);
        if (errors.Any) return errors.ToOutcome<LabResultsReport>();
        var now = clock.UtcNow;
        var rows = new List<Row>(input.Results!.Count);
        for (var i = 0; i < input.Results.Count; i++)
        {
            var r = input.Results[i];
            var barcode = r?.TubeBarcode?.Trim() ?? "";
            var result = LabResultSheet.ParseResult(r?.Result);
            var ctValues = string.IsNullOrWhiteSpace(r?.CtValues) ? null : r.CtValues.Trim();
            var key = $"Results[{i}].";
            var row = new Row { Number = i, Barcode = barcode, Result = result, Ct = ctValues, At = r?.At?.UtcDateTime, Field = key + "TubeBarcode" };
            string? bad = barcode.Length == 0 ? "BarcodeMissing" : barcode.Length > 40 ? "BarcodeTooLong" : null;
            var column = "TubeBarcode";
            if (bad is null && result is null) (bad, column) = (string.IsNullOrWhiteSpace(r?.Result) ? "ResultMissing" : "ResultUnknown", "Result");
            if (bad is null && r?.At is null) (bad, column) = ("TimeMissing", "At");
            if (bad is null && ctValues?.Length > LabResultSheet.MaxCtLength) (bad, column) = ("CtTooLong", "CtValues");
            if (bad is null && r!.At!.Value.UtcDateTime > now.AddHours(1)) (bad, column) = ("TimeInFuture", "At");
            if (bad is not null) Invalid(row, key + column, key + column, bad);
            rows.Add(row);
        }
        return await RunAsync(rows, input.Lab?.Trim(), mode, "api", ct);
    }

    /// <summary>A lab's file (.xlsx or .csv; the format from the bytes). Pass a buffered stream.</summary>
    public async Task<Outcome<LabResultsReport>> ImportAsync(Stream file, string? lab, ImportMode mode, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (!Enum.IsDefined(mode)) errors.Add("mode", l["Error.Mode"]);
        if (lab?.Trim().Length > MaxLabLength) errors.Add("lab", l["Error.LabTooLong", MaxLabLength]);
        if (errors.Any) return errors.ToOutcome<LabResultsReport>();
        var readError = RosterFileReader.TryRead(file, out var cells);
        if (readError != RosterFileError.None)
        {
            errors.Add("file", l[$"File.{readError}", RosterFileReader.MaxBytes / 1024 / 1024]);
            return errors.ToOutcome<LabResultsReport>();
        }
        var sheet = LabResultSheet.Parse(cells);
        if (sheet.MissingColumn is { } missing)
        {
            errors.Add("file", l["Error.ColumnMissing", l[$"Column.{missing}"]]);
            return errors.ToOutcome<LabResultsReport>();
        }
        if (sheet.Rows.Count == 0) errors.Add("file", l["Error.NoRows"]);
        else if (sheet.Rows.Count > MaxRows) errors.Add("file", l["Error.TooManyRows", MaxRows]);
        if (errors.Any) return errors.ToOutcome<LabResultsReport>();
        var now = clock.UtcNow;
        var rows = new List<Row>(sheet.Rows.Count);
        foreach (var s in sheet.Rows)
        {
            var at = s.LocalTime is { } local ? clock.ToUtc(local) : (DateTime?)null;
            var row = new Row { Number = s.RowNumber, Barcode = s.Barcode, Result = s.Result, Ct = s.CtValues, At = at, Field = $"Rows[{s.RowNumber}]" };
            if (s.ErrorCode is { } code) Invalid(row, s.ErrorColumn, $"Rows[{s.RowNumber}].{s.ErrorColumn}", code);
            else if (at > now.AddHours(1)) Invalid(row, sheet.Headers[LabColumn.Time], $"Rows[{s.RowNumber}].{sheet.Headers[LabColumn.Time]}", "TimeInFuture");
            rows.Add(row);
        }
        return await RunAsync(rows, lab?.Trim(), mode, "file", ct);
    }

    public async Task<Outcome<TubeResultView>> TubeAsync(string barcode, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tube = await db.Tubes.AsNoTracking().Where(t => t.Barcode == barcode.Trim())
            .Select(t => new TubeResultView(t.Barcode, t.RoundId, t.Capacity, t.State, t.Count, t.Result, t.ResultAt, t.CtValues, t.Lab))
            .FirstOrDefaultAsync(ct);
        return tube is null ? new Outcome<TubeResultView>.NotFound(l["Error.TubeNotFound"]) : tube;
    }

    private void Invalid(Row row, string? column, string field, string code)
    {
        row.Status = LabRowStatus.InvalidRow;
        row.Column = column;
        row.Field = field;
        row.Message = l[$"Row.{code}", row.Number, column ?? ""].Value;
    }

    private sealed record TubeRef(Guid Id, string Barcode, Guid RoundId, long CommunityCode, int Capacity, TubeState State, TubeResult Result);

    private async Task<Outcome<LabResultsReport>> RunAsync(List<Row> rows, string? lab, ImportMode mode, string source, CancellationToken ct)
    {
        await OneAtATime.WaitAsync(ct);
        try
        {
            return await ClassifyAndWriteAsync(rows, lab, mode, source, ct);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private async Task<Outcome<LabResultsReport>> ClassifyAndWriteAsync(List<Row> rows, string? lab, ImportMode mode, string source, CancellationToken ct)
    {
        // Within the file: one tube twice with the same result is a duplicate; with different results, all its rows conflict.
        foreach (var group in rows.Where(r => r.Status == LabRowStatus.Applied).GroupBy(r => r.Barcode, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = group.First();
            if (group.Select(r => r.Result).Distinct().Count() > 1)
            {
                foreach (var r in group)
                    Mark(r, LabRowStatus.Conflict, l["Row.ConflictInFile", string.Join("、", group.Where(o => o != r).Select(o => o.Number)), l[$"Result.{r.Result}"]]);
            }
            else
            {
                foreach (var r in group.Skip(1)) Mark(r, LabRowStatus.Duplicate, l["Row.DuplicateInFile", first.Number]);
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tubes = new Dictionary<string, TubeRef>(StringComparer.Ordinal);
        // One query with the barcodes as one array parameter (json_each on SQLite, ANY on PostgreSQL): EF's default of one
        // parameter per value costs ~30 ms of EF work per 2,000 barcodes, 3 s of a 100,000-row file.
        var barcodes = rows.Where(r => r.Status == LabRowStatus.Applied).Select(r => r.Barcode).Distinct().ToArray();
        foreach (var t in await db.Tubes.AsNoTracking().Where(t => EF.Parameter(barcodes).Contains(t.Barcode))
            .Select(t => new TubeRef(t.Id, t.Barcode, t.RoundId, t.CommunityCode, t.Capacity, t.State, t.Result)).ToListAsync(ct))
            tubes[t.Barcode] = t;
        foreach (var r in rows.Where(r => r.Status == LabRowStatus.Applied))
        {
            if (!tubes.TryGetValue(r.Barcode, out var tube)) Mark(r, LabRowStatus.UnknownTube, l["Row.UnknownTube"]);
            else if (tube.State == TubeState.Open) Mark(r, LabRowStatus.NotSealed, l["Row.NotSealed"]);
            else if (tube.Result == r.Result) Mark(r, LabRowStatus.Duplicate, l["Row.DuplicateStored"]);
            else if (tube.Result != TubeResult.Pending) Mark(r, LabRowStatus.Conflict, l["Row.ConflictStored", l[$"Result.{tube.Result}"], l[$"Result.{r.Result}"]]);
        }

        var counts = Enum.GetValues<LabRowStatus>().ToDictionary(s => s, s => rows.Count(r => r.Status == s));
        var notApplied = rows.Where(r => r.Status != LabRowStatus.Applied).ToList();
        var issues = notApplied.Take(MaxIssues).Select(r => new LabRowIssue(r.Number, r.Barcode.Length == 0 ? null : r.Barcode, r.Status, r.Column, r.Message ?? "")).ToList();
        LabResultsReport Report(bool committed, TubeOutcomeCounts o) => new(mode, committed, rows.Count, counts, issues, notApplied.Count > MaxIssues,
            o.PoolsPositive, o.SingleTubesPositive, o.TubesInvalid, o.RetestsOpened, o.CasesOpened, o.RetestsResolved, o.RestrictionsLifted);

        // A duplicate changes nothing and is not an error: the same file sent twice must go through under All.
        var bad = notApplied.Where(r => r.Status != LabRowStatus.Duplicate).ToList();
        if (mode == ImportMode.All && bad.Count > 0)
        {
            var errors = new FieldErrors();
            foreach (var r in bad.Take(MaxIssues)) errors.Add(r.Field, r.Message ?? "");
            return errors.ToOutcome<LabResultsReport>();
        }
        var applied = rows.Where(r => r.Status == LabRowStatus.Applied).ToList();
        if (mode == ImportMode.Preview || applied.Count == 0) return Report(false, new TubeOutcomeCounts());

        // The tubes were found in the caller's scope; their members may live elsewhere (a site samples whoever comes), and
        // what the result means for each of them is the platform's doing, so the rest is written as the caller's worker.
        var importer = CallerContext.Current;
        using var worker = CallerContext.Use(importer with { IsSystem = true, ScopeMin = 0, ScopeMax = long.MaxValue, GridId = null });
        await using var writer = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.UtcNow;
        var updates = applied.Select(r => new Tube
        {
            Id = tubes[r.Barcode].Id, Barcode = r.Barcode, OpenedByName = "", Result = r.Result!.Value, ResultAt = r.At, CtValues = r.Ct, Lab = lab,
        }).ToList();
        writer.AuditEntityWrites = false;
        writer.ChangeTracker.AutoDetectChangesEnabled = false;
        TubeOutcomeCounts effects;
        await using (var transaction = await writer.Database.BeginTransactionAsync(ct))
        {
            await RowUpdate.WriteAsync(writer, updates, nameof(Tube.Id), [nameof(Tube.Result), nameof(Tube.ResultAt), nameof(Tube.CtValues), nameof(Tube.Lab)], ct);
            effects = await outcomes.ApplyAsync(writer, [.. applied.Select(r =>
            {
                var t = tubes[r.Barcode];
                return new ResultedTube(t.Id, t.Barcode, t.RoundId, t.CommunityCode, t.Capacity, r.Result!.Value, r.At!.Value);
            })], ct);
            var scope = tubes.Values.Select(t => t.CommunityCode).Distinct().Count() == 1 ? tubes.Values.First().CommunityCode : importer.ScopeMin;
            writer.AuditEntries.Add(audit.Entry(AuditAction.Import, nameof(Tube), null, scope,
                $"lab results ({source}, {lab}): {applied.Count} applied, {notApplied.Count} not; {effects.PoolsPositive} pools positive, "
                + $"{effects.SingleTubesPositive} single positive, {effects.TubesInvalid} invalid, {effects.RetestsOpened} retests, {effects.CasesOpened} cases",
                applied.Count, importer));
            await writer.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        logger.LogInformation("Lab results ({Source}): {Applied} applied, {NotApplied} not applied, {Pools} positive pools, {Cases} cases",
            source, applied.Count, notApplied.Count, effects.PoolsPositive, effects.CasesOpened);
        return Report(true, effects);
    }

    private static void Mark(Row row, LabRowStatus status, string message)
    {
        row.Status = status;
        row.Message = message;
    }
}
