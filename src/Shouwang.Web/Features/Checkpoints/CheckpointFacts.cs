using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.Measures;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Arrivals;
using Shouwang.Web.Features.RiskAreas;
using Shouwang.Web.Features.StatusColours;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Checkpoints;

/// <summary>A household's pass-card state under its committee's active rule, in today's window.</summary>
public sealed record PassState(Guid RuleId, int Allowed, int Used, int Window, int WindowDays, DateOnly FirstDay, DateOnly LastDay, int OpenTrips, int MaxHoursOut,
    long CommunityCode, Guid? GridId)
{
    public bool UsedUp => Used >= Allowed;
    public BlockingFact UsedUpFact => new($"{Used}/{Allowed}", $"pass-card-rule:{RuleId}");
}

/// <summary>A household as a gate sees it.</summary>
public sealed record HouseholdFacts(Guid Id, string Address, long CommunityCode, Guid GridId, Guid? CompoundId, int Size, bool LivesHere, SubjectFacts Facts, PassState? Pass);

/// <summary>A registered person as a gate sees it: who (for masking), where they live, what the rules need to know.</summary>
public sealed record ResidentFacts(Guid PersonId, string Name, DocumentType DocumentType, string DocumentNumber, long CommunityCode, Guid? GridId,
    Guid? HouseholdId, string? Address, int HouseholdSize, SubjectFacts Facts, PassState? Pass);

