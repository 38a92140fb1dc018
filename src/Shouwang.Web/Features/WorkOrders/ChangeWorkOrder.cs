using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.WorkOrders;

/// <summary>Exactly one of grid, team or account, all of the order's community.</summary>
public sealed record AssignInput(Guid? GridId = null, Guid? TeamId = null, Guid? AccountId = null, DateTime? DueAt = null);

public sealed record SendBackInput(string? Reason);

public sealed record FinishInput(string? Resolution);

public sealed record CommentInput(string? Text);

/// <summary>Every step of an order after its creation; each writes one history event in the same transaction.</summary>
public sealed class ChangeWorkOrder(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, IStringLocalizer<WorkOrdersResource> l)
{
    public Task<Outcome<SavedWorkOrder>> AssignAsync(Guid id, AssignInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, Permission.DispatchWorkOrders, holderOnly: false, async (db, order, now) =>
        {
            var errors = new FieldErrors();
            string? assignee = null;
            var given = (input.GridId is null ? 0 : 1) + (input.TeamId is null ? 0 : 1) + (input.AccountId is null ? 0 : 1);
            var community = order.CommunityCode;
            if (given != 1) errors.Add(nameof(input.GridId), l["Error.OneAssignee"]);
            else if (input.GridId is { } gridId)
            {
                assignee = await db.Grids.Where(g => g.Id == gridId && g.CommunityCode == community).Select(g => g.Name).FirstOrDefaultAsync(cancellationToken);
                if (assignee is null) errors.Add(nameof(input.GridId), l["Error.GridNotInCommunity"]);
            }
            else if (input.TeamId is { } teamId)
            {
                assignee = await db.Teams.Where(t => t.Id == teamId && t.CommunityCode == community).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
                if (assignee is null) errors.Add(nameof(input.TeamId), l["Error.TeamNotInCommunity"]);
            }
            else if (input.AccountId is { } accountId)
            {
                assignee = await db.Users.Where(u => u.Id == accountId && u.NodeMin <= community && u.NodeMax >= community && !u.IsDisabled)
                    .Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);
                if (assignee is null) errors.Add(nameof(input.AccountId), l["Error.AccountNotInCommunity"]);
            }
            var dueAt = input.DueAt is { } due ? WorkOrderAccess.AsUtc(due) : (DateTime?)null;
            if (dueAt <= now) errors.Add(nameof(input.DueAt), l["Error.DueInPast"]);
            if (errors.Any) return (errors, null);

            var kind = order.HasAssignee ? WorkOrderEventKind.Reassigned : WorkOrderEventKind.Assigned;
            var change = order.Assign(input.GridId, input.TeamId, input.AccountId, now);
            if (change == WorkOrderChange.Done && dueAt is { } newDue && newDue != order.DueAt)
            {
                order.DueAt = newDue;
                // A new deadline (in the future, checked above) starts the clock again.
                order.EscalationLevel = 0;
            }
            return (change, new Step(kind, null, assignee));
        }, cancellationToken);

    public Task<Outcome<SavedWorkOrder>> AcceptAsync(Guid id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, Permission.HandleWorkOrders, holderOnly: true, (_, order, now) =>
            Task.FromResult<(object, Step?)>((order.Accept(now), new Step(WorkOrderEventKind.Accepted, null, null))), cancellationToken);

    public Task<Outcome<SavedWorkOrder>> SendBackAsync(Guid id, SendBackInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, Permission.HandleWorkOrders, holderOnly: true, (_, order, now) =>
        {
            var reason = input.Reason?.Trim();
            if (reason?.Length > 500) return Task.FromResult<(object, Step?)>((Error(nameof(input.Reason), l["Error.TooLong", 500]), null));
            return Task.FromResult<(object, Step?)>((order.SendBack(reason, now), new Step(WorkOrderEventKind.SentBack, reason, null)));
        }, cancellationToken);

    public Task<Outcome<SavedWorkOrder>> FinishAsync(Guid id, FinishInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, Permission.HandleWorkOrders, holderOnly: true, (_, order, now) =>
        {
            var resolution = input.Resolution?.Trim();
            if (resolution?.Length > 2000) return Task.FromResult<(object, Step?)>((Error(nameof(input.Resolution), l["Error.TooLong", 2000]), null));
            return Task.FromResult<(object, Step?)>((order.Finish(resolution, now), new Step(WorkOrderEventKind.Done, resolution, null)));
        }, cancellationToken);

    public Task<Outcome<SavedWorkOrder>> CommentAsync(Guid id, CommentInput input, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, Permission.HandleWorkOrders, holderOnly: false, (_, order, now) =>
        {
            var text = input.Text?.Trim();
            object result = string.IsNullOrEmpty(text) ? Error(nameof(input.Text), l["Error.CommentRequired"])
                : text.Length > 2000 ? Error(nameof(input.Text), l["Error.TooLong", 2000])
                : WorkOrderChange.Done;
            if (result is WorkOrderChange.Done) order.UpdatedAt = now;
            return Task.FromResult<(object, Step?)>((result, new Step(WorkOrderEventKind.Commented, text, null)));
        }, cancellationToken);

    private sealed record Step(WorkOrderEventKind Kind, string? Text, string? Assignee);

    private static FieldErrors Error(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return errors;
    }

    /// <summary>
    /// Loads the order (not found outside the caller's jurisdiction), checks the permission and, for the holder's steps, that
    /// the caller holds it; then applies the change, which answers field errors or a <see cref="WorkOrderChange"/>.
    /// </summary>
    private async Task<Outcome<SavedWorkOrder>> ChangeAsync(Guid id, Permission permission, bool holderOnly,
        Func<AppDbContext, WorkOrder, DateTime, Task<(object Result, Step? Step)>> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var order = await db.WorkOrders.FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (order is null) return new Outcome<SavedWorkOrder>.NotFound(l["Error.NotFound"]);
        var caller = db.Caller;
        if (!caller.Can(permission)) return new Outcome<SavedWorkOrder>.Forbidden(l["Error.NotAllowed"]);
        if (holderOnly && !await WorkOrderAccess.HoldsAsync(db, order, cancellationToken)) return new Outcome<SavedWorkOrder>.Forbidden(l["Error.NotHolder"]);

        var now = time.GetUtcNow().UtcDateTime;
        var (result, step) = await change(db, order, now);
        switch (result)
        {
            case FieldErrors errors: return errors.ToOutcome<SavedWorkOrder>();
            case WorkOrderChange.ReasonRequired: return Error(nameof(SendBackInput.Reason), l["Error.ReasonRequired"]).ToOutcome<SavedWorkOrder>();
            case WorkOrderChange.ResolutionRequired: return Error(nameof(FinishInput.Resolution), l["Error.ResolutionRequired"]).ToOutcome<SavedWorkOrder>();
            case WorkOrderChange.OneAssigneeRequired: return Error(nameof(AssignInput.GridId), l["Error.OneAssignee"]).ToOutcome<SavedWorkOrder>();
            case WorkOrderChange.Done: break;
            case WorkOrderChange other: return new Outcome<SavedWorkOrder>.Conflict(l[$"Error.State.{other}"]);
        }
        db.WorkOrderEvents.Add(new WorkOrderEvent
        {
            WorkOrderId = order.Id, At = now, Kind = step!.Kind, AccountId = caller.AccountId, Actor = caller.Name, Text = step.Text, Assignee = step.Assignee,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new SavedWorkOrder(order.Id, order.Number, order.Status);
    }
}
