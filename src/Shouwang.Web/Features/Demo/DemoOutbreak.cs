using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.FollowUps;
using Shouwang.Domain.Measures;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Policies;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Demo;

/// <summary>
/// Demo only: a small outbreak in the demo street as of the first start, so every list has something in it — a lockdown
/// building, close and secondary contacts at different days of their quarantine (some in the demo grid worker's grid),
/// low-risk arrivals on 三天两检, yesterday's follow-ups, an external risk region and arrival reports waiting for review.
/// </summary>
public sealed class DemoOutbreak(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock)
{
    private const string ContactCase = "流调2022-031";

    public async Task SeedIfNoneAsync(CancellationToken cancellationToken = default)
    {
        using var _ = CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.ControlMeasures.AnyAsync(cancellationToken) || await db.RiskAreas.AnyAsync(cancellationToken)) return;
        var community = long.Parse(DemoAccounts.Community);
        var today = clock.Today();
        var now = clock.UtcNow;
        if (await PolicyLookup.ForCommunityAsync(db, community, today, cancellationToken) is not var (policy, _)) return;
        var version = policy.ToVersion();

        // The grid the demo grid worker looks after, as DemoAccounts picks it.
        var grid = await db.Grids.Where(g => g.CommunityCode == community).OrderBy(g => g.Name).Select(g => g.Id).FirstAsync(cancellationToken);
        var building = await db.Buildings.Where(b => b.CommunityCode == community).OrderBy(b => b.Name).FirstAsync(cancellationToken);
        var area = new RiskArea
        {
            CommunityCode = community, Scope = RiskAreaScope.Building, BuildingId = building.Id, CompoundId = building.CompoundId,
            Name = $"{await db.Compounds.Where(c => c.Id == building.CompoundId).Select(c => c.Name).FirstAsync(cancellationToken)}{building.Name}",
            Level = RiskAreaLevel.High, StartDay = today.AddDays(-4), LevelSince = today.AddDays(-4), LastInfectionDay = today.AddDays(-4),
            Reason = "确诊病例居住楼栋", State = RiskAreaState.Active, CreatedByName = "指挥部值班", CreatedAt = now, UpdatedAt = now,
        };
        db.RiskAreas.Add(area);
        db.RiskAreaEvents.Add(new RiskAreaEvent
        {
            RiskAreaId = area.Id, CommunityCode = community, Kind = RiskAreaEventKind.Designated, ToLevel = RiskAreaLevel.High, Day = area.StartDay,
            Note = area.Reason, ByName = area.CreatedByName, At = now,
        });

        var people = await db.Persons.AsNoTracking().Where(p => p.CommunityCode == community && p.GridId == grid && p.HouseholdId != null)
            .OrderBy(p => p.Id).Take(40).Select(p => new { p.Id, p.GridId, p.HouseholdId }).ToListAsync(cancellationToken);
        var addresses = await db.Households.AsNoTracking().Where(h => h.CommunityCode == community && h.GridId == grid)
            .ToDictionaryAsync(h => h.Id, h => h.Address, cancellationToken);
        var plan = new List<(PersonCategory Category, int DaysAgo, RestrictionBasis Basis, string Reference)>();
        for (var i = 0; i < 12; i++) plan.Add((PersonCategory.CloseContact, 1 + i % 9, RestrictionBasis.Contact, ContactCase));
        for (var i = 0; i < 6; i++) plan.Add((PersonCategory.SecondaryContact, 1 + i, RestrictionBasis.Contact, ContactCase));
        for (var i = 0; i < 3; i++) plan.Add((PersonCategory.LowRiskAreaArrival, i, RestrictionBasis.Other, "来返报备"));
        foreach (var (person, (category, daysAgo, basis, reference)) in people.Zip(plan))
        {
            if (version.RuleFor(category) is not { } rule) continue;
            var anchor = today.AddDays(-daysAgo);
            var schedule = MeasureSchedule.Compute(rule, anchor, anchor < today ? anchor.AddDays(1) : today);
            if (schedule.IsEnded) continue;
            var restriction = new Restriction
            {
                PersonId = person.Id, CommunityCode = community, GridId = person.GridId, Kind = RestrictionKind.ControlMeasure,
                Reason = category == PersonCategory.LowRiskAreaArrival ? "低风险区来返，三天两检" : "流调判定",
                Basis = basis, BasisReference = reference, Until = schedule.LastDay, State = RestrictionState.Active,
                RequestedByName = "流调员", RequestedAt = now, DecidedByName = basis == RestrictionBasis.Other ? "指挥部值班" : null,
            };
            db.Restrictions.Add(restriction);
            db.ControlMeasures.AddRange(ControlMeasure.FromSchedule(schedule, new CourseDetails(restriction.Id, person.Id, community, person.GridId,
                policy.Id, policy.Code, addresses.GetValueOrDefault(person.HouseholdId!.Value), "金山宾馆（集中隔离点）", basis, reference,
                MeasureState.Active, null, "流调员", Earlier(clock.StartOfDayUtc(schedule.IdentifiedDay).AddHours(2), now))));
        }

