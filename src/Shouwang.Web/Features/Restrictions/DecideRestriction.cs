using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Restrictions;

public sealed record DecisionInput
{
    public string? Note { get; set; }
}

public sealed record LiftInput
{
    public string? Reason { get; set; }
}

/// <summary>Approves, rejects and lifts restrictions. The four-eyes rule: nobody decides their own request, whatever roles they hold.</summary>
public sealed class DecideRestriction(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, AuditLog audit, IStringLocalizer<RestrictionsResource> l)
{
    public const int MaxNoteLength = 500;

    public Task<Outcome<RestrictionItem>> ApproveAsync(Guid id, DecisionInput input, CancellationToken cancellationToken = default) =>
        DecideAsync(id, input, approve: true, cancellationToken);

    public Task<Outcome<RestrictionItem>> RejectAsync(Guid id, DecisionInput input, CancellationToken cancellationToken = default) =>
        DecideAsync(id, input, approve: false, cancellationToken);

    private async Task<Outcome<RestrictionItem>> DecideAsync(Guid id, DecisionInput input, bool approve, CancellationToken cancellationToken)
    {
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        var errors = new FieldErrors();
        if (!approve && note is null) errors.Add(nameof(input.Note), l["Error.NoteRequired"]);
        if (note?.Length > MaxNoteLength) errors.Add(nameof(input.Note), l["Error.NoteTooLong", MaxNoteLength]);
        if (errors.Any) return errors.ToOutcome<RestrictionItem>();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var caller = db.Caller;
        if (!caller.Can(Permission.ApproveRestriction)) return new Outcome<RestrictionItem>.Forbidden(l["Error.NotAllowed"]);
        var found = await FindAsync(db, id, cancellationToken);
        if (found is not var (restriction, personName)) return new Outcome<RestrictionItem>.NotFound(l["Error.RestrictionNotFound"]);
        if (restriction.RequestedBy == caller.AccountId) return new Outcome<RestrictionItem>.Forbidden(l["Error.OwnRequest"]);
        if (restriction.State != RestrictionState.PendingApproval || caller.AccountId is not { } accountId)
            return new Outcome<RestrictionItem>.Conflict(l["Error.NotPending"]);

        var now = clock.UtcNow;
        if (approve) restriction.Approve(accountId, caller.Name, now, note);
        else restriction.Reject(accountId, caller.Name, now, note!);
        await Measures.MeasureCourses.FollowRestrictionAsync(db, restriction, clock.Today(), cancellationToken);
        db.AuditEntries.Add(audit.Entry(approve ? AuditAction.Approve : AuditAction.Reject, nameof(Restriction), restriction.Id.ToString(),
            restriction.CommunityCode, note, caller: caller));
        await db.SaveChangesAsync(cancellationToken);
        return RestrictionItem.From(restriction, personName, clock.Today());
    }

    public async Task<Outcome<RestrictionItem>> LiftAsync(Guid id, LiftInput input, CancellationToken cancellationToken = default)
    {
        var reason = input.Reason?.Trim();
        if (reason is null || reason.Length is < RequestRestriction.MinReasonLength or > RequestRestriction.MaxReasonLength)
        {
            var errors = new FieldErrors();
            errors.Add(nameof(input.Reason), l["Error.LiftReasonLength", RequestRestriction.MinReasonLength, RequestRestriction.MaxReasonLength]);
            return errors.ToOutcome<RestrictionItem>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var caller = db.Caller;
        if (!caller.Can(Permission.RequestRestriction) && !caller.Can(Permission.ApproveRestriction))
            return new Outcome<RestrictionItem>.Forbidden(l["Error.NotAllowed"]);
        var found = await FindAsync(db, id, cancellationToken);
        if (found is not var (restriction, personName)) return new Outcome<RestrictionItem>.NotFound(l["Error.RestrictionNotFound"]);
        if (restriction.State != RestrictionState.Active) return new Outcome<RestrictionItem>.Conflict(l["Error.NotActive"]);

        restriction.Lift(caller.AccountId, caller.Name, clock.UtcNow, reason);
        await Measures.MeasureCourses.FollowRestrictionAsync(db, restriction, clock.Today(), cancellationToken);
        db.AuditEntries.Add(audit.Entry(AuditAction.Lift, nameof(Restriction), restriction.Id.ToString(), restriction.CommunityCode, reason, caller: caller));
        await db.SaveChangesAsync(cancellationToken);
        return RestrictionItem.From(restriction, personName, clock.Today());
    }

    private static async Task<(Restriction, string)?> FindAsync(AppDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var restriction = await db.Restrictions.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (restriction is null) return null;
        // A restriction is only as visible as its person.
        var name = await db.Persons.Where(p => p.Id == restriction.PersonId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken);
        return name is null ? null : (restriction, name);
    }
}
