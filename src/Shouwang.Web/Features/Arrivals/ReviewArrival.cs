using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Measures;
using Shouwang.Web.Features.Policies;
using Shouwang.Web.Features.Restrictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Arrivals;

/// <summary>Staff's decision on a report: the person (in the registry, or added to a household now), and the category if not the proposed one.</summary>
public sealed record ConfirmArrivalInput
{
    /// <summary>The registry person; defaults to the one matched by document number.</summary>
    public Guid? PersonId { get; set; }
    /// <summary>When the person is not in the registry: the household they stay in, where they are added.</summary>
    public Guid? HouseholdId { get; set; }
    /// <summary>Overrides the proposal.</summary>
    public PersonCategory? Category { get; set; }
    /// <summary>Day 0; defaults to the day they left for rules counted from leaving the area, to the arrival day otherwise.</summary>
    public DateOnly? AnchorDay { get; set; }
    public string? Reason { get; set; }
}

public sealed record ArrivalNoteInput
{
    public string? Note { get; set; }
}

public sealed class ReviewArrival(IDbContextFactory<AppDbContext> dbFactory, IssueMeasure issue, LocalClock clock, IStringLocalizer<ArrivalsResource> l)
{
    public const int MaxNoteLength = 500;

    public async Task<Outcome<ArrivalDetail>> ConfirmAsync(Guid id, ConfirmArrivalInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var report = await db.ArrivalReports.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (report is null) return new Outcome<ArrivalDetail>.NotFound(l["Error.ReportNotFound"]);
        if (report.State != ArrivalState.Submitted) return new Outcome<ArrivalDetail>.Conflict(l["Error.AlreadyReviewed"]);

        var errors = new FieldErrors();
        var category = input.Category ?? report.ProposedCategory;
        if (category is null) errors.Add(nameof(input.Category), l["Error.CategoryRequired"]);
        else if (!Enum.IsDefined(category.Value)) errors.Add(nameof(input.Category), l["Error.CategoryInvalid"]);
        if (input.PersonId is null && input.HouseholdId is null && report.PersonId is null) errors.Add(nameof(input.PersonId), l["Error.PersonOrHouseholdRequired"]);
        if (errors.Any) return errors.ToOutcome<ArrivalDetail>();

        // A person added to a household is saved first (the course looks them up), all in one transaction with the course.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Guid personId;
        if (input.PersonId is { } chosen)
        {
            if (!await db.Persons.AnyAsync(p => p.Id == chosen, cancellationToken))
            {
                errors.Add(nameof(input.PersonId), l["Error.PersonNotFound"]);
                return errors.ToOutcome<ArrivalDetail>();
            }
            personId = chosen;
        }
        else if (input.HouseholdId is { } householdId)
        {
            var household = await db.Households.FirstOrDefaultAsync(h => h.Id == householdId, cancellationToken);
            if (household is null)
            {
                errors.Add(nameof(input.HouseholdId), l["Error.HouseholdNotFound"]);
                return errors.ToOutcome<ArrivalDetail>();
            }
            // Someone with this document elsewhere in the registry is that person (moved here), not a second row.
            var existing = await db.Persons.IgnoreQueryFilters().AnyAsync(p => p.DocumentType == report.DocumentType && p.DocumentNumber == report.DocumentNumber, cancellationToken);
            if (existing)
            {
                errors.Add(nameof(input.HouseholdId), l["Error.PersonAlreadyRegistered"]);
                return errors.ToOutcome<ArrivalDetail>();
            }
            var now = clock.UtcNow;
            var person = new Person { DocumentNumber = report.DocumentNumber, Name = report.Name, Phone = report.Phone, ResidenceType = ResidenceType.Temporary, CreatedAt = now, UpdatedAt = now };
            person.SetDocument(report.DocumentType, report.DocumentNumber);
            person.MoveTo(household, RelationToHead.Other);
            db.Persons.Add(person);
            await db.SaveChangesAsync(cancellationToken);
            personId = person.Id;
        }
        else personId = report.PersonId!.Value;

        var today = clock.Today();
        var outcome = await AddMeasureAsync(db, issue, report, personId, category!.Value, input.AnchorDay, input.Reason, today, cancellationToken);
        switch (outcome)
        {
            case Outcome<CourseItem>.Success course:
                var caller = db.Caller;
                report.PersonId = personId;
                report.State = ArrivalState.MeasureIssued;
                report.CourseId = course.Value.Id;
                report.ReviewedBy = caller.AccountId;
                report.ReviewedByName = caller.Name;
                report.ReviewedAt = clock.UtcNow;
                report.ReviewNote = string.IsNullOrWhiteSpace(input.Reason) ? null : input.Reason.Trim();
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return await ArrivalQueries.DetailAsync(db, report.Id, cancellationToken) is { } detail ? detail : new Outcome<ArrivalDetail>.NotFound(l["Error.ReportNotFound"]);
            case Outcome<CourseItem>.Invalid invalid:
                return new Outcome<ArrivalDetail>.Invalid(invalid.Errors);
            case Outcome<CourseItem>.NotFound:
                errors.Add(nameof(input.PersonId), l["Error.PersonNotFound"]);
                return errors.ToOutcome<ArrivalDetail>();
            case Outcome<CourseItem>.Conflict c:
                return new Outcome<ArrivalDetail>.Conflict(c.Message);
            default:
                return new Outcome<ArrivalDetail>.Forbidden(l["Error.ReportNotFound"]);
        }
    }

