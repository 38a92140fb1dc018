using Shouwang.Domain.Restrictions;

namespace Shouwang.Web.Features.Restrictions;

public sealed record RestrictionItem(
    Guid Id, Guid PersonId, string PersonName, string CommunityCode, RestrictionKind Kind, StatusColour? Colour, string Reason,
    RestrictionBasis Basis, string? BasisReference, DateOnly? Until, RestrictionState State, bool InForce,
    Guid? RequestedBy, string RequestedByName, DateTime RequestedAt,
    string? DecidedByName, DateTime? DecidedAt, string? DecisionNote, string? LiftedByName, DateTime? LiftedAt, string? LiftReason)
{
    public static RestrictionItem From(Restriction r, string personName, DateOnly today) => new(
        r.Id, r.PersonId, personName, r.CommunityCode.ToString(), r.Kind, r.Colour, r.Reason, r.Basis, r.BasisReference, r.Until, r.State,
        r.IsInForce(today), r.RequestedBy, r.RequestedByName, r.RequestedAt, r.DecidedByName, r.DecidedAt, r.DecisionNote,
        r.LiftedByName, r.LiftedAt, r.LiftReason);
}

/// <summary>What restricts a person today: what checkpoints and the status colour ask.</summary>
/// <param name="Reasons">Why the colour is what it is, in words, most severe first (from the status colour source).</param>
public sealed record PersonStatus(Guid PersonId, StatusColour Colour, bool CheckpointDenied, IReadOnlyList<RestrictionItem> InForce, IReadOnlyList<string> Reasons);
