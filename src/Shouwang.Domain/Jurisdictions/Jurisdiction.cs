namespace Shouwang.Domain.Jurisdictions;

/// <summary>A node of the NBS division tree, from province down to residents' or village committee.</summary>
public sealed class Jurisdiction
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public JurisdictionLevel Level { get; init; }
    public string? ParentCode { get; init; }
    /// <summary>IANA time zone in which "a day" is counted here; null means inherit (Asia/Shanghai at the root).</summary>
    public string? TimeZone { get; set; }

    public static Jurisdiction Create(JurisdictionCode code, string name) => new()
    {
        Code = code.Value,
        Name = name.Trim(),
        Level = code.Level,
        ParentCode = code.Parent?.Value,
    };
}