        // The days before the demo began were followed up, but for two people yesterday: the missed-check flag has something to show.
        var yesterday = today.AddDays(-1);
        var issued = db.ChangeTracker.Entries<ControlMeasure>().Select(e => e.Entity).OrderBy(m => m.PersonId).ToList();
        var skipped = issued.Where(m => m.IsInForceOn(yesterday)).Select(m => m.PersonId).Distinct().TakeLast(2).ToHashSet();
        foreach (var measure in issued)
        {
            for (var day = measure.StartDay; day <= yesterday && day <= measure.EndDay; day = day.AddDays(1))
            {
                if (day == yesterday && skipped.Contains(measure.PersonId)) continue;
                for (var slot = 1; slot <= measure.ChecksPerDay; slot++)
                {
                    db.FollowUps.Add(new FollowUp
                    {
                        MeasureId = measure.Id, PersonId = measure.PersonId, CommunityCode = measure.CommunityCode, GridId = measure.GridId, Day = day, Slot = slot,
                        Reached = true, Temperature = 36.2m + (day.Day + slot) % 7 / 10m, RecordedAt = clock.StartOfDayUtc(day).AddHours(slot == 1 ? 9 : 18),
                        RecordedByName = "网格员",
                    });
                }
            }
        }

        db.ExternalRiskRegions.Add(new ExternalRiskRegion
        {
            DivisionCode = "310115", Name = "上海市浦东新区", Level = RiskAreaLevel.High, FromDay = today.AddDays(-10), Source = "演示数据",
            UpdatedByName = "指挥部值班", UpdatedAt = now,
        });
        var reports = new[]
        {
            ("王晓明", "310115", "上海市浦东新区", RiskAreaLevel.High, PersonCategory.HighRiskAreaArrival),
            ("刘芳", "440305", "广东省深圳市南山区", (RiskAreaLevel?)null, PersonCategory.LowRiskAreaArrival),
        };
        var n = 0;
        foreach (var (name, origin, originName, level, category) in reports)
        {
            n++;
            db.ArrivalReports.Add(new ArrivalReport
            {
                Number = $"LF{today:yyMMdd}-DEMO{n}", Source = ArrivalSource.Public, DocumentType = DocumentType.ResidentIdCard,
                DocumentNumber = IdCardNumber.FromFirst17($"4302021988010{n}12{n}").Value, Name = name, Phone = $"1390731000{n}",
                OriginCode = origin, OriginName = originName, Route = "高铁 → 株洲西站", Transport = Transport.Train, TransportDetail = $"G13{n}5",
                LeftOn = today.AddDays(-1), ArrivedOn = today, CommunityCode = community, GridId = grid, StayAddress = "晏家湾社区（演示）",
                OriginRiskLevel = level, OriginRiskSource = level is null ? OriginRiskSource.None : OriginRiskSource.ExternalList,
                ProposedCategory = category, State = ArrivalState.Submitted, CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static DateTime Earlier(DateTime a, DateTime b) => a < b ? a : b;
}
