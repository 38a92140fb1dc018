using System.Globalization;
using System.Text;
using Shouwang.Domain.People;

namespace Shouwang.Domain.Registry.Roster;

/// <summary>
/// Turns the raw cells of one roster sheet into validated rows. Pure: the caller reads the file
/// (see RosterFileReader in the Web project) and decides what to commit.
/// </summary>
public static class RosterParser
{
    public const int HeaderSearchRows = 30;
    public const int MaxValueLength = 60;

    private static readonly RosterColumn[] PersonColumns =
    [
        RosterColumn.Name, RosterColumn.DocumentNumber, RosterColumn.DocumentType, RosterColumn.Phone, RosterColumn.RelationToHead,
        RosterColumn.ResidenceType, RosterColumn.Tags, RosterColumn.VaccinationDoses, RosterColumn.Notes,
    ];

    private static readonly string[] FooterPrefixes =
    [
        "合计", "小计", "总计", "共计", "说明", "注", "备注", "填表人", "填报人", "制表人", "审核人", "负责人", "统计人", "填表日期", "填报日期", "签字", "签名",
    ];

    private static readonly char[] TagSeparators = [',', '、', ';', '/', ' ', '|'];

    /// <param name="rows">The sheet's rows top to bottom; row index i is spreadsheet row i + 1.</param>
    public static RosterParseResult Parse(IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var header = FindHeader(rows);
        if (header is null)
        {
            return new RosterParseResult(0, new Dictionary<RosterColumn, string>(), [], [],
                [new RosterIssue(0, null, RosterIssueCode.HeaderNotFound, null, IsWarning: false)], 0);
        }
        if (!header.Columns.ContainsKey(RosterColumn.Name) || !header.Columns.ContainsKey(RosterColumn.DocumentNumber))
        {
            var missing = new List<RosterIssue>();
            if (!header.Columns.ContainsKey(RosterColumn.Name))
                missing.Add(new RosterIssue(0, "姓名", RosterIssueCode.MissingRequiredColumn, null, IsWarning: false));
            if (!header.Columns.ContainsKey(RosterColumn.DocumentNumber))
                missing.Add(new RosterIssue(0, "证件号码", RosterIssueCode.MissingRequiredColumn, null, IsWarning: false));
            return new RosterParseResult(header.Index + 1, header.Texts, header.Ignored, [], missing, 0);
        }

        var issues = new List<RosterIssue>();
        var validRows = new List<RosterRow>();
        var firstByDocument = new Dictionary<string, (int RowNumber, string Signature)>(StringComparer.Ordinal);
        var dataRowCount = 0;
        for (var index = header.Index + 1; index < rows.Count; index++)
        {
            var cells = rows[index] ?? [];
            if (IsNotAPerson(cells, header)) continue;
            dataRowCount++;
            var parsed = new RowParser(index + 1, cells, header).Parse();
            if (parsed.DocumentKey is { } key)
            {
                if (firstByDocument.TryGetValue(key, out var first))
                {
                    var documentColumn = header.Texts[RosterColumn.DocumentNumber];
                    var firstRow = first.RowNumber.ToString(CultureInfo.InvariantCulture);
                    if (first.Signature == parsed.Signature)
                    {
                        // Same person pasted twice: whatever was wrong with it is already reported on the first row.
                        issues.Add(new RosterIssue(index + 1, documentColumn, RosterIssueCode.DuplicateRow, key, IsWarning: true, firstRow));
                        continue;
                    }
                    parsed.Issues.Add(new RosterIssue(index + 1, documentColumn, RosterIssueCode.ConflictingDuplicate, key, IsWarning: false, firstRow));
                }
                else
                {
                    firstByDocument.Add(key, (index + 1, parsed.Signature));
                }
            }
            issues.AddRange(parsed.Issues);
            if (parsed.Row is { } row && parsed.Issues.All(i => i.IsWarning)) validRows.Add(row);
        }
        return new RosterParseResult(header.Index + 1, header.Texts, header.Ignored, validRows, issues, dataRowCount);
    }

    private sealed class Header
    {
        public int Index { get; init; }
        public Dictionary<RosterColumn, int> Columns { get; } = [];
        public Dictionary<RosterColumn, string> Texts { get; } = [];
        public List<string> Ignored { get; } = [];

        public object? Raw(IReadOnlyList<object?> cells, RosterColumn column) =>
            Columns.TryGetValue(column, out var i) && i < cells.Count ? cells[i] : null;
    }

