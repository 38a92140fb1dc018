using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Tests.Infrastructure;

namespace Shouwang.Web.Tests.Features.FollowUps;

/// <summary>One stage to lay out: its kind, first and last day, checks a day, test days (1-based) and where it is served.</summary>
public sealed record StageSpec(MeasureKind Kind, DateOnly First, DateOnly Last, int ChecksPerDay = 1, string TestDays = "",
    MeasurePlace? Place = null, MeasureState State = MeasureState.Active);

/// <summary>Puts a person under a course directly in the database (restriction + one row per stage), as an issued course looks.</summary>
public static class MeasureRows
{
    public static async Task<List<ControlMeasure>> CourseAsync(this AppFactory factory, Guid personId, PersonCategory category, params StageSpec[] stages)
    {
        await using var db = factory.CreateDbContext();
        var person = await db.Persons.FindAsync(personId) ?? throw new InvalidOperationException("No such person");
        var restriction = new Restriction
        {
            PersonId = personId, CommunityCode = person.CommunityCode, GridId = person.GridId, Kind = RestrictionKind.ControlMeasure,
            Reason = "测试管控措施", Basis = RestrictionBasis.Contact, BasisReference = "T-1", Until = stages[^1].Last,
            State = RestrictionState.Active, RequestedByName = "test", RequestedAt = DateTime.UtcNow,
        };
        db.Restrictions.Add(restriction);
        var rows = stages.Select((s, i) => new ControlMeasure
        {
            CourseId = restriction.Id, PersonId = personId, CommunityCode = person.CommunityCode, GridId = person.GridId, Category = category,
            Kind = s.Kind, StageIndex = i, StageCount = stages.Length, PolicyCode = "NHC-9", AnchorDay = stages[0].First.AddDays(-1),
            IdentifiedDay = stages[0].First, StageFirstDay = s.First, StartDay = s.First, EndDay = s.Last, TestDays = s.TestDays,
            ChecksPerDay = s.ChecksPerDay, Place = s.Place ?? (s.Kind == MeasureKind.CentralisedQuarantine ? MeasurePlace.QuarantineSite : MeasurePlace.Home),
            PlaceName = "测试地址", Basis = RestrictionBasis.Contact, BasisReference = "T-1", State = s.State, CreatedByName = "test", CreatedAt = DateTime.UtcNow,
        }).ToList();
        db.ControlMeasures.AddRange(rows);
        await db.SaveChangesAsync();
        return rows;
    }
}
