using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Checkpoints;

/// <summary>Why a scanned text names nobody: not a code/ID/phone at all, a code that is not ours or no longer valid, a bad ID number.</summary>
public enum ScanInputError { Required, Unrecognised, InvalidCode, InvalidIdNumber }

/// <summary>
/// Whom a scanned text names. A registered person (<see cref="PersonId"/>), a household by its pass card (<see cref="HouseholdId"/>),
/// or nobody in the registry: then <see cref="DocumentNumber"/> (an ID number) or <see cref="Phone"/> names a possible visitor.
/// </summary>
public sealed record ScanSubject(PassageSource Source, Guid? PersonId = null, Guid? HouseholdId = null, string? DocumentNumber = null, string? Phone = null);

/// <summary>
/// Reads what the gate scanned or typed: a signed person code or pass-card code (valid only while its serial is the current
/// one and it is not revoked), an ID number, or a mobile number. Any number of texts cost at most four indexed queries.
/// </summary>
public sealed class ScanSubjects(IDbContextFactory<AppDbContext> dbFactory, CodeSigner signer)
{
    public Task<(ScanSubject? Subject, ScanInputError? Error)[]> ResolveAsync(IReadOnlyList<string?> inputs, CancellationToken cancellationToken = default) =>
        ResolveAsync(inputs, null, cancellationToken);

    /// <param name="shared">A context (with its connection open) to read with instead of a new one.</param>
    public async Task<(ScanSubject? Subject, ScanInputError? Error)[]> ResolveAsync(IReadOnlyList<string?> inputs, AppDbContext? shared, CancellationToken cancellationToken = default)
    {
        var results = new (ScanSubject? Subject, ScanInputError? Error)[inputs.Count];
        var personCodes = new List<(int Index, CodeContent Code)>();
        var passCodes = new List<(int Index, CodeContent Code)>();
        var documents = new List<(int Index, string Number)>();
        var phones = new List<(int Index, string Phone)>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var text = inputs[i]?.Trim();
            if (string.IsNullOrEmpty(text)) { results[i] = (null, ScanInputError.Required); continue; }
            if (CodeSigner.LooksLikeCode(text))
            {
                if (await signer.ReadAsync(text, cancellationToken) is not { } code) results[i] = (null, ScanInputError.InvalidCode);
                else (code.Kind == CodeKind.Person ? personCodes : passCodes).Add((i, code));
                continue;
            }
            switch (ReadTyped(text))
            {
                case (Typed.Phone, var phone): phones.Add((i, phone)); break;
                case (Typed.IdNumber, var number): documents.Add((i, number)); break;
                case (Typed.InvalidIdNumber, _): results[i] = (null, ScanInputError.InvalidIdNumber); break;
                default: results[i] = (null, ScanInputError.Unrecognised); break;
            }
        }
        if (personCodes.Count + passCodes.Count + documents.Count + phones.Count == 0) return results;

        using var system = CallerContext.AsSystem();
        await using var own = shared is null ? await dbFactory.CreateDbContextAsync(cancellationToken) : null;
        var db = shared ?? own!;
        if (personCodes.Count > 0)
        {
            var ids = personCodes.Select(c => c.Code.Id).Distinct().ToList();
            var rows = await db.PersonCodes.AsNoTracking().Where(c => ids.Contains(c.PersonId) && c.RevokedAt == null)
                .Select(c => new { c.PersonId, c.Serial }).ToListAsync(cancellationToken);
            foreach (var (index, code) in personCodes)
                results[index] = rows.Any(r => r.PersonId == code.Id && r.Serial == code.Serial)
                    ? (new ScanSubject(PassageSource.PersonCode, PersonId: code.Id), null) : (null, ScanInputError.InvalidCode);
        }
        if (passCodes.Count > 0)
        {
            var ids = passCodes.Select(c => c.Code.Id).Distinct().ToList();
            var rows = await db.PassCards.AsNoTracking().Where(c => ids.Contains(c.Id) && c.RevokedAt == null)
                .Select(c => new { c.Id, c.Serial, c.HouseholdId }).ToListAsync(cancellationToken);
            foreach (var (index, code) in passCodes)
                results[index] = rows.FirstOrDefault(r => r.Id == code.Id && r.Serial == code.Serial) is { } card
                    ? (new ScanSubject(PassageSource.PassCard, HouseholdId: card.HouseholdId), null) : (null, ScanInputError.InvalidCode);
        }
        if (documents.Count > 0)
        {
            var numbers = documents.Select(d => d.Number).Distinct().ToList();
            var rows = await db.Persons.AsNoTracking().Where(p => EF.Parameter(numbers).Contains(p.DocumentNumber) && p.DocumentType == DocumentType.ResidentIdCard)
                .Select(p => new { p.Id, p.DocumentNumber }).ToListAsync(cancellationToken);
            foreach (var (index, number) in documents)
                results[index] = (rows.FirstOrDefault(r => r.DocumentNumber == number) is { } person
                    ? new ScanSubject(PassageSource.IdNumber, PersonId: person.Id)
                    : new ScanSubject(PassageSource.Visitor, DocumentNumber: number), null);
        }
        if (phones.Count > 0)
        {
            var numbers = phones.Select(p => p.Phone).Distinct().ToList();
            var rows = await db.Persons.AsNoTracking().Where(p => p.Phone != null && numbers.Contains(p.Phone))
                .Select(p => new { p.Id, p.Phone }).ToListAsync(cancellationToken);
            foreach (var (index, phone) in phones)
            {
                // A phone shared by several people names none of them: the gate asks for the ID instead.
                var matches = rows.Where(r => r.Phone == phone).Take(2).ToList();
                results[index] = (matches.Count == 1
                    ? new ScanSubject(PassageSource.Phone, PersonId: matches[0].Id)
                    : new ScanSubject(PassageSource.Visitor, Phone: phone), null);
            }
        }
        return results;
    }

    /// <summary>
    /// The registry's form of a scanned or typed resident ID number, read as <see cref="ResolveAsync(IReadOnlyList{string}, AppDbContext, CancellationToken)"/>
    /// reads it; null for anything else (a code, a phone, other text, or an ID number that fails its check digit).
    /// </summary>
    public static string? IdNumberOf(string? input)
    {
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text) || CodeSigner.LooksLikeCode(text)) return null;
        return ReadTyped(text) is (Typed.IdNumber, var number) ? number : null;
    }

    private enum Typed { Phone, IdNumber, InvalidIdNumber, Unrecognised }

    /// <summary>What typed text (not a code) is, in the order a gate reads it: a mobile number, else a resident ID number, with its registry form.</summary>
    private static (Typed Kind, string Value) ReadTyped(string text)
    {
        var normalized = TextNormalizer.Normalize(text).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (normalized.Length == 11 && PhoneNumber.TryNormalize(normalized, out var phone) && phone.Length == 11) return (Typed.Phone, phone);
        if (normalized.Length is < 15 or > 19 || DocumentNumber.Guess(normalized) != DocumentType.ResidentIdCard) return (Typed.Unrecognised, "");
        return DocumentNumber.TryNormalize(DocumentType.ResidentIdCard, normalized, out var number, out _) ? (Typed.IdNumber, number) : (Typed.InvalidIdNumber, "");
    }

    /// <summary>What a ticket says about a visitor: a digest of their document, never the number itself (tickets are readable).</summary>
    public static string VisitorKey(DocumentType type, string number) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{(int)type}:{number}")).AsSpan(0, 12));
}
