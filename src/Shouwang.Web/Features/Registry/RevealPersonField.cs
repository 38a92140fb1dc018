using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Registry;

public sealed record RevealRequest(string? Field);

public sealed record RevealedValue(string? Value);

/// <summary>The whole ID or phone number of one resident, for the moment it is needed; every reveal is audited.</summary>
public sealed class RevealPersonField(IDbContextFactory<AppDbContext> dbFactory, AuditLog audit, IStringLocalizer<SharedResource> shared, IStringLocalizer<AdminResource> l)
{
    public const string DocumentNumber = nameof(DocumentNumber);
    public const string Phone = nameof(Phone);

    public async Task<Outcome<RevealedValue>> HandleAsync(Guid personId, string? field, CancellationToken cancellationToken = default)
    {
        var name = field?.Trim();
        if (string.Equals(name, DocumentNumber, StringComparison.OrdinalIgnoreCase)) name = DocumentNumber;
        else if (string.Equals(name, Phone, StringComparison.OrdinalIgnoreCase)) name = Phone;
        else
        {
            var errors = new FieldErrors();
            errors.Add(nameof(RevealRequest.Field), l["Reveal.FieldInvalid"]);
            return errors.ToOutcome<RevealedValue>();
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.Persons.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.CommunityCode, p.DocumentNumber, p.Phone }).FirstOrDefaultAsync(cancellationToken);
        if (person is null) return new Outcome<RevealedValue>.NotFound(shared["Error.PersonNotFound"]);
        await audit.WriteAsync(AuditAction.Reveal, "Person", personId.ToString(), person.CommunityCode, name, cancellationToken: cancellationToken);
        return new RevealedValue(name == DocumentNumber ? person.DocumentNumber : person.Phone);
    }
}
