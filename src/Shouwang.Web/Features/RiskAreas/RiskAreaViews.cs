using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;

namespace Shouwang.Web.Features.RiskAreas;

public sealed record ScreeningItem(Guid Id, DateOnly Day, int Required, int Sampled, int Positive, bool AllNegative, string RecordedByName, DateTime RecordedAt)
{
    public static ScreeningItem From(RiskAreaScreening s) => new(s.Id, s.Day, s.Required, s.Sampled, s.Positive, s.IsAllNegative, s.RecordedByName, s.RecordedAt);
}

public sealed record ProposalItem(
    Guid Id, Guid RiskAreaId, string AreaName, string CommunityCode, DateOnly ProposedOn, RiskAreaLevel FromLevel, RiskAreaLevel ToLevel,
    int DaysWithoutNewInfection, DateOnly? ScreeningDay, int? ScreeningRequired, int? ScreeningSampled, int? ScreeningPositive, string PolicyCode,
    ReleaseProposalState State, string? DecidedByName, DateTime? DecidedAt, string? DecisionNote, DateTime CreatedAt)
{
    public static ProposalItem From(RiskAreaReleaseProposal p, string areaName) => new(
        p.Id, p.RiskAreaId, areaName, Code(p.CommunityCode), p.ProposedOn, p.FromLevel, p.ToLevel, p.DaysWithoutNewInfection, p.ScreeningDay,
        p.ScreeningRequired, p.ScreeningSampled, p.ScreeningPositive, p.PolicyCode, p.State, p.DecidedByName, p.DecidedAt, p.DecisionNote, p.CreatedAt);

    internal static string Code(long community) => community.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record RiskAreaItem(
    Guid Id, string Name, RiskAreaScope Scope, string CommunityCode, Guid? CompoundId, Guid? BuildingId, RiskAreaLevel Level,
    RiskAreaLevel? DowngradedFrom, DateOnly StartDay, DateOnly LevelSince, string Reason, RiskAreaState State, DateOnly? EndDay,
    DateOnly? LastInfectionDay, int DaysWithoutNewInfection, ScreeningItem? LatestScreening, Guid? PendingProposalId)
{
    public static RiskAreaItem From(RiskArea a, DateOnly today, RiskAreaScreening? latest, Guid? pendingProposal) => new(
        a.Id, a.Name, a.Scope, ProposalItem.Code(a.CommunityCode), a.CompoundId, a.BuildingId, a.Level, a.DowngradedFrom, a.StartDay, a.LevelSince,
        a.Reason, a.State, a.EndDay, a.LastInfectionDay,
        a.DaysWithoutNewInfection(a.EndDay is { } end && end < today ? end : today), latest is null ? null : ScreeningItem.From(latest), pendingProposal);
}

public sealed record AreaEffects(bool DeniesExit, bool DoorToDoorSupply, bool DoorToDoorSampling, bool SingleTubeSampling)
{
    public static readonly AreaEffects None = new(false, false, false, false);

    public static AreaEffects Of(AreaCover? cover) => cover is null ? None
        : new(cover.DeniesExit, cover.DoorToDoorSupply, cover.DoorToDoorSampling, cover.SingleTubeSampling);

    public static AreaEffects Of(RiskArea area) => area.State != RiskAreaState.Active ? None
        : Of(new AreaCover(area.Id, area.Name, area.Level, area.Scope));
}

public sealed record RiskAreaEventItem(Guid Id, RiskAreaEventKind Kind, RiskAreaLevel? FromLevel, RiskAreaLevel? ToLevel, DateOnly Day, string? Note, string ByName, DateTime At);

/// <summary>An area with its residents count, what it does to them and its whole history, each list in time order.</summary>
public sealed record RiskAreaDetails(
    RiskAreaItem Area, int Residents, AreaEffects Effects, IReadOnlyList<RiskAreaEventItem> Events, IReadOnlyList<ScreeningItem> Screenings,
    IReadOnlyList<ProposalItem> Proposals);

/// <summary>A resident of an area with what the designation covering them (this one or a higher one around them) does to them.</summary>
public sealed record AreaResidentItem(
    Guid Id, string Name, string MaskedPhone, string? Address, Guid? CoveringAreaId, RiskAreaLevel? CoveringLevel,
    bool DeniesExit, bool DoorToDoorSupply, bool DoorToDoorSampling, bool SingleTubeSampling);

public sealed record EvaluationSummary(DateOnly Day, int Evaluated, int Proposed);

public sealed record DesignateInput
{
    public RiskAreaScope? Scope { get; set; }
    public Guid? BuildingId { get; set; }
    public Guid? CompoundId { get; set; }
    public string? CommunityCode { get; set; }
    public RiskAreaLevel? Level { get; set; }
    /// <summary>Today when not given; never after today.</summary>
    public DateOnly? StartDay { get; set; }
    public string? Reason { get; set; }
}

public sealed record InfectionInput(DateOnly? Day, string? Note);

public sealed record ScreeningInput(DateOnly? Day, int? Sampled, int? Positive, int? Required);

public sealed record EndInput(string? Reason);

public sealed record DecisionInput(string? Note);

public sealed record RiskAreaSearch(RiskAreaState? State, string? Jurisdiction, RiskAreaLevel? Level, int? Page, int? PageSize);
