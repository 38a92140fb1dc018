using System.Text.RegularExpressions;
using Shouwang.Domain.WorkOrders;

namespace Shouwang.Domain.Tests.WorkOrders;

public class WorkOrderTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 8, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan TwoHours = TimeSpan.FromHours(2);

    private static WorkOrder NewOrder() => new() { Number = "GD261123-00000", Title = "上门采样", DueAt = Now.AddHours(4), CommunityCode = 430202005001 };

    [Fact]
    public void Goes_pending_assigned_accepted_done()
    {
        var order = NewOrder();
        var grid = Guid.NewGuid();

        Assert.Equal(WorkOrderChange.Done, order.Assign(grid, null, null, Now));
        Assert.Equal((WorkOrderStatus.Assigned, grid), (order.Status, order.AssigneeGridId));
        Assert.Equal(WorkOrderChange.Done, order.Accept(Now));
        Assert.Equal(WorkOrderStatus.Accepted, order.Status);
        Assert.Equal(WorkOrderChange.Done, order.Finish("已采样送检", Now.AddHours(1)));
        Assert.Equal(WorkOrderStatus.Done, order.Status);
        Assert.Equal("已采样送检", order.Resolution);
        Assert.Equal(Now.AddHours(1), order.DoneAt);
    }

    [Theory]
    [InlineData(true, false, false, WorkOrderChange.Done)]
    [InlineData(false, true, false, WorkOrderChange.Done)]
    [InlineData(false, false, true, WorkOrderChange.Done)]
    [InlineData(false, false, false, WorkOrderChange.OneAssigneeRequired)]
    [InlineData(true, true, false, WorkOrderChange.OneAssigneeRequired)]
    [InlineData(true, true, true, WorkOrderChange.OneAssigneeRequired)]
    public void Assign_takes_exactly_one_assignee(bool grid, bool team, bool account, WorkOrderChange expected)
    {
        var order = NewOrder();
        var result = order.Assign(grid ? Guid.NewGuid() : null, team ? Guid.NewGuid() : null, account ? Guid.NewGuid() : null, Now);
        Assert.Equal(expected, result);
        Assert.Equal(expected == WorkOrderChange.Done ? WorkOrderStatus.Assigned : WorkOrderStatus.Pending, order.Status);
    }

    [Fact]
    public void Reassign_replaces_the_assignee_and_returns_to_assigned()
    {
        var order = NewOrder();
        order.Assign(Guid.NewGuid(), null, null, Now);
        order.Accept(Now);
        var account = Guid.NewGuid();

        Assert.Equal(WorkOrderChange.Done, order.Assign(null, null, account, Now));
        Assert.Equal(WorkOrderStatus.Assigned, order.Status);
        Assert.Null(order.AssigneeGridId);
        Assert.Equal(account, order.AssigneeAccountId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void SendBack_needs_a_reason(string? reason)
    {
        var order = NewOrder();
        order.Assign(Guid.NewGuid(), null, null, Now);
        Assert.Equal(WorkOrderChange.ReasonRequired, order.SendBack(reason, Now));
        Assert.Equal(WorkOrderStatus.Assigned, order.Status);
        Assert.True(order.HasAssignee);
    }

    [Fact]
    public void SendBack_returns_to_pending_without_assignee()
    {
        var order = NewOrder();
        order.Assign(null, Guid.NewGuid(), null, Now);
        order.Accept(Now);

        Assert.Equal(WorkOrderChange.Done, order.SendBack(" 不属本网格 ", Now));
        Assert.Equal(WorkOrderStatus.Pending, order.Status);
        Assert.False(order.HasAssignee);
        Assert.Equal("不属本网格", order.SentBackReason);
    }

    [Fact]
    public void Wrong_states_change_nothing()
    {
        var order = NewOrder();
        Assert.Equal(WorkOrderChange.NotAssigned, order.Accept(Now));
        Assert.Equal(WorkOrderChange.NotAssigned, order.SendBack("x", Now));
        Assert.Equal(WorkOrderChange.NotAssigned, order.Finish("x", Now));
        order.Assign(Guid.NewGuid(), null, null, Now);
        Assert.Equal(WorkOrderChange.NotAccepted, order.Finish("x", Now));
        order.Accept(Now);
        Assert.Equal(WorkOrderChange.AlreadyAccepted, order.Accept(Now));
        Assert.Equal(WorkOrderChange.ResolutionRequired, order.Finish(" ", Now));
        order.Finish("ok", Now);
        Assert.Equal(WorkOrderChange.AlreadyDone, order.Assign(Guid.NewGuid(), null, null, Now));
        Assert.Equal(WorkOrderChange.AlreadyDone, order.SendBack("x", Now));
        Assert.Equal(WorkOrderStatus.Done, order.Status);
    }

    [Fact]
    public void Escalates_one_level_per_period_past_the_deadline()
    {
        var order = NewOrder();
        var due = order.DueAt;

        Assert.False(order.Escalate(due.AddHours(1), TwoHours));
        Assert.True(order.IsOverdue(due.AddHours(1)));
        Assert.True(order.Escalate(due.AddHours(2), TwoHours));
        Assert.Equal(1, order.EscalationLevel);
        Assert.False(order.Escalate(due.AddHours(3), TwoHours));
        Assert.True(order.Escalate(due.AddHours(4), TwoHours));
        Assert.Equal(2, order.EscalationLevel);
        Assert.False(order.Escalate(due.AddHours(40), TwoHours));
        Assert.Equal(2, order.EscalationLevel);
    }

    [Fact]
    public void Done_orders_never_escalate()
    {
        var order = NewOrder();
        order.Assign(Guid.NewGuid(), null, null, Now);
        order.Accept(Now);
        order.Finish("ok", Now);
        Assert.False(order.Escalate(order.DueAt.AddDays(3), TwoHours));
        Assert.False(order.IsOverdue(order.DueAt.AddDays(3)));
        Assert.Equal(0, order.EscalationLevel);
    }

    [Fact]
    public void Numbers_carry_the_local_day_and_five_crockford_characters()
    {
        var numbers = Enumerable.Range(0, 200).Select(_ => WorkOrderNumbers.New(new DateOnly(2026, 11, 23))).ToList();
        Assert.All(numbers, n => Assert.Matches(new Regex("^GD261123-[0-9A-HJKMNP-TV-Z]{5}$"), n));
        Assert.True(numbers.Distinct().Count() > 190);
    }
}
