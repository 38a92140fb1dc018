using System.Collections.Frozen;
using Shouwang.Web.Features.Jurisdictions;

namespace Shouwang.Web.Features.Arrivals;

public sealed record OriginOption(string Code, string Name);

/// <summary>
/// Every place an arrival can come from: national provinces, cities, counties and streets (embedded CSVs, read once on first
/// use and kept in memory) plus the platform's own committees, and <see cref="Abroad"/>. Deliberately not the jurisdiction
/// table, which holds only the area the platform serves.
/// </summary>
public static class Origins
{
    /// <summary>Reserved origin code for 境外 (inbound travellers). No division code is all zeros.</summary>
    public const string Abroad = "000000";
    public const string AbroadName = "境外";

    // Placeholder city names of municipalities and province-administered counties: not part of a place's written name.
    private static readonly HashSet<string> SilentNames = ["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"];

    private sealed record Entry(string Code, string Name, string? Parent);

    private sealed class Index
    {
        public required FrozenDictionary<string, Entry> ByCode { get; init; }
        public required FrozenDictionary<string, OriginOption[]> Children { get; init; }
    }

    private static readonly Lazy<Index> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool IsAbroad(string? code) => code == Abroad;

    /// <summary>A 6 (county), 9 (street) or 12-digit (committee) code on the list, or <see cref="Abroad"/>.</summary>
    public static bool IsValidOrigin(string? code) =>
        IsAbroad(code) || (code is { Length: 6 or 9 or 12 } && Loaded.Value.ByCode.ContainsKey(code));

    public static bool Exists(string? code) => code is not null && (IsAbroad(code) || Loaded.Value.ByCode.ContainsKey(code));

    /// <summary>"湖北省武汉市江岸区大智街道"; null for an unknown code.</summary>
    public static string? FullName(string? code)
    {
        if (code is null) return null;
        if (IsAbroad(code)) return AbroadName;
        var index = Loaded.Value;
        if (!index.ByCode.TryGetValue(code, out var entry)) return null;
        var parts = new List<string>();
        for (var at = entry; at is not null; at = at.Parent is { } p && index.ByCode.TryGetValue(p, out var parent) ? parent : null)
        {
            if (!SilentNames.Contains(at.Name)) parts.Add(at.Name);
        }
        parts.Reverse();
        return string.Concat(parts);
    }

    /// <summary>The places one level down: provinces for null or empty, then cities, counties, streets (and our committees under our streets).</summary>
    public static IReadOnlyList<OriginOption> Children(string? code) =>
        Loaded.Value.Children.TryGetValue(code ?? "", out var children) ? children : [];

    /// <summary>The chain of codes from the province down to <paramref name="code"/> (e.g. 42, 4201, 420102, 420102002), for re-filling pickers.</summary>
    public static IReadOnlyList<string> Chain(string? code)
    {
        var chain = new List<string>();
        var index = Loaded.Value;
        for (var at = code is null ? null : index.ByCode.GetValueOrDefault(code); at is not null; at = at.Parent is { } p ? index.ByCode.GetValueOrDefault(p) : null)
            chain.Add(at.Code);
        chain.Reverse();
        return chain;
    }

    private static Index Load()
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var assembly = typeof(Origins).Assembly;
        void Read(string resource, Func<List<string>, string?> parent)
        {
            using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"Missing embedded resource {resource}");
            using var reader = new StreamReader(stream);
            reader.ReadLine();
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0) continue;
                var fields = DivisionImporter.SplitCsvLine(line);
                entries[fields[0]] = new Entry(fields[0], fields[1], parent(fields));
            }
        }
        const string divisions = "Shouwang.Web.Features.Jurisdictions.Divisions.";
        Read(divisions + "provinces.csv", _ => null);
        Read(divisions + "cities.csv", f => f[2]);
        Read(divisions + "areas.csv", f => f[2]);
        Read("Shouwang.Web.Features.Arrivals.Origins.streets.csv", f => f[2]);
        Read(divisions + "villages.csv", f => f[2]);

        var children = entries.Values.GroupBy(e => e.Parent ?? "")
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(e => e.Code, StringComparer.Ordinal).Select(e => new OriginOption(e.Code, e.Name)).ToArray());
        return new Index { ByCode = entries.ToFrozenDictionary(StringComparer.Ordinal), Children = children };
    }
}
