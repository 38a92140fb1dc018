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

public sealed record EndEarlyInput
{
    public string? Reason { get; set; }
}

/// <summary>What to correct; anything left out stays as the running course has it. The reason is always required.</summary>
public sealed record ChangeCourseInput
{
    public PersonCategory? Category { get; set; }
    public DateOnly? AnchorDay { get; set; }
    public DateOnly? IdentifiedDay { get; set; }
    public string? Reason { get; set; }
    public RestrictionBasis? Basis { get; set; }
    public string? BasisReference { get; set; }
    public string? SiteName { get; set; }
}

public enum RecomputeOutcome { Replaced, Ended }

public sealed record StagePlan(MeasureKind Kind, DateOnly StartDay, DateOnly EndDay, IReadOnlyList<DateOnly> TestDates);

/// <summary>A running course issued under another version than the one now in force: what it is, and what it would become.</summary>
public sealed record RecomputeItem(Guid CourseId, Guid PersonId, string PersonName, string CommunityCode, PersonCategory Category, string OldPolicyCode,
    string NewPolicyCode, string NewPolicyName, RecomputeOutcome Outcome, DateOnly OldLastDay, DateOnly? NewLastDay, IReadOnlyList<StagePlan> OldStages,
    IReadOnlyList<StagePlan> NewStages);

public sealed record RecomputePreview(DateOnly Day, IReadOnlyList<RecomputeItem> Items);

public sealed record RecomputeInput
{
    public string? Jurisdiction { get; set; }
    public List<Guid>? CourseIds { get; set; }
    public string? Reason { get; set; }
}

/// <param name="AwaitingApproval">Replacements on an "Other" basis, waiting for a second person; the old course runs until then.</param>
public sealed record RecomputeResult(int Replaced, int Ended, IReadOnlyList<Guid> NewCourseIds, int AwaitingApproval = 0);