/// <summary>
/// Gathers what <see cref="CheckpointRules"/> needs about the people at a gate, for any number of them at once, in a fixed
/// number of indexed queries (ids IN (...)). Gates see strangers, so everything is read as the platform (system scope);
/// callers hand out only masked data.
/// </summary>
public sealed class CheckpointFacts(IDbContextFactory<AppDbContext> dbFactory, IStatusColourSource colours, IStringLocalizer<PoliciesResource> labels)
{
    public async Task<Dictionary<Guid, ResidentFacts>> ForPersonsAsync(Checkpoint checkpoint, IReadOnlyCollection<Guid> personIds, DateOnly today,
        bool householdSizes, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<Guid, ResidentFacts>();
        if (personIds.Count == 0) return result;
        using var _ = CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = personIds.Distinct().ToList();
        var people = await (from p in db.Persons.AsNoTracking()
                            where ids.Contains(p.Id)
                            join h in db.Households on p.HouseholdId equals h.Id into hs
                            from h in hs.DefaultIfEmpty()
                            select new
                            {
                                p.Id, p.Name, p.DocumentType, p.DocumentNumber, p.CommunityCode, p.GridId, p.HouseholdId, p.VaccinationDoses,
                                Address = h == null ? null : h.Address, CompoundId = h == null ? null : h.CompoundId, BuildingId = h == null ? null : (Guid?)h.BuildingId,
                                Size = householdSizes && p.HouseholdId != null ? db.Persons.Count(x => x.HouseholdId == p.HouseholdId) : 0,
                            }).ToListAsync(cancellationToken);
        if (people.Count == 0) return result;
        var known = people.Select(p => p.Id).ToList();

        // Restrictions, stages in force and the risk area are read once and serve both the colour and the passage rules.
        var restrictions = await db.Restrictions.AsNoTracking()
            .Where(r => known.Contains(r.PersonId) && r.State == RestrictionState.Active && (r.Until == null || r.Until >= today)
                && (r.Kind == RestrictionKind.CheckpointDenial || r.Kind == RestrictionKind.StatusColour))
            .ToListAsync(cancellationToken);
        var measures = await db.ControlMeasures.AsNoTracking()
            .Where(m => known.Contains(m.PersonId) && m.State == MeasureState.Active && m.StartDay <= today && m.EndDay >= today)
            .ToListAsync(cancellationToken);
        var covers = await RiskAreaCover.ForHomesAsync(db, people.Select(p => new RiskAreaCover.Home(p.Id, p.CommunityCode, p.BuildingId, p.CompoundId)).ToList(), cancellationToken);
        // A province's health code comes from its adapter; our own colour is worked out from what was just read.
        var colourOf = colours is OwnStatusColour own
            ? known.ToDictionary(id => id, id => own.Combine(restrictions.Where(r => r.PersonId == id), measures.Where(m => m.PersonId == id), covers.GetValueOrDefault(id), today))
            : await colours.ColoursAsync(known, cancellationToken);
        var since = today.AddDays(-checkpoint.RiskWindowDays);
        var documents = people.Select(p => p.DocumentNumber).Distinct().ToList();
        var arrivals = await db.ArrivalReports.AsNoTracking()
            .Where(a => documents.Contains(a.DocumentNumber) && a.ArrivedOn >= since
                && (a.OriginRiskLevel == RiskAreaLevel.High || a.OriginRiskLevel == RiskAreaLevel.Medium) && a.State != ArrivalState.Dismissed)
            .Select(a => new { a.PersonId, a.DocumentType, a.DocumentNumber, a.OriginCode, a.OriginName, a.ArrivedOn }).ToListAsync(cancellationToken);
        var passes = await PassStatesAsync(db, people.Where(p => p.HouseholdId != null).Select(p => (p.HouseholdId!.Value, p.CommunityCode, p.GridId)).Distinct().ToList(), today, cancellationToken);

        var (guardMin, guardMax) = JurisdictionCode.Parse(checkpoint.GuardedCode).SubtreeRange;
        foreach (var p in people)
        {
            var colour = colourOf.GetValueOrDefault(p.Id) ?? StatusColourResult.Green;
            var stages = measures.Where(m => m.PersonId == p.Id && m.Kind is MeasureKind.HomeQuarantine or MeasureKind.CentralisedQuarantine).ToList();
            var home = stages.FirstOrDefault(m => m.Kind == MeasureKind.HomeQuarantine && m.Category != PersonCategory.Case);
            var transfer = stages.FirstOrDefault(m => m.Kind == MeasureKind.CentralisedQuarantine || m.Category == PersonCategory.Case);
            var cover = covers.GetValueOrDefault(p.Id);
            var arrival = arrivals.Where(a => a.PersonId == p.Id || (a.DocumentNumber == p.DocumentNumber && a.DocumentType == p.DocumentType))
                .OrderByDescending(a => a.ArrivedOn).FirstOrDefault();
            var facts = new SubjectFacts
            {
                LivesHere = p.CommunityCode >= guardMin && p.CommunityCode <= guardMax && (checkpoint.CompoundId is null || checkpoint.CompoundId == p.CompoundId),
                Colour = colour.Colour,
                ColourReasons = colour.Reasons,
                Denials = restrictions.Where(d => d.PersonId == p.Id && d.Kind == RestrictionKind.CheckpointDenial && d.IsInForce(today))
                    .Select(d => new BlockingFact(d.Reason, $"restriction:{d.Id}")).ToList(),
                HomeQuarantine = home is null ? null : MeasureFact(home, today),
                ToBeTransferred = transfer is null ? null : MeasureFact(transfer, today),
                Lockdown = cover is { DeniesExit: true } ? new BlockingFact(cover.Name, $"risk-area:{cover.RiskAreaId}") : null,
                RiskOrigin = arrival is null ? null : new BlockingFact(arrival.OriginName, $"origin:{arrival.OriginCode}"),
                VaccinationDoses = p.VaccinationDoses,
            };
            var pass = p.HouseholdId is { } household ? passes.GetValueOrDefault(household) : null;
            result[p.Id] = new ResidentFacts(p.Id, p.Name, p.DocumentType, p.DocumentNumber, p.CommunityCode, p.GridId, p.HouseholdId, p.Address,
                p.Size, facts, pass);
        }
        return result;
    }

    /// <summary>A household's card scanned at the gate: what holds for the whole household (its area, its quota).</summary>
    public async Task<HouseholdFacts?> ForHouseholdAsync(Checkpoint checkpoint, Guid householdId, DateOnly today, CancellationToken cancellationToken = default)
    {
        using var _ = CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await db.Households.AsNoTracking().Where(h => h.Id == householdId)
            .Select(h => new { h.Id, h.Address, h.CommunityCode, h.GridId, h.CompoundId, h.BuildingId }).FirstOrDefaultAsync(cancellationToken);
        if (household is null) return null;
        var size = (await HouseholdSizesAsync(db, [householdId], cancellationToken)).GetValueOrDefault(householdId);
        // The same matching as for people, keyed by the household instead.
        var area = (await RiskAreaCover.ForHomesAsync(db, [new RiskAreaCover.Home(household.Id, household.CommunityCode, household.BuildingId, household.CompoundId)],
            cancellationToken)).GetValueOrDefault(household.Id);
        var pass = (await PassStatesAsync(db, [(household.Id, household.CommunityCode, (Guid?)household.GridId)], today, cancellationToken)).GetValueOrDefault(household.Id);
        var (guardMin, guardMax) = JurisdictionCode.Parse(checkpoint.GuardedCode).SubtreeRange;
        var facts = new SubjectFacts
        {
            LivesHere = household.CommunityCode >= guardMin && household.CommunityCode <= guardMax && (checkpoint.CompoundId is null || checkpoint.CompoundId == household.CompoundId),
            Lockdown = area is { DeniesExit: true } ? new BlockingFact(area.Name, $"risk-area:{area.RiskAreaId}") : null,
        };
        return new HouseholdFacts(household.Id, household.Address, household.CommunityCode, household.GridId, household.CompoundId, size, facts.LivesHere, facts, pass);
    }