    /// <summary>The row among the first 30 that names the most known columns, preferring one with both 姓名 and a document number.</summary>
    private static Header? FindHeader(IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        Header? complete = null, partial = null;
        for (var index = 0; index < Math.Min(HeaderSearchRows, rows.Count); index++)
        {
            var cells = rows[index] ?? [];
            var candidate = new Header { Index = index };
            for (var i = 0; i < cells.Count; i++)
            {
                var text = RosterCell.ToText(cells[i]);
                if (text.Length == 0) continue;
                if (RosterVocabulary.TryMatchHeader(text, out var column) && candidate.Columns.TryAdd(column, i))
                    candidate.Texts[column] = text;
                else
                    candidate.Ignored.Add(text);
            }
            var isComplete = candidate.Columns.ContainsKey(RosterColumn.Name) && candidate.Columns.ContainsKey(RosterColumn.DocumentNumber);
            if (isComplete && (complete is null || candidate.Columns.Count > complete.Columns.Count)) complete = candidate;
            if (!isComplete && candidate.Columns.Count >= 2 && (partial is null || candidate.Columns.Count > partial.Columns.Count)) partial = candidate;
        }
        return complete ?? partial;
    }

    /// <summary>
    /// Rows that hold nobody: blank rows, rows with only place cells (a merged compound cell running past the last
    /// person) or only unknown columns (pre-numbered 序号), footers (合计, 填表人…), banners merged across the
    /// row, and the header repeated further down.
    /// </summary>
    private static bool IsNotAPerson(IReadOnlyList<object?> cells, Header header)
    {
        if (PersonColumns.All(c => RosterCell.ToText(header.Raw(cells, c)).Length == 0)) return true;
        var texts = cells.Select(RosterCell.ToText).Where(t => t.Length > 0).ToList();
        if (texts.Distinct(StringComparer.Ordinal).Count() == 1)
        {
            var text = RosterVocabulary.NormalizeValue(texts[0]);
            if (texts.Count > 1 || FooterPrefixes.Any(p => text.StartsWith(p, StringComparison.Ordinal))) return true;
        }
        return RosterVocabulary.TryMatchHeader(RosterCell.ToText(header.Raw(cells, RosterColumn.Name)), out var name) && name == RosterColumn.Name
            && RosterVocabulary.TryMatchHeader(RosterCell.ToText(header.Raw(cells, RosterColumn.DocumentNumber)), out var document)
            && document == RosterColumn.DocumentNumber;
    }

    private sealed record ParsedRow(RosterRow? Row, List<RosterIssue> Issues, string? DocumentKey, string Signature);

    private sealed class RowParser(int rowNumber, IReadOnlyList<object?> cells, Header header)
    {
        private readonly List<RosterIssue> _issues = [];
        // Normalised content of every mapped column, to tell a pasted-twice row from a conflicting one.
        private readonly StringBuilder _signature = new();

        public ParsedRow Parse()
        {
            var name = ParseName();
            var (documentType, documentNumber) = ParseDocument();
            var phone = ParsePhone();
            var compound = Optional(RosterColumn.Compound);
            var building = Optional(RosterColumn.Building);
            var unit = Optional(RosterColumn.Unit);
            var door = Optional(RosterColumn.DoorNumber);
            var address = ParseAddress(compound, building, unit, door);
            var relation = ParseChoice<RelationToHead>(RosterColumn.RelationToHead, RelationToHead.Other, RosterIssueCode.RelationUnknown,
                RosterVocabulary.TryMatchRelation);
            var residence = ParseChoice<ResidenceType>(RosterColumn.ResidenceType, ResidenceType.Registered, RosterIssueCode.ResidenceTypeUnknown,
                RosterVocabulary.TryMatchResidenceType);
            var tags = ParseTags();
            var doses = ParseDoses();
            var grid = Optional(RosterColumn.Grid);
            var notes = Optional(RosterColumn.Notes);

            var row = name is not null && documentNumber is not null && address is not null
                ? new RosterRow(rowNumber, name, documentType, documentNumber, phone, compound, building, unit, door, address,
                    relation, residence, tags, doses, grid, notes)
                : null;
            return new ParsedRow(row, _issues, documentNumber, _signature.ToString());
        }

        private string? ParseName()
        {
            var text = Text(RosterColumn.Name);
            Sign(PersonName.Clean(text));
            if (PersonName.TryNormalize(text, out var name, out var error)) return name;
            if (error == PersonNameError.Empty) Report(RosterColumn.Name, RosterIssueCode.NameMissing, null);
            else Report(RosterColumn.Name, RosterIssueCode.NameInvalid, PersonName.Clean(text), error.ToString());
            return null;
        }

