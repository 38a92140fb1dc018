using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Domain.Policies;

namespace Shouwang.Web.Features.Policies;

/// <summary>A policy version as stored: the rule lists live in one JSON column, since they are read and written whole.</summary>
public sealed class StoredPolicy
{
    public const int MaxRulesLength = 20000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public DateOnly EffectiveFrom { get; set; }
    public string RulesJson { get; set; } = "{}";
    /// <summary>Shipped with the platform; never edited in place (editing a preset means copying it).</summary>
    public bool IsPreset { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    public PolicyVersion ToVersion()
    {
        var rules = JsonSerializer.Deserialize<PolicyRuleSet>(RulesJson, PolicyRuleSet.Json) ?? PolicyRuleSet.Empty;
        return new PolicyVersion(Code, Name, Description, EffectiveFrom, rules.Rules ?? [], rules.RiskAreas ?? [], rules.ReleaseRules ?? []);
    }

    public void SetRules(PolicyVersion version) => RulesJson = PolicyRuleSet.From(version).ToJson();

    public static StoredPolicy From(PolicyVersion version, bool isPreset, DateTime now)
    {
        var stored = new StoredPolicy
        {
            Code = version.Code, Name = version.Name, Description = version.Description, EffectiveFrom = version.EffectiveFrom,
            IsPreset = isPreset, CreatedAt = now, UpdatedAt = now,
        };
        stored.SetRules(version);
        return stored;
    }
}

/// <summary>The JSON column's shape. Enums are stored by name so that the stored rules survive a reordering of the enums.</summary>
public sealed record PolicyRuleSet(IReadOnlyList<CategoryRule>? Rules, IReadOnlyList<RiskAreaKind>? RiskAreas, IReadOnlyList<ReleaseRule>? ReleaseRules)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() }, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly PolicyRuleSet Empty = new([], [], []);

    public static PolicyRuleSet From(PolicyVersion version) => new(version.Rules, version.RiskAreas, version.ReleaseRules);

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>A node (any level of the division tree) follows a policy version from a day on, until a later row of the node or a deeper node's own row.</summary>
public sealed class PolicyInForce
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string JurisdictionCode { get; init; }
    /// <summary>The node's <see cref="Domain.Jurisdictions.JurisdictionCode.SubtreeRange"/>, for "what is in force inside this scope".</summary>
    public long NodeMin { get; init; }
    public long NodeMax { get; init; }
    public Guid PolicyId { get; set; }
    public DateOnly FromDay { get; init; }
    public Guid? SetBy { get; set; }
    public required string SetByName { get; set; }
    public DateTime SetAt { get; set; }
}

public sealed class StoredPolicyConfiguration : IEntityTypeConfiguration<StoredPolicy>
{
    public void Configure(EntityTypeBuilder<StoredPolicy> builder)
    {
        builder.ToTable("Policies");
        builder.Property(p => p.Code).HasMaxLength(40);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Description).HasMaxLength(1000);
        builder.Property(p => p.RulesJson).HasMaxLength(StoredPolicy.MaxRulesLength);
        builder.HasIndex(p => p.Code).IsUnique();
    }
}

public sealed class PolicyInForceConfiguration : IEntityTypeConfiguration<PolicyInForce>
{
    public void Configure(EntityTypeBuilder<PolicyInForce> builder)
    {
        builder.ToTable("PoliciesInForce");
        builder.Property(p => p.JurisdictionCode).HasMaxLength(12);
        builder.Property(p => p.SetByName).HasMaxLength(100);
        builder.HasIndex(p => new { p.JurisdictionCode, p.FromDay }).IsUnique();
        builder.HasIndex(p => new { p.NodeMin, p.NodeMax });
        builder.HasOne<StoredPolicy>().WithMany().HasForeignKey(p => p.PolicyId).OnDelete(DeleteBehavior.Restrict);
    }
}
