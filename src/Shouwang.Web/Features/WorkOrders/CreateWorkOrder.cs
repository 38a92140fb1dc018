using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.People;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.WorkOrders;

/// <summary>
/// A new order. With a person or household as subject, the community and grid are theirs; otherwise
/// <see cref="CommunityCode"/> (and optionally <see cref="GridId"/>) say where. Without <see cref="DueAt"/> the deadline is 24 hours.
/// </summary>
public sealed record WorkOrderInput
{
    public WorkOrderSource Source { get; init; } = WorkOrderSource.Other;
    public UrgentNeed Need { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public Guid? PersonId { get; init; }
    public Guid? HouseholdId { get; init; }
    public string? Place { get; init; }
    public string? CommunityCode { get; init; }
    public Guid? GridId { get; init; }
    public DateTime? DueAt { get; init; }
}

public sealed record SavedWorkOrder(Guid Id, string Number, WorkOrderStatus Status);

public sealed class CreateWorkOrder(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<WorkOrdersResource> l)
{
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromHours(24);

    public async Task<Outcome<SavedWorkOrder>> HandleAsync(WorkOrderInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var caller = db.Caller;
        if (!caller.Can(Permission.HandleWorkOrders)) return new Outcome<SavedWorkOrder>.Forbidden(l["Error.CannotCreate"]);
        var now = clock.UtcNow;
        var errors = new FieldErrors();
        var title = TextNormalizer.CleanText(input.Title);
        if (title.Length == 0) errors.Add(nameof(input.Title), l["Error.TitleRequired"]);
        else if (title.Length > 100) errors.Add(nameof(input.Title), l["Error.TooLong", 100]);
        var description = input.Description?.Trim();
        if (description?.Length > 2000) errors.Add(nameof(input.Description), l["Error.TooLong", 2000]);
        var place = TextNormalizer.CleanText(input.Place);
        if (place.Length > 200) errors.Add(nameof(input.Place), l["Error.TooLong", 200]);
        if (!Enum.IsDefined(input.Source)) errors.Add(nameof(input.Source), l["Error.SourceUnknown"]);
        if (!Enum.IsDefined(input.Need)) errors.Add(nameof(input.Need), l["Error.NeedUnknown"]);
        var dueAt = input.DueAt is { } due ? WorkOrderAccess.AsUtc(due) : now + DefaultTimeLimit;
        if (dueAt <= now) errors.Add(nameof(input.DueAt), l["Error.DueInPast"]);

        var subject = WorkOrderSubject.None;
        long? community = null;
        Guid? grid = null;
        if (input.PersonId is { } personId)
        {
            var person = await db.Persons.AsNoTracking().Where(p => p.Id == personId)
                .Select(p => new { p.CommunityCode, p.GridId, p.HouseholdId }).FirstOrDefaultAsync(cancellationToken);
            if (person is null) errors.Add(nameof(input.PersonId), l["Error.PersonUnknown"]);
            else (subject, community, grid) = (WorkOrderSubject.Person, person.CommunityCode, person.GridId);
        }
        else if (input.HouseholdId is { } householdId)
        {
            var household = await db.Households.AsNoTracking().Where(h => h.Id == householdId)
                .Select(h => new { h.CommunityCode, h.GridId }).FirstOrDefaultAsync(cancellationToken);
            if (household is null) errors.Add(nameof(input.HouseholdId), l["Error.HouseholdUnknown"]);
            else (subject, community, grid) = (WorkOrderSubject.Household, household.CommunityCode, household.GridId);
        }
        else
        {
            community = await db.FindCommitteeAsync(input.CommunityCode, cancellationToken);
            if (community is null) errors.Add(nameof(input.CommunityCode), l["Error.CommunityRequired"]);
            else if (input.GridId is { } gridId)
            {
                if (!await db.Grids.AnyAsync(g => g.Id == gridId && g.CommunityCode == community, cancellationToken))
                    errors.Add(nameof(input.GridId), l["Error.GridNotInCommunity"]);
                grid = gridId;
            }
            // A grid worker's own orders belong to their grid, or they could not see them.
            grid ??= caller.GridId;
            if (place.Length > 0) subject = WorkOrderSubject.Place;
        }
        if (errors.Any) return errors.ToOutcome<SavedWorkOrder>();

        for (var attempt = 1; ; attempt++)
        {
            var order = new WorkOrder
            {
                Number = WorkOrderNumbers.New(clock.Today()), Source = input.Source, Need = input.Need, Title = title,
                Description = string.IsNullOrEmpty(description) ? null : description, SubjectKind = subject, PersonId = input.PersonId,
                HouseholdId = input.PersonId is null ? input.HouseholdId : null, Place = place.Length > 0 ? place : null,
                CommunityCode = community!.Value, GridId = grid, DueAt = dueAt, Status = WorkOrderStatus.Pending,
                CreatedBy = caller.AccountId, CreatedAt = now, UpdatedAt = now,
            };
            db.WorkOrders.Add(order);
            db.WorkOrderEvents.Add(new WorkOrderEvent { WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Created, AccountId = caller.AccountId, Actor = caller.Name });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new SavedWorkOrder(order.Id, order.Number, order.Status);
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // Two orders drew the same number the same day: draw again. Any other failure is not ours to hide.
                if (!await NumberTakenAsync(order.Number, cancellationToken)) throw;
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<bool> NumberTakenAsync(string number, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WorkOrders.IgnoreQueryFilters().AnyAsync(w => w.Number == number, cancellationToken);
    }
}
