using Shouwang.Domain.People;

namespace Shouwang.Domain.Registry.Roster;

/// <summary>The columns a household roster may have; see <see cref="RosterVocabulary"/> for the headers that name them.</summary>
public enum RosterColumn
{
    Name, DocumentNumber, DocumentType, Phone, Compound, Building, Unit, DoorNumber, Address, RelationToHead, ResidenceType,
    Tags, VaccinationDoses, Grid, Notes,
}

public enum RosterIssueCode
{
    /// <summary>No row in the first 30 looks like a header (needs at least 姓名 and a document-number column).</summary>
    HeaderNotFound,
    /// <summary>A header row was found but 姓名 or 证件号 is missing.</summary>
    MissingRequiredColumn,
    NameMissing,
    /// <summary>Detail: TooLong, ForbiddenCharacter, ControlCharacter or NoLetters.</summary>
    NameInvalid,
    DocumentMissing,
    /// <summary>Detail: an <see cref="IdCardError"/> name for ID cards, InvalidFormat for others, UnknownDocumentType for the type cell.</summary>
    DocumentInvalid,
    /// <summary>A long number stored as a number: Excel keeps 15 significant digits, so the last ones are gone.</summary>
    DocumentLostPrecision,
    PhoneInvalid,
    /// <summary>Neither 住址 nor any of 小区/楼栋/单元/门牌号.</summary>
    AddressMissing,
    RelationUnknown,
    ResidenceTypeUnknown,
    TagUnknown,
    VaccinationInvalid,
    /// <summary>Same document number again with identical content: a warning, the row is skipped.</summary>
    DuplicateRow,
    /// <summary>Same document number again with different content: an error on the later row.</summary>
    ConflictingDuplicate,
}

/// <param name="RowNumber">1-based row number as the user sees it in Excel; 0 for whole-file issues.</param>
/// <param name="Column">The header text as written in the file (or the expected header for a missing column).</param>
/// <param name="Code">What is wrong.</param>
/// <param name="Value">The offending cell text, truncated to 60 characters.</param>
/// <param name="IsWarning">Warnings do not block the import.</param>
/// <param name="Detail">A stable, untranslated reason code refining <paramref name="Code"/> (e.g. WrongCheckDigit).</param>
public sealed record RosterIssue(int RowNumber, string? Column, RosterIssueCode Code, string? Value, bool IsWarning, string? Detail = null);

public sealed record RosterRow(
    int RowNumber,
    string Name,
    DocumentType DocumentType,
    string DocumentNumber,
    string? Phone,
    string? Compound,
    string? Building,
    string? Unit,
    string? DoorNumber,
    string Address,
    RelationToHead RelationToHead,
    ResidenceType ResidenceType,
    VulnerabilityTags Tags,
    int VaccinationDoses,
    string? Grid,
    string? Notes);

public sealed record RosterParseResult(
    int HeaderRowNumber,
    IReadOnlyDictionary<RosterColumn, string> MappedHeaders,
    IReadOnlyList<string> IgnoredHeaders,
    IReadOnlyList<RosterRow> ValidRows,
    IReadOnlyList<RosterIssue> Issues,
    int DataRowCount)
{
    public bool HasErrors => Issues.Any(i => !i.IsWarning);

    /// <summary>Spreadsheet rows with at least one error, ascending.</summary>
    public IEnumerable<int> BadRowNumbers => Issues.Where(i => !i.IsWarning && i.RowNumber > 0).Select(i => i.RowNumber).Distinct().Order();
}
