using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

/// <summary>One node of the plan: its population, the sites and samplers it needs, what it has, and the gap (positive: short).</summary>
public sealed record PlanRow(
    string Code, string Name, int Population, int ProposedSites, int ProposedSamplers, int ActiveSites, int Samplers, int SiteGap, int SamplerGap);

public sealed record SamplingPlanResult(PlanRow Node, IReadOnlyList<PlanRow> Children);

/// <summary>
/// The planning view: how many sites and samplers a node and each of its children need from their population
/// (<see cref="SamplingPlan.For"/>), against the active sites and assigned samplers they have.
/// </summary>
public sealed class SamplingSitesPlan(IDbContextFactory<AppDbContext> dbFactory, IStringLocalizer<SamplingSitesResource> l)
{
    public async Task<Outcome<SamplingPlanResult>> ForAsync(string? node, CancellationToken cancellationToken = default)
    {
        if (!JurisdictionCode.TryParse(node?.Trim(), out var parsed))
        {
            var errors = new FieldErrors();
            errors.Add("node", l["Error.NodeInvalid"]);
            return errors.ToOutcome<SamplingPlanResult>();
        }
        var code = parsed.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Outside the caller's subtree a node is as good as unknown.
        if (!db.Caller.Covers(code)) return new Outcome<SamplingPlanResult>.NotFound(l["Error.NodeNotFound"]);
        var self = await db.Jurisdictions.AsNoTracking().Where(j => j.Code == code.Value).Select(j => j.Name).FirstOrDefaultAsync(cancellationToken);
        if (self is null) return new Outcome<SamplingPlanResult>.NotFound(l["Error.NodeNotFound"]);
        var children = code.Level == JurisdictionLevel.Community
            ? [(Code: code.Value, Name: self)]
            : (await db.Jurisdictions.AsNoTracking().Where(j => j.ParentCode == code.Value).OrderBy(j => j.Code)
                .Select(j => new { j.Code, j.Name }).ToListAsync(cancellationToken)).Select(j => (j.Code, j.Name)).ToList();

        var (min, max) = code.SubtreeRange;
        // One GROUP BY over the committee index: a row per committee, never a row per person.
        var population = await db.Persons.Where(p => p.CommunityCode >= min && p.CommunityCode <= max)
            .GroupBy(p => p.CommunityCode).Select(g => new { Community = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var sites = await db.SamplingSites.Where(s => s.IsActive && s.CommunityCode >= min && s.CommunityCode <= max)
            .GroupBy(s => s.CommunityCode).Select(g => new { Community = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var activeSiteIds = db.SamplingSites.Where(s => s.IsActive && s.CommunityCode >= min && s.CommunityCode <= max).Select(s => s.Id);
        var samplers = await db.SamplingSiteStaff.Where(s => activeSiteIds.Contains(s.SiteId))
            .Select(s => new { s.CommunityCode, s.AccountId }).Distinct().ToListAsync(cancellationToken);

        PlanRow Row(string rowCode, string name)
        {
            var (from, to) = JurisdictionCode.Parse(rowCode).SubtreeRange;
            bool In(long c) => c >= from && c <= to;
            var people = population.Where(p => In(p.Community)).Sum(p => p.Count);
            var (proposedSites, proposedSamplers) = SamplingPlan.For(people);
            var active = sites.Where(s => In(s.Community)).Sum(s => s.Count);
            var staff = samplers.Where(s => In(s.CommunityCode)).Select(s => s.AccountId).Distinct().Count();
            return new PlanRow(rowCode, name, people, proposedSites, proposedSamplers, active, staff, proposedSites - active, proposedSamplers - staff);
        }

        return new SamplingPlanResult(Row(code.Value, self), children.Select(c => Row(c.Code, c.Name)).ToList());
    }
}
