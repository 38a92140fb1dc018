using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Policies;
using Shouwang.Web.Features.Restrictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Measures;

public sealed record IssueMeasureInput
{
    public PersonCategory Category { get; set; }
    /// <summary>Day 0: last exposure, leaving the area or arrival, as the category's rule counts.</summary>
    public DateOnly? AnchorDay { get; set; }
    /// <summary>The day the person was found; today when not given. Found late, the person serves only what remains.</summary>
    public DateOnly? IdentifiedDay { get; set; }
    public string? Reason { get; set; }
    public RestrictionBasis Basis { get; set; } = RestrictionBasis.Other;
    public string? BasisReference { get; set; }
    /// <summary>The quarantine site, for stages served there (the home address is the household's).</summary>
    public string? SiteName { get; set; }
}

/// <summary>
/// Issues a control measure course to one person under the policy in force in their community on the day they were found.
/// The course is a <see cref="Restriction"/> (reason, basis, four-eyes approval) plus one <see cref="ControlMeasure"/> per stage.
/// </summary>
public sealed class IssueMeasure(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, AuditLog audit, IStringLocalizer<MeasuresResource> l)
{
    public const int MaxSiteNameLength = 200;

    public async Task<Outcome<CourseItem>> HandleAsync(Guid personId, IssueMeasureInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var outcome = await AddAsync(db, personId, input, cancellationToken);
        if (outcome is not Outcome<CourseItem>.Success) return outcome;
        await db.SaveChangesAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Validates and adds the course to <paramref name="db"/> without saving, so callers (arrival review) can save it with their own changes.</summary>
    public async Task<Outcome<CourseItem>> AddAsync(AppDbContext db, Guid personId, IssueMeasureInput input, CancellationToken cancellationToken = default)
    {
        var today = clock.Today();
        var errors = new FieldErrors();
        var reason = input.Reason?.Trim();
        var reference = string.IsNullOrWhiteSpace(input.BasisReference) ? null : input.BasisReference.Trim();
        var site = string.IsNullOrWhiteSpace(input.SiteName) ? null : input.SiteName.Trim();
        var identified = input.IdentifiedDay ?? today;
        if (!Enum.IsDefined(input.Category)) errors.Add(nameof(input.Category), l["Error.CategoryInvalid"]);
        if (input.AnchorDay is null) errors.Add(nameof(input.AnchorDay), l["Error.AnchorDayRequired"]);
        else if (input.AnchorDay > identified) errors.Add(nameof(input.AnchorDay), l["Error.AnchorAfterIdentified"]);
        if (identified > today) errors.Add(nameof(input.IdentifiedDay), l["Error.IdentifiedInFuture"]);
        if (reason is null || reason.Length is < RequestRestriction.MinReasonLength or > RequestRestriction.MaxReasonLength)
            errors.Add(nameof(input.Reason), l["Error.ReasonLength", RequestRestriction.MinReasonLength, RequestRestriction.MaxReasonLength]);
        if (!Enum.IsDefined(input.Basis)) errors.Add(nameof(input.Basis), l["Error.BasisInvalid"]);
        else if (reference?.Length > RestrictionBases.MaxReferenceLength)
            errors.Add(nameof(input.BasisReference), l["Error.BasisReferenceTooLong", RestrictionBases.MaxReferenceLength]);
        else if (!Restriction.NeedsSecondApproval(input.Basis) && reference is null)
            errors.Add(nameof(input.BasisReference), l["Error.BasisReferenceRequired"]);
        if (site?.Length > MaxSiteNameLength) errors.Add(nameof(input.SiteName), l["Error.SiteNameTooLong", MaxSiteNameLength]);
        if (errors.Any) return errors.ToOutcome<CourseItem>();

        var person = await db.Persons.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.Name, p.CommunityCode, p.GridId, p.HouseholdId }).FirstOrDefaultAsync(cancellationToken);
        if (person is null) return new Outcome<CourseItem>.NotFound(l["Error.PersonNotFound"]);

        if (await PolicyLookup.ForCommunityAsync(db, person.CommunityCode, identified, cancellationToken) is not var (policy, _))
        {
            errors.Add(nameof(input.Category), l["Error.NoPolicyInForce"]);
            return errors.ToOutcome<CourseItem>();
        }
        var version = policy.ToVersion();
        if (version.RuleFor(input.Category) is not { } rule)
        {
            errors.Add(nameof(input.Category), l["Error.CategoryNotIdentified", policy.Name]);
            return errors.ToOutcome<CourseItem>();
        }
        var schedule = MeasureSchedule.Compute(rule, input.AnchorDay!.Value, identified);
        if (schedule.IsEnded)
        {
            errors.Add(nameof(input.AnchorDay), l["Error.PeriodOver", schedule.LastDay]);
            return errors.ToOutcome<CourseItem>();
        }
        if (schedule.LastDay < today)
        {
            // Identified in the past but recorded only now: what remains must still lie ahead.
            errors.Add(nameof(input.IdentifiedDay), l["Error.PeriodOver", schedule.LastDay]);
            return errors.ToOutcome<CourseItem>();
        }

        var verified = false;
        if (!Restriction.NeedsSecondApproval(input.Basis))
        {
            verified = await RestrictionBases.ExistsAsync(db, input.Basis, reference, cancellationToken);
            if (!verified)
            {
                errors.Add(nameof(input.BasisReference), l["Error.BasisReferenceNotFound"]);
                return errors.ToOutcome<CourseItem>();
            }
        }

        var home = person.HouseholdId is { } householdId
            ? await db.Households.AsNoTracking().Where(h => h.Id == householdId).Select(h => h.Address).FirstOrDefaultAsync(cancellationToken)
            : null;
        var caller = db.Caller;
        var now = clock.UtcNow;
        var restriction = new Restriction
        {
            PersonId = personId, CommunityCode = person.CommunityCode, GridId = person.GridId, Kind = RestrictionKind.ControlMeasure,
            Reason = reason!, Basis = input.Basis, BasisReference = reference, Until = schedule.LastDay,
            State = Restriction.InitialState(input.Basis, verified), RequestedBy = caller.AccountId, RequestedByName = caller.Name, RequestedAt = now,
        };
        var state = restriction.State == RestrictionState.Active ? MeasureState.Active : MeasureState.PendingApproval;
        var stages = ControlMeasure.FromSchedule(schedule, new CourseDetails(restriction.Id, personId, person.CommunityCode, person.GridId,
            policy.Id, policy.Code, home, site, input.Basis, reference, state, caller.AccountId, caller.Name, now));
        db.Restrictions.Add(restriction);
        db.ControlMeasures.AddRange(stages);
        db.AuditEntries.Add(audit.Entry(AuditAction.Request, nameof(ControlMeasure), restriction.Id.ToString(), person.CommunityCode,
            $"{input.Category} {policy.Code} {schedule.ServedFrom:yyyy-MM-dd}..{schedule.LastDay:yyyy-MM-dd} {input.Basis} → {restriction.State}", caller: caller));
        return CourseItem.From(restriction, person.Name, stages, today);
    }
}
