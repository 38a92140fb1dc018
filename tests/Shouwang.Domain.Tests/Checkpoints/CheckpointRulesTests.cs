using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.Restrictions;

namespace Shouwang.Domain.Tests.Checkpoints;

public class CheckpointRulesTests
{
    private static readonly CheckpointSettings Gate = new(YellowCodeAction.Allow, null, 37.3m, 7);
    private static readonly BlockingFact Fact = new("detail", "restriction:x");
    private static readonly Observation Nothing = new(null, null);

    [Theory]
    [InlineData(37.2, PassageVerdict.Allow)]
    [InlineData(37.3, PassageVerdict.Hold)]
    [InlineData(37.4, PassageVerdict.Hold)]
    public void Fever_IsAtOrAboveTheThreshold(double temperature, PassageVerdict expected)
    {
        var decision = CheckpointRules.Decide(Gate, SubjectFacts.Unknown, PassageKind.Entry, new Observation((decimal)temperature, true));
        Assert.Equal(expected, decision.Verdict);
        Assert.Equal(expected == PassageVerdict.Hold, decision.Reasons.Any(r => r.Code == ReasonCode.Fever && r.OpensFeverReferral && r.Alerts));
    }

    [Theory]
    [InlineData(YellowCodeAction.Allow, PassageVerdict.Allow)]
    [InlineData(YellowCodeAction.TurnBack, PassageVerdict.TurnBack)]
    [InlineData(YellowCodeAction.Hold, PassageVerdict.Hold)]
    public void YellowCode_FollowsTheSetting(YellowCodeAction action, PassageVerdict expected)
    {
        var facts = new SubjectFacts { Colour = StatusColour.Yellow, ColourReasons = ["居家健康监测"] };
        var decision = CheckpointRules.Decide(Gate with { YellowCode = action }, facts, PassageKind.Exit, Nothing);
        Assert.Equal(expected, decision.Verdict);
        Assert.Equal(ReasonCode.YellowCode, Assert.Single(decision.Reasons).Code);
    }

    [Fact]
    public void RedCode_TurnsBack_BothWays_AndAlerts()
    {
        var facts = new SubjectFacts { Colour = StatusColour.Red, ColourReasons = ["a", "b"] };
        foreach (var kind in new[] { PassageKind.Entry, PassageKind.Exit })
        {
            var decision = CheckpointRules.Decide(Gate, facts, kind, Nothing);
            Assert.Equal((PassageVerdict.TurnBack, true), (decision.Verdict, decision.Alerts));
            Assert.Equal("a；b", decision.Reasons[0].Detail);
        }
    }

    [Fact]
    public void RedCode_ComingHome_IsHeldAtTheGate_NotSentAway()
    {
        var resident = new SubjectFacts { Colour = StatusColour.Red, LivesHere = true, HomeQuarantine = Fact };
        var home = CheckpointRules.Decide(Gate, resident, PassageKind.Entry, Nothing);
        Assert.Equal((PassageVerdict.Hold, true), (home.Verdict, home.Alerts));
        Assert.Equal(PassageVerdict.TurnBack, CheckpointRules.Decide(Gate, resident, PassageKind.Exit, Nothing).Verdict);
    }

    [Fact]
    public void Quarantine_Lockdown_AndUsedUpPass_StopLeaving_NotComingHome()
    {
        var facts = new SubjectFacts { HomeQuarantine = Fact, Lockdown = Fact };
        var leaving = CheckpointRules.Decide(Gate, facts, PassageKind.Exit, Nothing, passUsedUp: Fact);
        Assert.Equal(PassageVerdict.TurnBack, leaving.Verdict);
        Assert.Equal([ReasonCode.Quarantined, ReasonCode.LockdownArea, ReasonCode.PassUsedUp], leaving.Reasons.Select(r => r.Code));
        var coming = CheckpointRules.Decide(Gate, facts, PassageKind.Entry, Nothing, passUsedUp: Fact);
        Assert.Equal(PassageVerdict.Allow, coming.Verdict);
        // Someone should still know a quarantined person was out.
        Assert.True(Assert.Single(coming.Reasons).Alerts);
    }

    [Fact]
    public void RiskOrigin_TurnsVisitorsBack_HoldsResidents_OnEntryOnly()
    {
        Assert.Equal(PassageVerdict.TurnBack, CheckpointRules.Decide(Gate, new SubjectFacts { RiskOrigin = Fact }, PassageKind.Entry, Nothing).Verdict);
        Assert.Equal(PassageVerdict.Hold, CheckpointRules.Decide(Gate, new SubjectFacts { RiskOrigin = Fact, LivesHere = true }, PassageKind.Entry, Nothing).Verdict);
        Assert.Equal(PassageVerdict.Allow, CheckpointRules.Decide(Gate, new SubjectFacts { RiskOrigin = Fact }, PassageKind.Exit, Nothing).Verdict);
    }

    [Theory]
    [InlineData(null, 0, PassageVerdict.Allow)]
    [InlineData(2, 1, PassageVerdict.TurnBack)]
    [InlineData(2, 2, PassageVerdict.Allow)]
    [InlineData(3, 4, PassageVerdict.Allow)]
    public void Vaccination_IsCheckedOnEntry_WhereRequired(int? required, int doses, PassageVerdict expected)
    {
        var settings = Gate with { VaccinationDosesRequired = required };
        var facts = new SubjectFacts { VaccinationDoses = doses };
        Assert.Equal(expected, CheckpointRules.Decide(settings, facts, PassageKind.Entry, Nothing).Verdict);
        Assert.Equal(PassageVerdict.Allow, CheckpointRules.Decide(settings, facts, PassageKind.Exit, Nothing).Verdict);
    }

    [Fact]
    public void Severity_TransferOverHoldOverTurnBackOverAllow()
    {
        var all = new SubjectFacts { ToBeTransferred = Fact, Colour = StatusColour.Red, Denials = [Fact] };
        var fever = new Observation(38.5m, false);
        Assert.Equal(PassageVerdict.Transfer, CheckpointRules.Decide(Gate, all, PassageKind.Exit, fever).Verdict);
        Assert.Equal(PassageVerdict.Hold, CheckpointRules.Decide(Gate, all with { ToBeTransferred = null }, PassageKind.Exit, fever).Verdict);
        Assert.Equal(PassageVerdict.TurnBack, CheckpointRules.Decide(Gate, all with { ToBeTransferred = null }, PassageKind.Exit, new Observation(36.5m, false)).Verdict);
        var noMask = CheckpointRules.Decide(Gate, SubjectFacts.Unknown, PassageKind.Exit, new Observation(36.5m, false));
        Assert.Equal((PassageVerdict.Allow, ReasonCode.NoMask), (noMask.Verdict, Assert.Single(noMask.Reasons).Code));
    }
}
