using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.FollowUps;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Measures;

public sealed record FollowUpEntry(Guid Id, Guid MeasureId, DateOnly Day, int Slot, bool? Reached, decimal? Temperature, Symptoms Symptoms, bool Missed,
    string? Note, string? RecordedByName, DateTime? RecordedAt);

/// <summary>A course on a person's timeline: the course, how it ended or what replaced it, and its follow-ups in time order.</summary>
public sealed record TimelineCourse(CourseItem Course, string? LiftedByName, DateTime? LiftedAt, string? LiftReason, Guid? SupersededBy,
    IReadOnlyList<FollowUpEntry> FollowUps);

public sealed record PersonTimeline(Guid PersonId, string PersonName, IReadOnlyList<TimelineCourse> Courses);

public sealed record MeasureSearch(
    string? Jurisdiction = null, MeasureKind? Kind = null, PersonCategory? Category = null, MeasureStatus? Status = null, DateOnly? Day = null,
    int? Page = null, int? PageSize = null);

/// <summary>A person under a stage on a day: 第3天/共7天 and the next test day.</summary>
public sealed record MeasureListItem(
    Guid MeasureId, Guid CourseId, Guid PersonId, string PersonName, string CommunityCode, string? CommunityName, Guid? GridId, string? GridName,
    PersonCategory Category, MeasureKind Kind, MeasurePlace Place, string? PlaceName, int StageIndex, int StageCount, DateOnly StartDay, DateOnly EndDay,
    int DayNumber, int Days, DateOnly? NextTestDay, int ChecksPerDay, string PolicyCode, MeasureStatus Status);

public sealed record CommunityMeasureCounts(string CommunityCode, string? CommunityName, IReadOnlyDictionary<MeasureKind, int> ByKind, int Total);

public sealed record MeasureCounts(DateOnly Day, IReadOnlyList<CommunityMeasureCounts> Communities, IReadOnlyDictionary<MeasureKind, int> ByKind, int Total);

/// <summary>A stage whose last day is the day asked about: the person converts to <see cref="NextKind"/> the day after, or is released.</summary>
public sealed record EndingItem(Guid MeasureId, Guid CourseId, Guid PersonId, string PersonName, string CommunityCode, string? CommunityName, string? GridName,
    PersonCategory Category, MeasureKind Kind, DateOnly EndDay, bool Converts, MeasureKind? NextKind, DateOnly? NextEndDay);

/// <summary>The console's lists: a person's timeline, who is under which measure on a day, counts by committee, and who ends tomorrow.</summary>
public sealed class MeasureQueries(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<MeasuresResource> l)
{
    public async Task<Outcome<PersonTimeline>> TimelineAsync(Guid personId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Persons.Where(p => p.Id == personId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null) return new Outcome<PersonTimeline>.NotFound(l["Error.PersonNotFound"]);
        var today = clock.Today();
        // Stages are read without the scope filter's grid part only through the person: a person the caller sees has their history.
        var restrictions = await db.Restrictions.AsNoTracking().IgnoreQueryFilters()
            .Where(r => r.PersonId == personId && r.Kind == RestrictionKind.ControlMeasure).ToListAsync(cancellationToken);
        var stages = await db.ControlMeasures.AsNoTracking().IgnoreQueryFilters().Where(m => m.PersonId == personId).ToListAsync(cancellationToken);
        var stageIds = stages.Select(s => s.Id).ToList();
        var followUps = await db.FollowUps.AsNoTracking().IgnoreQueryFilters().Where(f => f.PersonId == personId && stageIds.Contains(f.MeasureId))
            .OrderBy(f => f.Day).ThenBy(f => f.Slot).ToListAsync(cancellationToken);
        var courses = restrictions
            .Select(r => (Restriction: r, Stages: stages.Where(s => s.CourseId == r.Id).OrderBy(s => s.StageIndex).ToList()))
            .Where(c => c.Stages.Count > 0)
            .OrderBy(c => c.Stages[0].StartDay).ThenBy(c => c.Restriction.RequestedAt)
            .Select(c =>
            {
                var ids = c.Stages.Select(s => s.Id).ToHashSet();
                return new TimelineCourse(CourseItem.From(c.Restriction, name, c.Stages, today), c.Restriction.LiftedByName, c.Restriction.LiftedAt,
                    c.Restriction.LiftReason, c.Stages.Select(s => s.SupersededBy).FirstOrDefault(s => s is not null),
                    [.. followUps.Where(f => ids.Contains(f.MeasureId)).Select(f => new FollowUpEntry(f.Id, f.MeasureId, f.Day, f.Slot, f.Reached,
                        f.Temperature, f.Symptoms, f.Missed, f.Note, f.RecordedByName, f.RecordedAt))]);
            }).ToList();
        return new PersonTimeline(personId, name, courses);
    }

