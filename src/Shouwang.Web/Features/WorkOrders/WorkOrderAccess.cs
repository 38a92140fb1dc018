using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Web.Features.WorkOrders;

/// <summary>Who holds an order, and so may accept, send back or finish it.</summary>
public static class WorkOrderAccess
{
    /// <summary>
    /// The assigned account itself, a member of the assigned team, an account bound to the assigned grid, or (for grid
    /// orders) a dispatcher above the grid whose jurisdiction holds the order's community.
    /// </summary>
    public static async Task<bool> HoldsAsync(AppDbContext db, WorkOrder order, CancellationToken cancellationToken)
    {
        var caller = db.Caller;
        if (caller.IsSystem) return true;
        if (caller.AccountId is not { } me) return false;
        if (order.AssigneeAccountId == me) return true;
        if (order.AssigneeGridId is { } grid)
            return caller.GridId == grid || caller.GridId is null && caller.Can(Permission.DispatchWorkOrders) && caller.Covers(order.CommunityCode);
        if (order.AssigneeTeamId is { } team)
            return await db.TeamMembers.AnyAsync(m => m.TeamId == team && m.AccountId == me, cancellationToken);
        return false;
    }

    public static async Task<WorkOrderAbilities> AbilitiesAsync(AppDbContext db, WorkOrder order, CancellationToken cancellationToken)
    {
        var caller = db.Caller;
        var handles = caller.Can(Permission.HandleWorkOrders);
        var holds = handles && await HoldsAsync(db, order, cancellationToken);
        return new WorkOrderAbilities(
            Assign: caller.Can(Permission.DispatchWorkOrders) && order.Status != WorkOrderStatus.Done,
            Accept: holds && order.Status == WorkOrderStatus.Assigned,
            SendBack: holds && order.Status is WorkOrderStatus.Assigned or WorkOrderStatus.Accepted,
            Finish: holds && order.Status == WorkOrderStatus.Accepted,
            Comment: handles);
    }

    /// <summary>Instants from clients: UTC when marked, otherwise taken as UTC (the console converts local times itself).</summary>
    public static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}

public sealed record WorkOrderAbilities(bool Assign, bool Accept, bool SendBack, bool Finish, bool Comment);
