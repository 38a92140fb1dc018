using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
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

/// <summary>What every new course shares once checked: trimmed text and whether the basis was found.</summary>
internal sealed record CheckedCourseInput(PersonCategory Category, string Reason, RestrictionBasis Basis, string? BasisReference, string? SiteName);

/// <summary>A course laid out and ready to add: its restriction and stages.</summary>
internal sealed record CourseDraft(Restriction Restriction, List<ControlMeasure> Stages, MeasureSchedule Schedule, StoredPolicy Policy);

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

    /// <summary>The course as it would be issued (stages, test days, whether it waits for approval), without saving anything.</summary>
    public async Task<Outcome<CourseItem>> PreviewAsync(Guid personId, IssueMeasureInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var outcome = await PrepareAsync(db, personId, input, cancellationToken);
        return outcome switch
        {
            Outcome<(CourseDraft Draft, string Name)>.Success s => CourseItem.From(s.Value.Draft.Restriction, s.Value.Name, s.Value.Draft.Stages, clock.Today()),
            _ => Relay<CourseItem>(outcome),
        };
    }

    /// <summary>Validates and adds the course to <paramref name="db"/> without saving, so callers (arrival review) can save it with their own changes.</summary>
    public async Task<Outcome<CourseItem>> AddAsync(AppDbContext db, Guid personId, IssueMeasureInput input, CancellationToken cancellationToken = default)
    {
        var outcome = await PrepareAsync(db, personId, input, cancellationToken);
        if (outcome is not Outcome<(CourseDraft Draft, string Name)>.Success { Value: var (draft, name) }) return Relay<CourseItem>(outcome);
        if (await RunningCoursesAsync(db, [personId], input.Category, clock.Today(), cancellationToken) is { Count: > 0 })
        {
            // Two courses of one category would double every list and follow-up: a correction is a change of the running one.
            var errors = new FieldErrors();
            errors.Add(nameof(input.Category), l["Error.AlreadyUnderMeasure"]);
            return errors.ToOutcome<CourseItem>();
        }
        var restriction = draft.Restriction;
        db.Restrictions.Add(restriction);
        db.ControlMeasures.AddRange(draft.Stages);
        db.AuditEntries.Add(audit.Entry(AuditAction.Request, nameof(ControlMeasure), restriction.Id.ToString(), restriction.CommunityCode,
            $"{input.Category} {draft.Policy.Code} {draft.Schedule.ServedFrom:yyyy-MM-dd}..{draft.Schedule.LastDay:yyyy-MM-dd} {input.Basis} → {restriction.State}", caller: db.Caller));
        return CourseItem.From(restriction, name, draft.Stages, clock.Today());
    }

    internal async Task<Outcome<(CourseDraft Draft, string Name)>> PrepareAsync(AppDbContext db, Guid personId, IssueMeasureInput input,
        CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var errors = new FieldErrors();
        var checkedInput = Check(input, errors, "");
        var identified = input.IdentifiedDay ?? today;
        CheckDays(input.AnchorDay, identified, today, errors, "");
        if (errors.Any || checkedInput is null) return errors.ToOutcome<(CourseDraft, string)>();

        var person = await db.Persons.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.Name, p.CommunityCode, p.GridId, p.HouseholdId }).FirstOrDefaultAsync(cancellationToken);
        if (person is null) return new Outcome<(CourseDraft, string)>.NotFound(l["Error.PersonNotFound"]);

        var found = await PolicyLookup.ForCommunityAsync(db, person.CommunityCode, identified, cancellationToken);
        var draftOutcome = await VerifyBasisAsync(db, checkedInput, [personId], errors, "", cancellationToken) is not { } verified
            ? null
            : Lay(found?.Policy, checkedInput, input.AnchorDay!.Value, identified, today, errors, "", verified.Contains(personId));
        if (draftOutcome is not var (policy, schedule, state)) return errors.ToOutcome<(CourseDraft, string)>();

        var home = person.HouseholdId is { } householdId
            ? await db.Households.AsNoTracking().Where(h => h.Id == householdId).Select(h => h.Address).FirstOrDefaultAsync(cancellationToken)
            : null;
        var draft = Draft(new CoursePerson(personId, person.CommunityCode, person.GridId, home), checkedInput, policy, schedule, state, db.Caller, clock.UtcNow);
        return (draft, person.Name);
    }

    /// <summary>Of these people, those already under a course of the category that has not ended (in force, upcoming or awaiting approval).</summary>
    internal static async Task<HashSet<Guid>> RunningCoursesAsync(AppDbContext db, IReadOnlyCollection<Guid> personIds, PersonCategory category, DateOnly today,
        CancellationToken cancellationToken)
    {
        var running = new HashSet<Guid>();
        foreach (var chunk in personIds.Chunk(500))
            running.UnionWith(await db.ControlMeasures.Where(m => chunk.Contains(m.PersonId) && m.Category == category && m.EndDay >= today
                && (m.State == MeasureState.Active || m.State == MeasureState.PendingApproval)).Select(m => m.PersonId).Distinct().ToListAsync(cancellationToken));
        return running;
    }

    /// <summary>Checks the fields every course of a request shares; null when something is wrong (the errors say what).</summary>
    internal CheckedCourseInput? Check(IssueMeasureInput input, FieldErrors errors, string prefix)
    {
        var reason = input.Reason?.Trim();
        var reference = string.IsNullOrWhiteSpace(input.BasisReference) ? null : input.BasisReference.Trim();
        var site = string.IsNullOrWhiteSpace(input.SiteName) ? null : input.SiteName.Trim();
        var ok = true;
        void Add(string field, string message) { errors.Add(prefix + field, message); ok = false; }
        if (!Enum.IsDefined(input.Category)) Add(nameof(input.Category), l["Error.CategoryInvalid"]);
        if (reason is null || reason.Length is < RequestRestriction.MinReasonLength or > RequestRestriction.MaxReasonLength)
            Add(nameof(input.Reason), l["Error.ReasonLength", RequestRestriction.MinReasonLength, RequestRestriction.MaxReasonLength]);
        if (!Enum.IsDefined(input.Basis)) Add(nameof(input.Basis), l["Error.BasisInvalid"]);
        else if (reference?.Length > RestrictionBases.MaxReferenceLength)
            Add(nameof(input.BasisReference), l["Error.BasisReferenceTooLong", RestrictionBases.MaxReferenceLength]);
        else if (!Restriction.NeedsSecondApproval(input.Basis) && reference is null)
            Add(nameof(input.BasisReference), l["Error.BasisReferenceRequired"]);
        if (site?.Length > MaxSiteNameLength) Add(nameof(input.SiteName), l["Error.SiteNameTooLong", MaxSiteNameLength]);
        return ok ? new CheckedCourseInput(input.Category, reason!, input.Basis, reference, site) : null;
    }

    internal void CheckDays(DateOnly? anchorDay, DateOnly identified, DateOnly today, FieldErrors errors, string prefix)
    {
        if (anchorDay is null) errors.Add(prefix + nameof(IssueMeasureInput.AnchorDay), l["Error.AnchorDayRequired"]);
        else if (anchorDay > identified) errors.Add(prefix + nameof(IssueMeasureInput.AnchorDay), l["Error.AnchorAfterIdentified"]);
        if (identified > today) errors.Add(prefix + nameof(IssueMeasureInput.IdentifiedDay), l["Error.IdentifiedInFuture"]);
    }

    /// <summary>
    /// The people for whom the named record verifies the basis (see <see cref="RestrictionBases.VerifiesForAsync"/>; the others wait for
    /// a second person); empty when the basis needs none; null, with an error, when the named record does not exist.
    /// </summary>
    internal async Task<HashSet<Guid>?> VerifyBasisAsync(AppDbContext db, CheckedCourseInput input, IReadOnlyCollection<Guid> personIds, FieldErrors errors, string prefix,
        CancellationToken cancellationToken)
    {
        if (Restriction.NeedsSecondApproval(input.Basis)) return [];
        if (await RestrictionBases.ExistsAsync(db, input.Basis, input.BasisReference, cancellationToken))
            return await RestrictionBases.VerifiesForAsync(db, input.Basis, input.BasisReference, personIds, cancellationToken);
        errors.Add(prefix + nameof(IssueMeasureInput.BasisReference), l["Error.BasisReferenceNotFound"]);
        return null;
    }

    /// <summary>The schedule under <paramref name="policy"/>; null with an error when there is none or nothing is left to serve.</summary>
    internal (StoredPolicy Policy, MeasureSchedule Schedule, RestrictionState State)? Lay(StoredPolicy? policy, CheckedCourseInput input, DateOnly anchorDay,
        DateOnly identified, DateOnly today, FieldErrors errors, string prefix, bool verified, PolicyVersion? version = null)
    {
        if (policy is null)
        {
            errors.Add(prefix + nameof(IssueMeasureInput.Category), l["Error.NoPolicyInForce"]);
            return null;
        }
        if ((version ?? policy.ToVersion()).RuleFor(input.Category) is not { } rule)
        {
            errors.Add(prefix + nameof(IssueMeasureInput.Category), l["Error.CategoryNotIdentified", policy.Name]);
            return null;
        }
        var schedule = MeasureSchedule.Compute(rule, anchorDay, identified);
        if (schedule.IsEnded)
        {
            errors.Add(prefix + nameof(IssueMeasureInput.AnchorDay), l["Error.PeriodOver", schedule.LastDay]);
            return null;
        }
        if (schedule.LastDay < today)
        {
            // Identified in the past but recorded only now: what remains must still lie ahead.
            errors.Add(prefix + nameof(IssueMeasureInput.IdentifiedDay), l["Error.PeriodOver", schedule.LastDay]);
            return null;
        }
        return (policy, schedule, Restriction.InitialState(input.Basis, verified));
    }

    internal static CourseDraft Draft(CoursePerson person, CheckedCourseInput input, StoredPolicy policy, MeasureSchedule schedule, RestrictionState state,
        Caller caller, DateTime now)
    {
        var restriction = new Restriction
        {
            PersonId = person.Id, CommunityCode = person.CommunityCode, GridId = person.GridId, Kind = RestrictionKind.ControlMeasure,
            Reason = input.Reason, Basis = input.Basis, BasisReference = input.BasisReference, Until = schedule.LastDay,
            State = state, RequestedBy = caller.AccountId, RequestedByName = caller.Name, RequestedAt = now,
        };
        var stageState = state == RestrictionState.Active ? MeasureState.Active : MeasureState.PendingApproval;
        var stages = ControlMeasure.FromSchedule(schedule, new CourseDetails(restriction.Id, person.Id, person.CommunityCode, person.GridId,
            policy.Id, policy.Code, person.HomeAddress, input.SiteName, input.Basis, input.BasisReference, stageState, caller.AccountId, caller.Name, now));
        return new CourseDraft(restriction, stages, schedule, policy);
    }

    internal static Outcome<T> Relay<T>(object outcome) => outcome switch
    {
        Outcome<(CourseDraft, string)>.Invalid i => new Outcome<T>.Invalid(i.Errors),
        Outcome<(CourseDraft, string)>.NotFound n => new Outcome<T>.NotFound(n.Message),
        Outcome<(CourseDraft, string)>.Conflict c => new Outcome<T>.Conflict(c.Message),
        Outcome<(CourseDraft, string)>.Forbidden f => new Outcome<T>.Forbidden(f.Message),
        _ => throw new InvalidOperationException($"Not a failure: {outcome}"),
    };
}

/// <summary>Who a course is for, and where they live (the home stages' place).</summary>
internal sealed record CoursePerson(Guid Id, long CommunityCode, Guid? GridId, string? HomeAddress);