    public async Task<Outcome<Paged<MeasureListItem>>> ListAsync(MeasureSearch search, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (Narrow(db, search.Jurisdiction) is { } invalid) return invalid.ToOutcome<Paged<MeasureListItem>>();
        var day = search.Day ?? clock.Today();
        var query = WithStatus(db.ControlMeasures.AsNoTracking(), search.Status ?? MeasureStatus.InForce, day);
        if (search.Kind is { } kind) query = query.Where(m => m.Kind == kind);
        if (search.Category is { } category) query = query.Where(m => m.Category == category);
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(m => m.CommunityCode).ThenBy(m => m.EndDay).ThenBy(m => m.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Join(db.Persons, m => m.PersonId, p => p.Id, (m, p) => new { Measure = m, p.Name })
            .ToListAsync(cancellationToken);
        var gridIds = rows.Select(r => r.Measure.GridId).OfType<Guid>().Distinct().ToList();
        var grids = await db.Grids.AsNoTracking().Where(g => gridIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var names = await CommunityNamesAsync(db, rows.Select(r => r.Measure.CommunityCode), cancellationToken);
        var items = rows.Select(r =>
        {
            var m = r.Measure;
            var code = Code(m.CommunityCode);
            return new MeasureListItem(m.Id, m.CourseId, m.PersonId, r.Name, code, names.GetValueOrDefault(code), m.GridId,
                m.GridId is { } g ? grids.GetValueOrDefault(g) : null, m.Category, m.Kind, m.Place, m.PlaceName, m.StageIndex, m.StageCount,
                m.StartDay, m.EndDay, m.DayNumberOn(day), m.Days, m.TestDates.Where(d => d >= day).Cast<DateOnly?>().FirstOrDefault(), m.ChecksPerDay,
                m.PolicyCode, m.StatusOn(day));
        }).ToList();
        return new Paged<MeasureListItem>(items, total, page, pageSize);
    }

    public async Task<Outcome<MeasureCounts>> CountsAsync(string? jurisdiction, DateOnly? day, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (Narrow(db, jurisdiction) is { } invalid) return invalid.ToOutcome<MeasureCounts>();
        var on = day ?? clock.Today();
        var groups = await WithStatus(db.ControlMeasures.AsNoTracking(), MeasureStatus.InForce, on)
            .GroupBy(m => new { m.CommunityCode, m.Kind })
            .Select(g => new { g.Key.CommunityCode, g.Key.Kind, People = g.Select(m => m.PersonId).Distinct().Count() })
            .ToListAsync(cancellationToken);
        var names = await CommunityNamesAsync(db, groups.Select(g => g.CommunityCode), cancellationToken);
        var communities = groups.GroupBy(g => g.CommunityCode).OrderBy(g => g.Key).Select(g =>
        {
            var code = Code(g.Key);
            return new CommunityMeasureCounts(code, names.GetValueOrDefault(code), g.ToDictionary(x => x.Kind, x => x.People), g.Sum(x => x.People));
        }).ToList();
        var byKind = groups.GroupBy(g => g.Kind).ToDictionary(g => g.Key, g => g.Sum(x => x.People));
        return new MeasureCounts(on, communities, byKind, groups.Sum(g => g.People));
    }

    public async Task<Outcome<IReadOnlyList<EndingItem>>> EndingAsync(string? jurisdiction, DateOnly? day, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (Narrow(db, jurisdiction) is { } invalid) return invalid.ToOutcome<IReadOnlyList<EndingItem>>();
        var on = day ?? clock.Today().AddDays(1);
        var rows = await db.ControlMeasures.AsNoTracking().Where(m => m.State == MeasureState.Active && m.EndDay == on)
            .Join(db.Persons, m => m.PersonId, p => p.Id, (m, p) => new { Measure = m, p.Name })
            .OrderBy(r => r.Measure.CommunityCode).ThenBy(r => r.Name).ToListAsync(cancellationToken);
        var converting = rows.Where(r => !r.Measure.IsLastStage).Select(r => r.Measure.CourseId).ToList();
        var next = new Dictionary<(Guid, int), ControlMeasure>();
        foreach (var chunk in converting.Chunk(500))
        {
            foreach (var m in await db.ControlMeasures.AsNoTracking().Where(m => chunk.Contains(m.CourseId) && m.StageIndex > 0).ToListAsync(cancellationToken))
                next[(m.CourseId, m.StageIndex)] = m;
        }
        var gridIds = rows.Select(r => r.Measure.GridId).OfType<Guid>().Distinct().ToList();
        var grids = await db.Grids.AsNoTracking().Where(g => gridIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var names = await CommunityNamesAsync(db, rows.Select(r => r.Measure.CommunityCode), cancellationToken);
        return rows.Select(r =>
        {
            var m = r.Measure;
            var following = next.GetValueOrDefault((m.CourseId, m.StageIndex + 1));
            var code = Code(m.CommunityCode);
            return new EndingItem(m.Id, m.CourseId, m.PersonId, r.Name, code, names.GetValueOrDefault(code), m.GridId is { } g ? grids.GetValueOrDefault(g) : null,
                m.Category, m.Kind, m.EndDay, following is not null, following?.Kind, following?.EndDay);
        }).ToList();
    }

    /// <summary>A status on a day as a query: the stored state plus where the day falls.</summary>
    internal static IQueryable<ControlMeasure> WithStatus(IQueryable<ControlMeasure> query, MeasureStatus status, DateOnly day) => status switch
    {
        MeasureStatus.InForce => query.Where(m => m.State == MeasureState.Active && m.StartDay <= day && m.EndDay >= day),
        MeasureStatus.Upcoming => query.Where(m => m.State == MeasureState.Active && m.StartDay > day),
        MeasureStatus.Converted => query.Where(m => m.State == MeasureState.Active && m.EndDay < day && m.StageIndex < m.StageCount - 1),
        MeasureStatus.Released => query.Where(m => m.State == MeasureState.Active && m.EndDay < day && m.StageIndex == m.StageCount - 1),
        MeasureStatus.PendingApproval => query.Where(m => m.State == MeasureState.PendingApproval),
        MeasureStatus.Rejected => query.Where(m => m.State == MeasureState.Rejected),
        MeasureStatus.EndedEarly => query.Where(m => m.State == MeasureState.EndedEarly),
        _ => query.Where(m => m.State == MeasureState.Superseded),
    };

    /// <summary>Narrows the context to <paramref name="jurisdiction"/>; the errors when it is not a division code.</summary>
    internal FieldErrors? Narrow(AppDbContext db, string? jurisdiction)
    {
        if (string.IsNullOrWhiteSpace(jurisdiction)) return null;
        if (JurisdictionCode.TryParse(jurisdiction, out var code))
        {
            db.NarrowTo(code.Value);
            return null;
        }
        var errors = new FieldErrors();
        errors.Add("Jurisdiction", l["Error.JurisdictionInvalid"]);
        return errors;
    }

    internal static string Code(long communityCode) => communityCode.ToString(CultureInfo.InvariantCulture);

    internal static async Task<Dictionary<string, string>> CommunityNamesAsync(AppDbContext db, IEnumerable<long> codes, CancellationToken cancellationToken)
    {
        var list = codes.Distinct().Select(Code).ToList();
        return await db.Jurisdictions.AsNoTracking().Where(j => list.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
    }
}