        private (DocumentType Type, string? Number) ParseDocument()
        {
            DocumentType? declared = null;
            var typeText = Text(RosterColumn.DocumentType);
            var typeKnown = true;
            if (typeText.Length > 0)
            {
                if (RosterVocabulary.TryMatchDocumentType(typeText, out var type)) declared = type;
                else
                {
                    typeKnown = false;
                    Report(RosterColumn.DocumentType, RosterIssueCode.DocumentInvalid, typeText, "UnknownDocumentType");
                }
            }

            var raw = header.Raw(cells, RosterColumn.DocumentNumber);
            var text = RosterCell.UnwrapNumberText(RosterCell.ToText(raw));
            if (text.Length == 0)
            {
                Report(RosterColumn.DocumentNumber, RosterIssueCode.DocumentMissing, null);
                return (declared ?? DocumentType.ResidentIdCard, null);
            }
            if (RosterCell.IsLongNumber(raw) || RosterCell.IsScientificNotation(text))
            {
                Report(RosterColumn.DocumentNumber, RosterIssueCode.DocumentLostPrecision, text);
                return (declared ?? DocumentType.ResidentIdCard, null);
            }
            var documentType = declared ?? DocumentNumber.Guess(text);
            if (!typeKnown) return (documentType, null);
            Sign(documentType.ToString());
            if (DocumentNumber.TryNormalize(documentType, text, out var normalized, out var error)) return (documentType, normalized);
            var detail = error == DocumentError.InvalidResidentId && !IdCardNumber.TryParse(text, out _, out var idError)
                ? idError.ToString()
                : error.ToString();
            Report(RosterColumn.DocumentNumber, RosterIssueCode.DocumentInvalid, text, detail);
            return (documentType, null);
        }

        private string? ParsePhone()
        {
            var text = RosterCell.UnwrapNumberText(Text(RosterColumn.Phone));
            if (text.Length == 0) { Sign(""); return null; }
            // 11 digits survive a round trip through Excel's scientific display (1.3800138E+10)
            if (RosterCell.IsScientificNotation(text)
                && decimal.TryParse(TextNormalizer.Normalize(text), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number == decimal.Truncate(number))
            {
                text = number.ToString("0", CultureInfo.InvariantCulture);
            }
            if (PhoneNumber.TryNormalize(text, out var phone)) { Sign(phone); return phone; }
            Sign("!" + text);
            Report(RosterColumn.Phone, RosterIssueCode.PhoneInvalid, text);
            return null;
        }

        private string? ParseAddress(string? compound, string? building, string? unit, string? door)
        {
            var address = Text(RosterColumn.Address);
            if (address.Length == 0) address = Household.ComposeAddress(compound, building, unit, door);
            Sign(address);
            if (address.Length > 0) return address;
            var column = header.Columns.ContainsKey(RosterColumn.Address) ? RosterColumn.Address
                : new[] { RosterColumn.Compound, RosterColumn.Building, RosterColumn.Unit, RosterColumn.DoorNumber }
                    .FirstOrDefault(header.Columns.ContainsKey, RosterColumn.Address);
            Report(column, RosterIssueCode.AddressMissing, null);
            return null;
        }

        private delegate bool Matcher<T>(string text, out T value);

        private T ParseChoice<T>(RosterColumn column, T whenEmpty, RosterIssueCode unknown, Matcher<T> match) where T : struct, Enum
        {
            var text = Text(column);
            if (text.Length == 0) { Sign(whenEmpty.ToString()); return whenEmpty; }
            if (match(text, out var value)) { Sign(value.ToString()); return value; }
            Sign("!" + text);
            Report(column, unknown, text);
            return whenEmpty;
        }

        private VulnerabilityTags ParseTags()
        {
            var tags = VulnerabilityTags.None;
            foreach (var word in Text(RosterColumn.Tags).Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (RosterVocabulary.TryMatchTag(word, out var tag)) tags |= tag;
                else
                {
                    Sign("!" + word);
                    Report(RosterColumn.Tags, RosterIssueCode.TagUnknown, word);
                }
            }
            Sign(((int)tags).ToString(CultureInfo.InvariantCulture));
            return tags;
        }

        private int ParseDoses()
        {
            // A number cell reads as "3" or "3.5"; only whole counts 0–5 pass.
            var text = Text(RosterColumn.VaccinationDoses);
            if (RosterVocabulary.TryParseDoses(text, out var doses) && doses is >= 0 and <= 5)
            {
                Sign(doses.ToString(CultureInfo.InvariantCulture));
                return doses;
            }
            Sign("!" + text);
            Report(RosterColumn.VaccinationDoses, RosterIssueCode.VaccinationInvalid, text);
            return 0;
        }

        private string? Optional(RosterColumn column)
        {
            var text = Text(column);
            Sign(text);
            return text.Length == 0 ? null : text;
        }

        private string Text(RosterColumn column) => RosterCell.ToText(header.Raw(cells, column));

        private void Sign(string value) => _signature.Append(value).Append('\u001F');

        private void Report(RosterColumn column, RosterIssueCode code, string? value, string? detail = null) =>
            _issues.Add(new RosterIssue(rowNumber, header.Texts.GetValueOrDefault(column), code, Truncate(value), IsWarning: false, detail));
    }

    private static string? Truncate(string? value) =>
        value is null || value.Length <= MaxValueLength ? value
        : char.IsHighSurrogate(value[MaxValueLength - 2]) ? value[..(MaxValueLength - 2)] + "…"
        : value[..(MaxValueLength - 1)] + "…";
}
