using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Restrictions;

public sealed record RestrictionInput
{
    public RestrictionKind Kind { get; set; } = RestrictionKind.StatusColour;
    public StatusColour? Colour { get; set; }
    public string? Reason { get; set; }
    public RestrictionBasis Basis { get; set; } = RestrictionBasis.Other;
    public string? BasisReference { get; set; }
    public DateOnly? Until { get; set; }
}

/// <summary>Asks for a restriction of a person; without a verified record basis it waits for a second person.</summary>
public sealed class RequestRestriction(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, AuditLog audit, IStringLocalizer<RestrictionsResource> l)
{
    public const int MinReasonLength = 4;
    public const int MaxReasonLength = 500;

    public async Task<Outcome<RestrictionItem>> HandleAsync(Guid personId, RestrictionInput input, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        var today = clock.Today();
        var reason = input.Reason?.Trim();
        var reference = string.IsNullOrWhiteSpace(input.BasisReference) ? null : input.BasisReference.Trim();
        if (!Enum.IsDefined(input.Kind)) errors.Add(nameof(input.Kind), l["Error.KindInvalid"]);
        // A measure has a schedule from the policy: it is issued through the measures area, which creates this restriction itself.
        else if (input.Kind == RestrictionKind.ControlMeasure) errors.Add(nameof(input.Kind), l["Error.KindIsMeasure"]);
        else if (input.Kind == RestrictionKind.StatusColour && input.Colour is not (StatusColour.Yellow or StatusColour.Red))
            errors.Add(nameof(input.Colour), l["Error.ColourRequired"]);
        else if (input.Kind != RestrictionKind.StatusColour && input.Colour is not null)
            errors.Add(nameof(input.Colour), l["Error.ColourNotAllowed"]);
        if (reason is null || reason.Length is < MinReasonLength or > MaxReasonLength)
            errors.Add(nameof(input.Reason), l["Error.ReasonLength", MinReasonLength, MaxReasonLength]);
        if (!Enum.IsDefined(input.Basis)) errors.Add(nameof(input.Basis), l["Error.BasisInvalid"]);
        else if (reference?.Length > RestrictionBases.MaxReferenceLength)
            errors.Add(nameof(input.BasisReference), l["Error.BasisReferenceTooLong", RestrictionBases.MaxReferenceLength]);
        else if (!Restriction.NeedsSecondApproval(input.Basis) && reference is null)
            errors.Add(nameof(input.BasisReference), l["Error.BasisReferenceRequired"]);
        if (input.Until < today) errors.Add(nameof(input.Until), l["Error.UntilInPast"]);
        if (errors.Any) return errors.ToOutcome<RestrictionItem>();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.Persons.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.Name, p.CommunityCode, p.GridId }).FirstOrDefaultAsync(cancellationToken);
        if (person is null) return new Outcome<RestrictionItem>.NotFound(l["Error.PersonNotFound"]);

        var verified = false;
        if (!Restriction.NeedsSecondApproval(input.Basis))
        {
            if (!await RestrictionBases.ExistsAsync(db, input.Basis, reference, cancellationToken))
            {
                errors.Add(nameof(input.BasisReference), l["Error.BasisReferenceNotFound"]);
                return errors.ToOutcome<RestrictionItem>();
            }
            verified = (await RestrictionBases.VerifiesForAsync(db, input.Basis, reference, [personId], cancellationToken)).Contains(personId);
        }

        var caller = db.Caller;
        var restriction = new Restriction
        {
            PersonId = personId, CommunityCode = person.CommunityCode, GridId = person.GridId, Kind = input.Kind,
            Colour = input.Kind == RestrictionKind.StatusColour ? input.Colour : null, Reason = reason!, Basis = input.Basis,
            BasisReference = reference, Until = input.Until, State = Restriction.InitialState(input.Basis, verified),
            RequestedBy = caller.AccountId, RequestedByName = caller.Name, RequestedAt = clock.UtcNow,
        };
        db.Restrictions.Add(restriction);
        db.AuditEntries.Add(audit.Entry(AuditAction.Request, nameof(Restriction), restriction.Id.ToString(), person.CommunityCode,
            $"{restriction.Kind} {restriction.Colour} {restriction.Basis} → {restriction.State}", caller: caller));
        await db.SaveChangesAsync(cancellationToken);
        return RestrictionItem.From(restriction, person.Name, today);
    }
}