/// <summary>
/// Changes to running courses, all through the restriction mechanism: an early end lifts the course's restriction; a change
/// issues a replacement course (a verified basis takes effect at once, "Other" waits for a second person) that supersedes the
/// old one when it takes effect; a recomputation after a new policy version is put in force replaces or ends courses, but only
/// those the user picked from its preview.
/// </summary>
public sealed class ChangeMeasures(IDbContextFactory<AppDbContext> dbFactory, IssueMeasure issue, DecideRestriction decide, MeasureQueries queries,
    LocalClock clock, AuditLog audit, IStringLocalizer<MeasuresResource> l)
{
    public async Task<Outcome<CourseItem>> EndEarlyAsync(Guid courseId, EndEarlyInput input, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Restrictions.AnyAsync(r => r.Id == courseId && r.Kind == RestrictionKind.ControlMeasure, cancellationToken))
                return new Outcome<CourseItem>.NotFound(l["Error.CourseNotFound"]);
        }
        switch (await decide.LiftAsync(courseId, new LiftInput { Reason = input.Reason }, cancellationToken))
        {
            case Outcome<RestrictionItem>.Invalid i: return new Outcome<CourseItem>.Invalid(i.Errors);
            case Outcome<RestrictionItem>.NotFound n: return new Outcome<CourseItem>.NotFound(n.Message);
            case Outcome<RestrictionItem>.Conflict c: return new Outcome<CourseItem>.Conflict(c.Message);
            case Outcome<RestrictionItem>.Forbidden f: return new Outcome<CourseItem>.Forbidden(f.Message);
        }
        await using var read = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CourseAsync(read, courseId, cancellationToken) is { } course ? course : new Outcome<CourseItem>.NotFound(l["Error.CourseNotFound"]);
    }

    public async Task<Outcome<CourseItem>> ChangeAsync(Guid courseId, ChangeCourseInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var restriction = await db.Restrictions.FirstOrDefaultAsync(r => r.Id == courseId && r.Kind == RestrictionKind.ControlMeasure, cancellationToken);
        if (restriction is null) return new Outcome<CourseItem>.NotFound(l["Error.CourseNotFound"]);
        if (restriction.State != RestrictionState.Active) return new Outcome<CourseItem>.Conflict(l["Error.CourseNotActive"]);
        var oldStages = await db.ControlMeasures.Where(m => m.CourseId == courseId).OrderBy(m => m.StageIndex).ToListAsync(cancellationToken);
        if (oldStages.Count == 0) return new Outcome<CourseItem>.NotFound(l["Error.CourseNotFound"]);
        if (oldStages.Any(s => s.SupersededBy is not null)) return new Outcome<CourseItem>.Conflict(l["Error.ChangePending"]);

        var first = oldStages[0];
        var issueInput = new IssueMeasureInput
        {
            Category = input.Category ?? first.Category, AnchorDay = input.AnchorDay ?? first.AnchorDay, IdentifiedDay = input.IdentifiedDay ?? first.IdentifiedDay,
            Reason = input.Reason, Basis = input.Basis ?? restriction.Basis,
            BasisReference = input.Basis is null && input.BasisReference is null ? restriction.BasisReference : input.BasisReference,
            SiteName = input.SiteName ?? oldStages.FirstOrDefault(s => s.Place == MeasurePlace.QuarantineSite)?.PlaceName,
        };
        var prepared = await issue.PrepareAsync(db, restriction.PersonId, issueInput, cancellationToken);
        if (prepared is not Outcome<(CourseDraft Draft, string Name)>.Success { Value: var (draft, name) }) return IssueMeasure.Relay<CourseItem>(prepared);

        var replacement = draft.Restriction;
        db.Restrictions.Add(replacement);
        db.ControlMeasures.AddRange(draft.Stages);
        var today = clock.Today();
        foreach (var stage in oldStages) stage.SupersededBy = replacement.Id;
        if (replacement.State == RestrictionState.Active) await MeasureCourses.SupersedeAsync(db, oldStages, replacement, today, cancellationToken);
        db.AuditEntries.Add(audit.Entry(AuditAction.Request, nameof(ControlMeasure), replacement.Id.ToString(), replacement.CommunityCode,
            $"change of {courseId}: {issueInput.Category} {draft.Policy.Code} {draft.Schedule.ServedFrom:yyyy-MM-dd}..{draft.Schedule.LastDay:yyyy-MM-dd} → {replacement.State}",
            caller: db.Caller));
        await db.SaveChangesAsync(cancellationToken);
        return CourseItem.From(replacement, name, draft.Stages, today);
    }

    public async Task<Outcome<RecomputePreview>> PreviewRecomputeAsync(string? jurisdiction, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (queries.Narrow(db, jurisdiction) is { } invalid) return invalid.ToOutcome<RecomputePreview>();
        var today = clock.Today();
        var plans = await PlanAsync(db, today, cancellationToken);
        return new RecomputePreview(today, [.. plans.Select(p => p.Item)]);
    }

    public async Task<Outcome<RecomputeResult>> RecomputeAsync(RecomputeInput input, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        var reason = input.Reason?.Trim();
        if (reason is null || reason.Length is < RequestRestriction.MinReasonLength or > RequestRestriction.MaxReasonLength)
            errors.Add(nameof(input.Reason), l["Error.ReasonLength", RequestRestriction.MinReasonLength, RequestRestriction.MaxReasonLength]);
        if (input.CourseIds is not { Count: > 0 }) errors.Add(nameof(input.CourseIds), l["Error.CoursesRequired"]);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (queries.Narrow(db, input.Jurisdiction) is { } invalid)
            foreach (var (field, messages) in invalid.ToDictionary()) foreach (var m in messages) errors.Add(field, m);
        if (errors.Any) return errors.ToOutcome<RecomputeResult>();

        var today = clock.Today();
        var plans = (await PlanAsync(db, today, cancellationToken)).ToDictionary(p => p.Item.CourseId);
        var chosen = input.CourseIds!.Distinct().ToList();
        if (chosen.Any(id => !plans.ContainsKey(id)))
        {
            errors.Add(nameof(input.CourseIds), l["Error.NotInPreview"]);
            return errors.ToOutcome<RecomputeResult>();
        }

        var caller = db.Caller;
        var now = clock.UtcNow;
        var restrictions = new Dictionary<Guid, Restriction>();
        foreach (var chunk in chosen.Chunk(500))
            foreach (var r in await db.Restrictions.Where(r => chunk.Contains(r.Id)).ToListAsync(cancellationToken)) restrictions[r.Id] = r;
        var personIds = chosen.Select(id => plans[id].Item.PersonId).Distinct().ToList();
        var homes = new Dictionary<Guid, string>();
        foreach (var chunk in personIds.Chunk(500))
        {
            foreach (var h in await db.Persons.Where(p => chunk.Contains(p.Id))
                .Join(db.Households, p => p.HouseholdId, h => h.Id, (p, h) => new { p.Id, h.Address }).ToListAsync(cancellationToken))
                homes[h.Id] = h.Address;
        }

        var newIds = new List<Guid>();
        var ended = 0;
        var pending = 0;
        foreach (var id in chosen)
        {
            var plan = plans[id];
            var old = restrictions[id];
            if (plan.Item.Outcome == RecomputeOutcome.Ended)
            {
                old.Lift(caller.AccountId, caller.Name, now, reason!);
                await MeasureCourses.FollowRestrictionAsync(db, old, today, cancellationToken);
                ended++;
                continue;
            }
            var first = plan.Stages[0];
            var site = plan.Stages.FirstOrDefault(s => s.Place == MeasurePlace.QuarantineSite)?.PlaceName;
            // A recomputation is a change like any other: a course whose basis is a verified record is replaced at once, one on
            // an "Other" basis waits for a second person (the old course runs until then), with this recomputation's reason.
            var verified = (await RestrictionBases.VerifiesForAsync(db, old.Basis, old.BasisReference, [first.PersonId], cancellationToken)).Contains(first.PersonId);
            var state = Restriction.InitialState(old.Basis, verified);
            var draft = IssueMeasure.Draft(new CoursePerson(first.PersonId, first.CommunityCode, first.GridId, homes.GetValueOrDefault(first.PersonId)),
                new CheckedCourseInput(first.Category, reason!, old.Basis, old.BasisReference, site), plan.Policy!, plan.Schedule!, state, caller, now);
            db.Restrictions.Add(draft.Restriction);
            db.ControlMeasures.AddRange(draft.Stages);
            foreach (var stage in plan.Stages) stage.SupersededBy = draft.Restriction.Id;
            if (state == RestrictionState.Active) await MeasureCourses.SupersedeAsync(db, plan.Stages, draft.Restriction, today, cancellationToken);
            else pending++;
            newIds.Add(draft.Restriction.Id);
        }
        db.AuditEntries.Add(audit.Entry(AuditAction.Update, nameof(ControlMeasure), null, caller.ScopeMin,
            $"recompute: {newIds.Count} replaced ({pending} awaiting approval), {ended} ended; {reason}", chosen.Count, caller));
        await db.SaveChangesAsync(cancellationToken);
        return new RecomputeResult(newIds.Count, ended, newIds, pending);
    }

    private sealed record Plan(RecomputeItem Item, List<ControlMeasure> Stages, StoredPolicy? Policy, MeasureSchedule? Schedule);

    /// <summary>Running courses whose version is not the one in force for their committee today, and what that version makes of them.</summary>
    private async Task<List<Plan>> PlanAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken)
    {
        var running = await db.ControlMeasures.Where(m => m.State == MeasureState.Active && m.EndDay >= today && m.SupersededBy == null)
            .Select(m => m.CourseId).Distinct().ToListAsync(cancellationToken);
        var stages = new List<ControlMeasure>();
        foreach (var chunk in running.Chunk(500))
            stages.AddRange(await db.ControlMeasures.Where(m => chunk.Contains(m.CourseId) && m.State == MeasureState.Active).ToListAsync(cancellationToken));
        var names = new Dictionary<Guid, string>();
        foreach (var chunk in stages.Select(s => s.PersonId).Distinct().Chunk(500))
            foreach (var p in await db.Persons.Where(p => chunk.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken)) names[p.Id] = p.Name;

        var policies = new Dictionary<long, StoredPolicy?>();
        var plans = new List<Plan>();
        foreach (var course in stages.GroupBy(s => s.CourseId))
        {
            var list = course.OrderBy(s => s.StageIndex).ToList();
            var first = list[0];
            if (!policies.TryGetValue(first.CommunityCode, out var policy))
                policies[first.CommunityCode] = policy = (await PolicyLookup.ForCommunityAsync(db, first.CommunityCode, today, cancellationToken))?.Policy;
            if (policy is null || policy.Id == first.PolicyId) continue;
            var oldPlan = list.Select(s => new StagePlan(s.Kind, s.StartDay, s.EndDay, [.. s.TestDates])).ToList();
            var rule = policy.ToVersion().RuleFor(first.Category);
            var schedule = rule is null ? null : MeasureSchedule.Compute(rule, first.AnchorDay, first.IdentifiedDay);
            var outcome = schedule is null || schedule.IsEnded || schedule.LastDay < today ? RecomputeOutcome.Ended : RecomputeOutcome.Replaced;
            List<StagePlan> newPlan = outcome == RecomputeOutcome.Ended ? [] : [.. schedule!.Stages.Where(s => !s.IsElapsed)
                .Select(s => new StagePlan(s.Kind, s.ServedFrom!.Value, s.LastDay, [.. s.Tests.Where(t => !t.Elapsed).Select(t => t.Date)]))];
            // Nothing would change for the person: leave the course as it is.
            if (outcome == RecomputeOutcome.Replaced && newPlan.Count == oldPlan.Count && newPlan.Zip(oldPlan).All(p =>
                p.First.Kind == p.Second.Kind && p.First.StartDay == p.Second.StartDay && p.First.EndDay == p.Second.EndDay && p.First.TestDates.SequenceEqual(p.Second.TestDates)))
                continue;
            var item = new RecomputeItem(course.Key, first.PersonId, names.GetValueOrDefault(first.PersonId, ""), MeasureQueries.Code(first.CommunityCode), first.Category,
                first.PolicyCode, policy.Code, policy.Name, outcome, list[^1].EndDay, schedule?.LastDay, oldPlan, newPlan);
            plans.Add(new Plan(item, list, outcome == RecomputeOutcome.Replaced ? policy : null, outcome == RecomputeOutcome.Replaced ? schedule : null));
        }
        return [.. plans.OrderBy(p => p.Item.CommunityCode).ThenBy(p => p.Item.PersonName)];
    }

    internal async Task<CourseItem?> CourseAsync(AppDbContext db, Guid courseId, CancellationToken cancellationToken)
    {
        var restriction = await db.Restrictions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == courseId, cancellationToken);
        if (restriction is null) return null;
        var stages = await db.ControlMeasures.AsNoTracking().IgnoreQueryFilters().Where(m => m.CourseId == courseId).ToListAsync(cancellationToken);
        var name = await db.Persons.Where(p => p.Id == restriction.PersonId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken);
        return stages.Count == 0 || name is null ? null : CourseItem.From(restriction, name, stages, clock.Today());
    }
}