    /// <summary>A visitor's facts: only where they came from (and, at the passage, the doses they state).</summary>
    public async Task<Dictionary<string, BlockingFact?>> OriginRisksAsync(Checkpoint checkpoint, IEnumerable<string> originCodes, DateOnly today,
        CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, BlockingFact?>(StringComparer.Ordinal);
        var codes = originCodes.Where(c => !string.IsNullOrEmpty(c)).Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count == 0) return result;
        using var _ = CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var code in codes)
        {
            var risk = await OriginRisk.LookUpAsync(db, code, today.AddDays(-checkpoint.RiskWindowDays), cancellationToken);
            result[code] = risk.IsAtRisk ? new BlockingFact(Origins.FullName(code) ?? code, $"origin:{code}") : null;
        }
        return result;
    }

    public static SubjectFacts VisitorFacts(BlockingFact? origin, int? doses) =>
        new() { LivesHere = false, Colour = StatusColour.Green, RiskOrigin = origin, VaccinationDoses = doses };

    private BlockingFact MeasureFact(ControlMeasure measure, DateOnly today) =>
        new($"{labels[$"Category.{measure.Category}"]} · {labels[$"Kind.{measure.Kind}"]} {measure.DayNumberOn(today)}/{measure.Days}", $"restriction:{measure.CourseId}");

    private static async Task<Dictionary<Guid, int>> HouseholdSizesAsync(AppDbContext db, List<Guid> households, CancellationToken cancellationToken)
    {
        if (households.Count == 0) return [];
        return await db.Persons.AsNoTracking().Where(p => p.HouseholdId != null && households.Contains(p.HouseholdId.Value))
            .GroupBy(p => p.HouseholdId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }

    /// <summary>Pass-card state of households whose committee has an active rule: two queries whatever the number of households.</summary>
    private static async Task<Dictionary<Guid, PassState>> PassStatesAsync(AppDbContext db, List<(Guid Household, long Community, Guid? Grid)> households,
        DateOnly today, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, PassState>();
        if (households.Count == 0) return result;
        var communities = households.Select(h => h.Community).Distinct().ToList();
        var rules = await db.PassCardRules.AsNoTracking().Where(r => communities.Contains(r.CommunityCode) && r.IsActive).ToListAsync(cancellationToken);
        if (rules.Count == 0) return result;
        var ruled = households.Where(h => rules.Any(r => r.CommunityCode == h.Community)).ToList();
        var ids = ruled.Select(h => h.Household).ToList();
        var windows = rules.Select(r => r.WindowOf(today)).Distinct().ToList();
        var trips = await db.PassCardTrips.AsNoTracking().Where(t => ids.Contains(t.HouseholdId) && (windows.Contains(t.Window) || t.ReturnAt == null))
            .Select(t => new { t.HouseholdId, t.Window, t.ReturnAt }).ToListAsync(cancellationToken);
        foreach (var (household, community, grid) in ruled)
        {
            var rule = rules.First(r => r.CommunityCode == community);
            var window = rule.WindowOf(today);
            var (first, last) = rule.DaysOf(window);
            var own = trips.Where(t => t.HouseholdId == household).ToList();
            result[household] = new PassState(rule.Id, rule.PersonsPerWindow, own.Count(t => t.Window == window), window, rule.WindowDays, first, last,
                own.Count(t => t.ReturnAt == null), rule.MaxHoursOut, community, grid);
        }
        return result;
    }
}
