using Shouwang.Domain.Restrictions;

namespace Shouwang.Domain.Tests.Restrictions;

public class RestrictionTests
{
    private static readonly Guid Requester = Guid.NewGuid();
    private static readonly Guid Approver = Guid.NewGuid();
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly DateTime Now = new(2026, 11, 23, 2, 0, 0, DateTimeKind.Utc);

    private static Restriction Make(RestrictionState state = RestrictionState.PendingApproval, RestrictionKind kind = RestrictionKind.StatusColour,
        StatusColour? colour = StatusColour.Red, DateOnly? until = null) => new()
    {
        PersonId = Guid.NewGuid(), Kind = kind, Colour = kind == RestrictionKind.StatusColour ? colour : null, Reason = "密接的同住人",
        Basis = RestrictionBasis.Other, State = state, RequestedBy = Requester, RequestedByName = "申请人", RequestedAt = Now, Until = until,
    };

    [Theory]
    [InlineData(RestrictionBasis.Case, true, RestrictionState.Active)]
    [InlineData(RestrictionBasis.Contact, true, RestrictionState.Active)]
    [InlineData(RestrictionBasis.RiskArea, true, RestrictionState.Active)]
    [InlineData(RestrictionBasis.Case, false, RestrictionState.PendingApproval)]
    [InlineData(RestrictionBasis.Other, true, RestrictionState.PendingApproval)]
    [InlineData(RestrictionBasis.Other, false, RestrictionState.PendingApproval)]
    public void A_verified_record_basis_takes_effect_at_once_anything_else_waits(RestrictionBasis basis, bool verified, RestrictionState expected) =>
        Assert.Equal(expected, Restriction.InitialState(basis, verified));

    [Fact]
    public void Only_other_basis_needs_a_second_person()
    {
        Assert.True(Restriction.NeedsSecondApproval(RestrictionBasis.Other));
        Assert.False(Restriction.NeedsSecondApproval(RestrictionBasis.Case));
    }

    [Fact]
    public void The_requester_cannot_decide_their_own_request()
    {
        var r = Make();
        Assert.False(r.CanBeDecidedBy(Requester));
        Assert.False(r.CanBeDecidedBy(null));
        Assert.True(r.CanBeDecidedBy(Approver));
        Assert.Throws<InvalidOperationException>(() => r.Approve(Requester, "申请人", Now, null));
        Assert.Equal(RestrictionState.PendingApproval, r.State);
    }

    [Fact]
    public void Approval_makes_it_active_and_records_the_decider()
    {
        var r = Make();
        r.Approve(Approver, "审批人", Now, "同意");
        Assert.Equal(RestrictionState.Active, r.State);
        Assert.Equal(Approver, r.DecidedBy);
        Assert.Equal(Now, r.DecidedAt);
        Assert.Throws<InvalidOperationException>(() => r.Reject(Approver, "审批人", Now, "再议"));
    }

    [Fact]
    public void Only_an_active_restriction_can_be_lifted()
    {
        var pending = Make();
        Assert.Throws<InvalidOperationException>(() => pending.Lift(Approver, "x", Now, "解除"));
        var active = Make(RestrictionState.Active);
        active.Lift(Approver, "x", Now, "核酸阴性");
        Assert.Equal(RestrictionState.Lifted, active.State);
        Assert.False(active.IsInForce(Today));
    }

    [Fact]
    public void Status_colour_is_the_most_severe_in_force_and_green_by_default()
    {
        Assert.Equal(StatusColour.Green, Restriction.ColourInForce([], Today));
        Restriction[] list =
        [
            Make(RestrictionState.Active, colour: StatusColour.Yellow),
            Make(RestrictionState.PendingApproval, colour: StatusColour.Red),
            Make(RestrictionState.Active, colour: StatusColour.Red, until: Today.AddDays(-1)),
        ];
        Assert.Equal(StatusColour.Yellow, Restriction.ColourInForce(list, Today));
        Assert.Equal(StatusColour.Red, Restriction.ColourInForce([.. list, Make(RestrictionState.Active, colour: StatusColour.Red, until: Today)], Today));
    }

    [Fact]
    public void Checkpoint_denial_in_force_denies_passage()
    {
        Assert.False(Restriction.DeniesPassage([Make(RestrictionState.PendingApproval, RestrictionKind.CheckpointDenial)], Today));
        Assert.True(Restriction.DeniesPassage([Make(RestrictionState.Active, RestrictionKind.CheckpointDenial)], Today));
        Assert.Equal(StatusColour.Green, Restriction.ColourInForce([Make(RestrictionState.Active, RestrictionKind.CheckpointDenial)], Today));
    }
}
