namespace Shouwang.Domain.Restrictions;

/// <summary>What a restriction does to a person. Later features add their kinds (control measures and the like).</summary>
public enum RestrictionKind
{
    /// <summary>人工赋码: the person's status colour is set to yellow or red by hand.</summary>
    StatusColour = 0,
    /// <summary>The person is denied passage at checkpoints.</summary>
    CheckpointDenial = 1,
    /// <summary>A control measure course (quarantine, monitoring, tests): its stages are <c>ControlMeasure</c> rows sharing this restriction's id.</summary>
    ControlMeasure = 2,
}

/// <summary>Why the restriction is justified. Anything but a recorded case, contact or risk area needs a second person.</summary>
public enum RestrictionBasis { Case = 0, Contact = 1, RiskArea = 2, Other = 3, Arrival = 4, PositiveTube = 5 }

public enum RestrictionState { PendingApproval = 0, Active = 1, Rejected = 2, Lifted = 3 }

public enum StatusColour { Green = 0, Yellow = 1, Red = 2 }

/// <summary>
/// Any change that restricts a person: it always carries a reason and a basis, and without a case, contact or risk-area
/// basis it takes effect only when a second person (not the requester) approves it.
/// </summary>
public sealed class Restriction
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PersonId { get; init; }
    /// <summary>Where the person lives now: follows them when they move (see <see cref="FollowPerson"/>), so scope and checks stay true.</summary>
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public RestrictionKind Kind { get; init; }
    public StatusColour? Colour { get; init; }
    public required string Reason { get; init; }
    public RestrictionBasis Basis { get; init; }
    public string? BasisReference { get; init; }
    /// <summary>Last local day the restriction applies; open-ended when null.</summary>
    public DateOnly? Until { get; init; }
    public RestrictionState State { get; set; }
    public Guid? RequestedBy { get; init; }
    public required string RequestedByName { get; init; }
    public DateTime RequestedAt { get; init; }
    public Guid? DecidedBy { get; set; }
    public string? DecidedByName { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    public Guid? LiftedBy { get; set; }
    public string? LiftedByName { get; set; }
    public DateTime? LiftedAt { get; set; }
    public string? LiftReason { get; set; }

    public void FollowPerson(long communityCode, Guid? gridId) => (CommunityCode, GridId) = (communityCode, gridId);

    public static bool NeedsSecondApproval(RestrictionBasis basis) => basis == RestrictionBasis.Other;

    /// <summary>The four-eyes rule: a request is decided by someone else.</summary>
    public bool CanBeDecidedBy(Guid? accountId) => State == RestrictionState.PendingApproval && accountId is not null && accountId != RequestedBy;

    public bool IsInForce(DateOnly today) => State == RestrictionState.Active && (Until is null || today <= Until);

    /// <summary>
    /// The state a new request starts in, once its basis has been checked: a verified case, contact or risk area takes
    /// effect at once; anything else waits for a second person.
    /// </summary>
    public static RestrictionState InitialState(RestrictionBasis basis, bool basisVerified) =>
        !NeedsSecondApproval(basis) && basisVerified ? RestrictionState.Active : RestrictionState.PendingApproval;

    public void Approve(Guid accountId, string name, DateTime at, string? note) => Decide(accountId, name, at, note, RestrictionState.Active);

    public void Reject(Guid accountId, string name, DateTime at, string note) => Decide(accountId, name, at, note, RestrictionState.Rejected);

    public void Lift(Guid? accountId, string name, DateTime at, string reason)
    {
        if (State != RestrictionState.Active) throw new InvalidOperationException("Only an active restriction can be lifted.");
        State = RestrictionState.Lifted;
        LiftedBy = accountId;
        LiftedByName = name;
        LiftedAt = at;
        LiftReason = reason;
    }

    private void Decide(Guid accountId, string name, DateTime at, string? note, RestrictionState outcome)
    {
        if (!CanBeDecidedBy(accountId)) throw new InvalidOperationException("The request is not pending or is the decider's own.");
        State = outcome;
        DecidedBy = accountId;
        DecidedByName = name;
        DecidedAt = at;
        DecisionNote = note;
    }

    /// <summary>The most severe status colour in force today; green when none.</summary>
    public static StatusColour ColourInForce(IEnumerable<Restriction> restrictions, DateOnly today) => restrictions
        .Where(r => r.Kind == RestrictionKind.StatusColour && r.Colour is not null && r.IsInForce(today))
        .Select(r => r.Colour!.Value).DefaultIfEmpty(StatusColour.Green).Max();

    public static bool DeniesPassage(IEnumerable<Restriction> restrictions, DateOnly today) =>
        restrictions.Any(r => r.Kind == RestrictionKind.CheckpointDenial && r.IsInForce(today));
}
