using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;

namespace Shouwang.Domain.Measures;

public enum MeasurePlace { Home = 0, QuarantineSite = 1 }

/// <summary>
/// The stored state of a stage. Whether it is upcoming, in force, converted or released follows from the dates
/// (<see cref="ControlMeasure.StatusOn"/>), so nothing has to run at midnight for a stage to start or end.
/// </summary>
public enum MeasureState
{
    /// <summary>Issued on an "Other" basis: waits for a second person (the course's restriction).</summary>
    PendingApproval = 0,
    Active = 1,
    Rejected = 2,
    EndedEarly = 3,
    /// <summary>Replaced by a recomputed course (a new policy version or corrected dates).</summary>
    Superseded = 4,
}

/// <summary>What a stage is on a given day, as the console shows it.</summary>
public enum MeasureStatus { PendingApproval, Rejected, Upcoming, InForce, Converted, Released, EndedEarly, Superseded }

/// <summary>
/// One stage of a control measure course (e.g. 7 days centralised quarantine, then 3 days home health monitoring as a
/// second row). A course is the stages issued together for one person under one rule; its id is the id of the
/// <see cref="Restriction"/> that carries the reason, basis and approval.
/// </summary>
public sealed class ControlMeasure
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>The course, which is the id of its <see cref="Restriction"/> (kind <see cref="RestrictionKind.ControlMeasure"/>).</summary>
    public Guid CourseId { get; init; }
    public Guid PersonId { get; init; }
    /// <summary>Where the person lives now (follows them when they move), for scope and the grid worker's list.</summary>
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public PersonCategory Category { get; init; }
    public MeasureKind Kind { get; init; }
    /// <summary>0-based position in the course; the course has <see cref="StageCount"/> stages.</summary>
    public int StageIndex { get; init; }
    public int StageCount { get; init; }
    public Guid PolicyId { get; init; }
    /// <summary>The policy version's code at issue (e.g. NHC-9), kept even if the version is edited later.</summary>
    public required string PolicyCode { get; init; }
    /// <summary>Day 0 of the course: last exposure, leaving the area or arrival.</summary>
    public DateOnly AnchorDay { get; init; }
    /// <summary>The day the person was found; a person found late serves only what remains.</summary>
    public DateOnly IdentifiedDay { get; init; }
    /// <summary>Day 1 of the stage as the protocol counts it.</summary>
    public DateOnly StageFirstDay { get; init; }
    /// <summary>The first day the person actually serves (later than <see cref="StageFirstDay"/> when found late).</summary>
    public DateOnly StartDay { get; init; }
    /// <summary>The planned last day; the person is released (or converted) the day after.</summary>
    public DateOnly EndDay { get; init; }
    /// <summary>1-based test days within the stage, comma-separated ("1,2,3,5,7").</summary>
    public string TestDays { get; init; } = "";
    public int ChecksPerDay { get; init; } = 1;
    public MeasurePlace Place { get; init; }
    /// <summary>The home address or the site's name, as the person is found there.</summary>
    public string? PlaceName { get; init; }
    public RestrictionBasis Basis { get; init; }
    public string? BasisReference { get; init; }
    public MeasureState State { get; set; }
    public DateOnly? EndedOn { get; set; }
    public string? EndReason { get; set; }
    public Guid? EndedBy { get; set; }
    public string? EndedByName { get; set; }
    /// <summary>The course that replaced this one when <see cref="MeasureState.Superseded"/>.</summary>
    public Guid? SupersededBy { get; set; }
    public Guid? CreatedBy { get; init; }
    public required string CreatedByName { get; init; }
    public DateTime CreatedAt { get; init; }

    public IReadOnlyList<int> TestDayNumbers =>
        TestDays.Length == 0 ? [] : [.. TestDays.Split(',').Select(int.Parse)];

    /// <summary>The calendar dates of the stage's test days that the person serves (earlier ones are elapsed).</summary>
    public IEnumerable<DateOnly> TestDates => TestDayNumbers.Select(d => StageFirstDay.AddDays(d - 1)).Where(d => d >= StartDay && d <= EndDay);

    public bool IsLastStage => StageIndex == StageCount - 1;

    /// <summary>On a day it is active and between its start and end: the person is under it that day.</summary>
    public bool IsInForceOn(DateOnly day) => State == MeasureState.Active && StartDay <= day && day <= EndDay;

    public MeasureStatus StatusOn(DateOnly day) => State switch
    {
        MeasureState.PendingApproval => MeasureStatus.PendingApproval,
        MeasureState.Rejected => MeasureStatus.Rejected,
        MeasureState.EndedEarly => MeasureStatus.EndedEarly,
        MeasureState.Superseded => MeasureStatus.Superseded,
        _ when day < StartDay => MeasureStatus.Upcoming,
        _ when day <= EndDay => MeasureStatus.InForce,
        _ => IsLastStage ? MeasureStatus.Released : MeasureStatus.Converted,
    };

    /// <summary>第3天/共7天, counted from the stage's day 1 (a person found late starts on a later day number).</summary>
    public int DayNumberOn(DateOnly day) => day.DayNumber - StageFirstDay.DayNumber + 1;

    public int Days => EndDay.DayNumber - StageFirstDay.DayNumber + 1;

    public void FollowPerson(long communityCode, Guid? gridId) => (CommunityCode, GridId) = (communityCode, gridId);

    /// <summary>Lays a course out from a schedule: one row per stage the person still serves (stages over before they were found are left out).</summary>
    public static List<ControlMeasure> FromSchedule(MeasureSchedule schedule, CourseDetails course)
    {
        var served = schedule.Stages.Where(s => !s.IsElapsed).ToList();
        return [.. served.Select((stage, i) => new ControlMeasure
        {
            CourseId = course.CourseId, PersonId = course.PersonId, CommunityCode = course.CommunityCode, GridId = course.GridId,
            Category = schedule.Rule.Category, Kind = stage.Kind, StageIndex = i, StageCount = served.Count,
            PolicyId = course.PolicyId, PolicyCode = course.PolicyCode, AnchorDay = schedule.AnchorDay, IdentifiedDay = schedule.IdentifiedDay,
            StageFirstDay = stage.FirstDay, StartDay = stage.ServedFrom!.Value, EndDay = stage.LastDay,
            TestDays = string.Join(',', schedule.Rule.Stages[stage.Index].TestDays.Order()),
            ChecksPerDay = schedule.Rule.Stages[stage.Index].ChecksPerDay,
            Place = stage.Kind == MeasureKind.CentralisedQuarantine ? MeasurePlace.QuarantineSite : MeasurePlace.Home,
            PlaceName = stage.Kind == MeasureKind.CentralisedQuarantine ? course.SiteName : course.HomeAddress,
            Basis = course.Basis, BasisReference = course.BasisReference, State = course.State,
            CreatedBy = course.CreatedBy, CreatedByName = course.CreatedByName, CreatedAt = course.CreatedAt,
        })];
    }
}

/// <summary>What every stage of a course shares.</summary>
public sealed record CourseDetails(
    Guid CourseId, Guid PersonId, long CommunityCode, Guid? GridId, Guid PolicyId, string PolicyCode, string? HomeAddress, string? SiteName,
    RestrictionBasis Basis, string? BasisReference, MeasureState State, Guid? CreatedBy, string CreatedByName, DateTime CreatedAt);
