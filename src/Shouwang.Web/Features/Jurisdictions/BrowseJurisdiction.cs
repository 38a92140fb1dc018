using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Jurisdictions;

public sealed record Crumb(string Code, string Name);

public sealed record PopulationCounts(int Households, int Persons, IReadOnlyDictionary<VulnerabilityTags, int> ByTag)
{
    public int Vulnerable => ByTag.Values.Sum();
}

public sealed record JurisdictionChild(string Code, string Name, JurisdictionLevel Level, PopulationCounts Counts);

public sealed record JurisdictionNode(string Code, string Name, JurisdictionLevel Level, IReadOnlyList<Crumb> Path,
    PopulationCounts Counts, IReadOnlyList<JurisdictionChild> Children);

/// <summary>One node of the division tree with its children and the population below each, counted set-based.</summary>
public sealed class BrowseJurisdiction(IDbContextFactory<AppDbContext> dbFactory, IStringLocalizer<SharedResource> l)
{
    public async Task<Outcome<JurisdictionNode>> HandleAsync(string code, CancellationToken cancellationToken = default)
    {
        if (!JurisdictionCode.TryParse(code, out var parsed)) return new Outcome<JurisdictionNode>.NotFound(l["Error.JurisdictionNotFound"]);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Outside the caller's subtree a node is as good as unknown.
        if (!db.Caller.Covers(parsed.Value)) return new Outcome<JurisdictionNode>.NotFound(l["Error.JurisdictionNotFound"]);
        var node = await db.Jurisdictions.AsNoTracking().FirstOrDefaultAsync(j => j.Code == code, cancellationToken);
        if (node is null) return new Outcome<JurisdictionNode>.NotFound(l["Error.JurisdictionNotFound"]);

        var ancestors = new List<string>();
        for (var parent = parsed.Value.Parent; parent is not null; parent = parent.Value.Parent) ancestors.Add(parent.Value.Value);
        var names = await db.Jurisdictions.AsNoTracking().Where(j => ancestors.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
        var path = ancestors.AsEnumerable().Reverse().Select(a => new Crumb(a, names.GetValueOrDefault(a, a))).ToList();

        var children = await db.Jurisdictions.AsNoTracking().Where(j => j.ParentCode == code).OrderBy(j => j.Code).ToListAsync(cancellationToken);
        var (min, max) = parsed.Value.SubtreeRange;
        // The node narrows the context's scope range: one range per query (see AppDbContext.NarrowTo).
        db.NarrowTo(parsed.Value);
        // Grouped by committee and tag set: a handful of rows per committee, read from the (CommunityCode, Tags) index.
        var personGroups = await db.Persons
            .GroupBy(p => new { p.CommunityCode, p.Tags })
            .Select(g => new { g.Key.CommunityCode, g.Key.Tags, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var householdGroups = await db.Households
            .GroupBy(h => h.CommunityCode).Select(g => new { CommunityCode = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        PopulationCounts CountsWithin(long from, long to)
        {
            var byTag = new Dictionary<VulnerabilityTags, int>();
            var persons = 0;
            foreach (var group in personGroups.Where(g => g.CommunityCode >= from && g.CommunityCode <= to))
            {
                persons += group.Count;
                foreach (var tag in Enum.GetValues<VulnerabilityTags>())
                {
                    if (tag != VulnerabilityTags.None && group.Tags.HasFlag(tag)) byTag[tag] = byTag.GetValueOrDefault(tag) + group.Count;
                }
            }
            var households = householdGroups.Where(g => g.CommunityCode >= from && g.CommunityCode <= to).Sum(g => g.Count);
            return new PopulationCounts(households, persons, byTag);
        }

        var childNodes = children.Select(c =>
        {
            var (from, to) = JurisdictionCode.Parse(c.Code).SubtreeRange;
            return new JurisdictionChild(c.Code, c.Name, c.Level, CountsWithin(from, to));
        }).ToList();
        return new JurisdictionNode(node.Code, node.Name, node.Level, path, CountsWithin(min, max), childNodes);
    }

    /// <summary>
    /// Where the caller's tree starts: the provinces inside their scope, or their own node when it lies below a province.
    /// </summary>
    public async Task<IReadOnlyList<Crumb>> RootsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var caller = db.Caller;
        if (!caller.IsSystem && JurisdictionCode.TryParse(caller.NodeCode, out var own) && own.Value.Level != JurisdictionLevel.Province)
        {
            return await db.Jurisdictions.AsNoTracking().Where(j => j.Code == own.Value.Value)
                .Select(j => new Crumb(j.Code, j.Name)).ToListAsync(cancellationToken);
        }
        var provinces = await db.Jurisdictions.AsNoTracking().Where(j => j.ParentCode == null).OrderBy(j => j.Code)
            .Select(j => new Crumb(j.Code, j.Name)).ToListAsync(cancellationToken);
        return provinces.Where(p => JurisdictionCode.TryParse(p.Code, out var code) && caller.Covers(code.Value)).ToList();
    }

    /// <summary>Committees whose name or code matches, for pickers (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<Crumb>> FindCommitteesAsync(string? text, int limit = 20, CancellationToken cancellationToken = default)
    {
        var term = text?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Jurisdictions.AsNoTracking().Where(j => j.Level == JurisdictionLevel.Community);
        // Only committees the caller may work in (the division tree is public, but a picker offering the rest misleads).
        if (!db.Caller.IsSystem)
        {
            if (db.Caller.NodeCode is not { } node) return [];
            query = query.Where(j => j.Code.StartsWith(node));
        }
        if (term.Length > 0) query = query.Where(j => j.Name.Contains(term) || j.Code.StartsWith(term));
        return await query.OrderBy(j => j.Code).Take(limit).Select(j => new Crumb(j.Code, j.Name)).ToListAsync(cancellationToken);
    }
}
