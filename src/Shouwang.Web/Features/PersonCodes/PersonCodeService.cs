using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.PersonCodes;

/// <summary>A person's 个人码 as staff see it: the text to encode and which printing it is.</summary>
public sealed record PersonCodeState(Guid PersonId, string? Code, int Serial, DateTime IssuedAt, DateTime? RevokedAt, string? RevokedReason)
{
    public bool IsRevoked => RevokedAt is not null;
}

public sealed record RevokeCodeInput(string? Reason);

/// <summary>One printable card: masked name and ID, the code, the committee.</summary>
public sealed record PersonCodeCard(Guid PersonId, string MaskedName, string MaskedDocument, string Code, int Serial, string CommunityName);

/// <summary>The cards of a printout; <see cref="Capped"/> when there were more persons than one printout takes.</summary>
public sealed record PersonCodeSheet(string Title, IReadOnlyList<PersonCodeCard> Cards, int Total, bool Capped);

/// <summary>
/// Issues, revokes and reissues person codes. Only the serial is stored (<see cref="PersonCode"/>); the code text is
/// signed with the platform key each time, so a printed code is valid exactly while its serial is the stored, unrevoked one.
/// All reads go through the caller's scope: a person outside it is not found.
/// </summary>
public sealed class PersonCodeService(IDbContextFactory<AppDbContext> dbFactory, CodeSigner signer, AuditLog audit, TimeProvider time,
    IStringLocalizer<PersonCodesResource> t)
{
    public const int MaxReasonLength = 200;
    /// <summary>A grid printout stops here: past it, print per household.</summary>
    public const int MaxCardsPerSheet = 2000;

    public async Task<Outcome<PersonCodeState>> GetOrIssueAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Persons.AnyAsync(p => p.Id == personId, cancellationToken)) return NotFound<PersonCodeState>();
        var code = await EnsureCodesAsync(db, [personId], cancellationToken);
        return await StateAsync(code[personId], cancellationToken);
    }

    public async Task<Outcome<PersonCodeState>> RevokeAsync(Guid personId, RevokeCodeInput input, CancellationToken cancellationToken = default)
    {
        var reason = input.Reason?.Trim();
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(reason)) errors.Add(nameof(RevokeCodeInput.Reason), t["Error.ReasonRequired"]);
        else if (reason.Length > MaxReasonLength) errors.Add(nameof(RevokeCodeInput.Reason), t["Error.ReasonTooLong", MaxReasonLength]);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.Persons.AsNoTracking().Where(p => p.Id == personId).Select(p => new { p.Id, p.CommunityCode }).FirstOrDefaultAsync(cancellationToken);
        if (person is null) return NotFound<PersonCodeState>();
        if (errors.Any) return errors.ToOutcome<PersonCodeState>();
        var code = (await EnsureCodesAsync(db, [personId], cancellationToken))[personId];
        if (code.RevokedAt is null)
        {
            code.RevokedAt = time.GetUtcNow().UtcDateTime;
            code.RevokedReason = reason;
            db.AuditEntries.Add(audit.Entry(AuditAction.Update, nameof(PersonCode), personId.ToString(), person.CommunityCode, $"revoked serial {code.Serial}: {reason}"));
            await db.SaveChangesAsync(cancellationToken);
        }
        return await StateAsync(code, cancellationToken);
    }

    /// <summary>A new serial: every earlier printout of this person's code stops working.</summary>
    public async Task<Outcome<PersonCodeState>> ReissueAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.Persons.AsNoTracking().Where(p => p.Id == personId).Select(p => new { p.Id, p.CommunityCode }).FirstOrDefaultAsync(cancellationToken);
        if (person is null) return NotFound<PersonCodeState>();
        var existing = await db.PersonCodes.FirstOrDefaultAsync(c => c.PersonId == personId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        PersonCode code;
        if (existing is null)
        {
            code = new PersonCode { PersonId = personId, Serial = 1, IssuedAt = now };
            db.PersonCodes.Add(code);
        }
        else
        {
            code = existing;
            code.Serial++;
            code.IssuedAt = now;
            code.RevokedAt = null;
            code.RevokedReason = null;
        }
        db.AuditEntries.Add(audit.Entry(AuditAction.Update, nameof(PersonCode), personId.ToString(), person.CommunityCode, $"reissued as serial {code.Serial}"));
        await db.SaveChangesAsync(cancellationToken);
        return await StateAsync(code, cancellationToken);
    }

    public async Task<Outcome<PersonCodeSheet>> PersonSheetAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Persons.Where(p => p.Id == personId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null) return NotFound<PersonCodeSheet>();
        return await SheetAsync(db, PersonName.Mask(name), db.Persons.Where(p => p.Id == personId), cancellationToken);
    }

    public async Task<Outcome<PersonCodeSheet>> HouseholdSheetAsync(Guid householdId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var address = await db.Households.Where(h => h.Id == householdId).Select(h => h.Address).FirstOrDefaultAsync(cancellationToken);
        if (address is null) return new Outcome<PersonCodeSheet>.NotFound(t["Error.HouseholdNotFound"]);
        return await SheetAsync(db, address, db.Persons.Where(p => p.HouseholdId == householdId), cancellationToken);
    }

    public async Task<Outcome<PersonCodeSheet>> GridSheetAsync(Guid gridId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Grids.Where(g => g.Id == gridId).Select(g => g.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null) return new Outcome<PersonCodeSheet>.NotFound(t["Error.GridNotFound"]);
        return await SheetAsync(db, name, db.Persons.Where(p => p.GridId == gridId), cancellationToken);
    }

    private async Task<Outcome<PersonCodeSheet>> SheetAsync(AppDbContext db, string title, IQueryable<Person> persons, CancellationToken cancellationToken)
    {
        var total = await persons.CountAsync(cancellationToken);
        var rows = await persons.OrderBy(p => p.HouseholdId).ThenBy(p => p.RelationToHead).ThenBy(p => p.Id).Take(MaxCardsPerSheet)
            .Select(p => new { p.Id, p.Name, p.DocumentNumber, p.CommunityCode }).ToListAsync(cancellationToken);
        var codes = await EnsureCodesAsync(db, rows.Select(r => r.Id).ToList(), cancellationToken);
        var communities = rows.Select(r => r.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        var names = await db.Jurisdictions.Where(j => communities.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
        var cards = new List<PersonCodeCard>(rows.Count);
        foreach (var row in rows)
        {
            var code = codes[row.Id];
            if (code.RevokedAt is not null) continue; // a revoked code is not printed
            cards.Add(new PersonCodeCard(row.Id, PersonName.Mask(row.Name), DocumentNumber.Mask(row.DocumentNumber),
                await signer.CodeAsync(CodeKind.Person, row.Id, code.Serial, cancellationToken), code.Serial,
                names.GetValueOrDefault(row.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture)) ?? ""));
        }
        return new PersonCodeSheet(title, cards, total, total > MaxCardsPerSheet);
    }

    /// <summary>The persons' code rows, creating serial 1 for those without one. Two requests racing to create: the loser reads the winner's row.</summary>
    private async Task<Dictionary<Guid, PersonCode>> EnsureCodesAsync(AppDbContext db, IReadOnlyList<Guid> personIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, PersonCode>();
        foreach (var chunk in personIds.Chunk(500))
            foreach (var code in await db.PersonCodes.Where(c => chunk.Contains(c.PersonId)).ToListAsync(cancellationToken)) found[code.PersonId] = code;
        var missing = personIds.Where(id => !found.ContainsKey(id)).ToList();
        if (missing.Count == 0) return found;
        var now = time.GetUtcNow().UtcDateTime;
        var created = missing.Select(id => new PersonCode { PersonId = id, Serial = 1, IssuedAt = now }).ToList();
        db.PersonCodes.AddRange(created);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            foreach (var code in created) found[code.PersonId] = code;
        }
        catch (DbUpdateException)
        {
            foreach (var code in created) db.Entry(code).State = EntityState.Detached;
            foreach (var chunk in missing.Chunk(500))
                foreach (var code in await db.PersonCodes.Where(c => chunk.Contains(c.PersonId)).ToListAsync(cancellationToken)) found[code.PersonId] = code;
        }
        return found;
    }

    /// <summary>
    /// The person a scanned code names, when it is their current, unrevoked printing; null for forged, altered, old or
    /// revoked codes. Looks across all communities (a gate meets strangers), so callers show only masked data.
    /// </summary>
    public async Task<Guid?> CurrentHolderAsync(string text, CancellationToken cancellationToken = default)
    {
        if (await signer.ReadAsync(text, cancellationToken) is not { Kind: CodeKind.Person } content) return null;
        using var _ = Accounts.CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var valid = await db.PersonCodes.AnyAsync(c => c.PersonId == content.Id && c.Serial == content.Serial && c.RevokedAt == null, cancellationToken);
        return valid ? content.Id : null;
    }

    private async Task<Outcome<PersonCodeState>> StateAsync(PersonCode code, CancellationToken cancellationToken) =>
        new PersonCodeState(code.PersonId, code.RevokedAt is null ? await signer.CodeAsync(CodeKind.Person, code.PersonId, code.Serial, cancellationToken) : null,
            code.Serial, code.IssuedAt, code.RevokedAt, code.RevokedReason);

    private Outcome<T> NotFound<T>() => new Outcome<T>.NotFound(t["Error.PersonNotFound"]);
}