    public Task<Outcome<ArrivalDetail>> NoMeasureAsync(Guid id, ArrivalNoteInput input, CancellationToken cancellationToken = default) =>
        CloseAsync(id, input, ArrivalState.NoMeasureNeeded, cancellationToken);

    public Task<Outcome<ArrivalDetail>> DismissAsync(Guid id, ArrivalNoteInput input, CancellationToken cancellationToken = default) =>
        CloseAsync(id, input, ArrivalState.Dismissed, cancellationToken);

    private async Task<Outcome<ArrivalDetail>> CloseAsync(Guid id, ArrivalNoteInput input, ArrivalState state, CancellationToken cancellationToken)
    {
        var note = input.Note?.Trim() ?? "";
        var errors = new FieldErrors();
        if (note.Length == 0) errors.Add(nameof(input.Note), l["Error.NoteRequired"]);
        else if (note.Length > MaxNoteLength) errors.Add(nameof(input.Note), l["Error.TooLong", MaxNoteLength]);
        if (errors.Any) return errors.ToOutcome<ArrivalDetail>();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var report = await db.ArrivalReports.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (report is null) return new Outcome<ArrivalDetail>.NotFound(l["Error.ReportNotFound"]);
        if (report.State != ArrivalState.Submitted) return new Outcome<ArrivalDetail>.Conflict(l["Error.AlreadyReviewed"]);
        var caller = db.Caller;
        report.State = state;
        report.ReviewNote = note;
        report.ReviewedBy = caller.AccountId;
        report.ReviewedByName = caller.Name;
        report.ReviewedAt = clock.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        return (await ArrivalQueries.DetailAsync(db, id, cancellationToken))!;
    }

    /// <summary>
    /// Adds the course for <paramref name="category"/> to <paramref name="db"/> (not saved), basis 来返报备 with the report's number. Day 0
    /// defaults to the rule's anchor (leaving the area or arrival); the person counts as found on the later of the report and the arrival.
    /// </summary>
    public static async Task<Outcome<CourseItem>> AddMeasureAsync(AppDbContext db, IssueMeasure issue, ArrivalReport report, Guid personId, PersonCategory category,
        DateOnly? anchorDay, string? reason, DateOnly today, CancellationToken cancellationToken)
    {
        var reported = LocalClock.DayOf(new DateTimeOffset(DateTime.SpecifyKind(report.CreatedAt, DateTimeKind.Utc)));
        var identified = reported > report.ArrivedOn ? reported : report.ArrivedOn;
        if (identified > today) identified = today;
        if (anchorDay is null)
        {
            var rule = await PolicyLookup.ForCommunityAsync(db, report.CommunityCode, identified, cancellationToken) is var (policy, _) ? policy.ToVersion().RuleFor(category) : null;
            anchorDay = rule?.Anchor == PeriodAnchor.LeftArea ? report.LeftOn : report.ArrivedOn;
        }
        var text = string.IsNullOrWhiteSpace(reason)
            ? $"来返报备 {report.Number}：{report.LeftOn:yyyy-MM-dd}离开{report.OriginName}，{report.ArrivedOn:yyyy-MM-dd}抵达"
            : reason.Trim();
        return await issue.AddAsync(db, personId, new IssueMeasureInput
        {
            Category = category, AnchorDay = anchorDay, IdentifiedDay = identified, Reason = text.Length > RequestRestriction.MaxReasonLength ? text[..RequestRestriction.MaxReasonLength] : text,
            Basis = RestrictionBasis.Arrival, BasisReference = report.Number,
        }, cancellationToken);
    }
}
