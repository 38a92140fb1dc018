using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;

namespace Shouwang.Web.Features.Measures;

/// <summary>One stage as the API and console show it, with where the person stands in it today.</summary>
public sealed record MeasureItem(
    Guid Id, Guid CourseId, int StageIndex, int StageCount, PersonCategory Category, MeasureKind Kind, MeasurePlace Place, string? PlaceName,
    DateOnly StageFirstDay, DateOnly StartDay, DateOnly EndDay, int Days, IReadOnlyList<DateOnly> TestDates, int ChecksPerDay,
    MeasureStatus Status, int? DayNumber, DateOnly? NextTestDay, string PolicyCode, string? EndReason, DateOnly? EndedOn)
{
    public static MeasureItem From(ControlMeasure m, DateOnly today)
    {
        var status = m.StatusOn(today);
        var tests = m.TestDates.ToList();
        return new(m.Id, m.CourseId, m.StageIndex, m.StageCount, m.Category, m.Kind, m.Place, m.PlaceName, m.StageFirstDay, m.StartDay, m.EndDay,
            m.Days, tests, m.ChecksPerDay, status, status == MeasureStatus.InForce ? m.DayNumberOn(today) : null,
            status is MeasureStatus.InForce or MeasureStatus.Upcoming ? tests.Where(d => d >= today).Cast<DateOnly?>().FirstOrDefault() : null,
            m.PolicyCode, m.EndReason, m.EndedOn);
    }
}

/// <summary>A course: the restriction that carries its reason, basis and approval, and its stages in order.</summary>
public sealed record CourseItem(
    Guid Id, Guid PersonId, string PersonName, string CommunityCode, PersonCategory Category, string PolicyCode, DateOnly AnchorDay, DateOnly IdentifiedDay,
    string Reason, RestrictionBasis Basis, string? BasisReference, RestrictionState State, string RequestedByName, DateTime RequestedAt,
    string? DecidedByName, string? DecisionNote, IReadOnlyList<MeasureItem> Stages)
{
    public static CourseItem From(Restriction r, string personName, IReadOnlyList<ControlMeasure> stages, DateOnly today)
    {
        var first = stages.OrderBy(s => s.StageIndex).First();
        return new(r.Id, r.PersonId, personName, r.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture), first.Category,
            first.PolicyCode, first.AnchorDay, first.IdentifiedDay, r.Reason, r.Basis, r.BasisReference, r.State, r.RequestedByName, r.RequestedAt,
            r.DecidedByName, r.DecisionNote, [.. stages.OrderBy(s => s.StageIndex).Select(s => MeasureItem.From(s, today))]);
    }
}
