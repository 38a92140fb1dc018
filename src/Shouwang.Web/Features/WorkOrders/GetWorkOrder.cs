using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.People;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.WorkOrders;

public sealed record WorkOrderEventItem(DateTime At, WorkOrderEventKind Kind, string Actor, string? Text, string? Assignee);

/// <summary>An order as its page shows it: reporter phone masked, subject by name or address only.</summary>
public sealed record WorkOrderDetails(
    Guid Id, string Number, WorkOrderSource Source, UrgentNeed Need, string Title, string? Description, WorkOrderSubject SubjectKind,
    Guid? PersonId, Guid? HouseholdId, string? Subject, string? Place, string CommunityCode, string? CommunityName, Guid? GridId, string? GridName,
    Guid? AssigneeGridId, Guid? AssigneeTeamId, Guid? AssigneeAccountId, string? Assignee, DateTime DueAt, WorkOrderStatus Status, bool IsOverdue,
    int EscalationLevel, DateTime? EscalatedAt, string? SentBackReason, string? Resolution, string? ReporterName, string? ReporterPhoneMasked,
    bool IsPublic, DateTime CreatedAt, DateTime UpdatedAt, DateTime? DoneAt, IReadOnlyList<WorkOrderEventItem> Events, WorkOrderAbilities Can);

public sealed class GetWorkOrder(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, IStringLocalizer<WorkOrdersResource> l)
{
    public async Task<Outcome<WorkOrderDetails>> HandleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var w = await db.WorkOrders.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (w is null) return new Outcome<WorkOrderDetails>.NotFound(l["Error.NotFound"]);
        var names = await WorkOrderNames.LoadAsync(db, [w], cancellationToken);
        var events = await db.WorkOrderEvents.AsNoTracking().Where(e => e.WorkOrderId == id).OrderBy(e => e.At).ThenBy(e => e.Kind)
            .Select(e => new WorkOrderEventItem(e.At, e.Kind, e.Actor, e.Text, e.Assignee)).ToListAsync(cancellationToken);
        var can = await WorkOrderAccess.AbilitiesAsync(db, w, cancellationToken);
        return new WorkOrderDetails(
            w.Id, w.Number, w.Source, w.Need, w.Title, w.Description, w.SubjectKind, w.PersonId, w.HouseholdId, names.Subject(w), w.Place,
            w.CommunityCode.ToString(), names.Community(w.CommunityCode), w.GridId, names.Grid(w.GridId), w.AssigneeGridId, w.AssigneeTeamId,
            w.AssigneeAccountId, names.Assignee(w), w.DueAt, w.Status, w.IsOverdue(time.GetUtcNow().UtcDateTime), w.EscalationLevel, w.EscalatedAt,
            w.SentBackReason, w.Resolution, w.ReporterName, w.ReporterPhone is null ? null : PhoneNumber.Mask(w.ReporterPhone), w.IsPublic,
            w.CreatedAt, w.UpdatedAt, w.DoneAt, events, can);
    }
}
