using Microsoft.Extensions.Localization;
using Shouwang.Domain.Policies;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Policies;

public sealed record InForceItem(string JurisdictionCode, string? JurisdictionName, DateOnly FromDay, string SetByName, DateTime SetAt);

public sealed record PolicySummary(Guid Id, string Code, string Name, DateOnly EffectiveFrom, bool IsPreset, IReadOnlyList<InForceItem> InForce);

public sealed record PolicyDetails(
    Guid Id, string Code, string Name, string Description, DateOnly EffectiveFrom, bool IsPreset, DateTime UpdatedAt,
    IReadOnlyList<CategoryRule> Rules, IReadOnlyList<RiskAreaKind> RiskAreas, IReadOnlyList<ReleaseRule> ReleaseRules,
    IReadOnlyList<InForceItem> InForce);

/// <summary>The version that applies to a node on a day, and where it was set (the node itself or the nearest ancestor); no policy when none was put in force.</summary>
public sealed record AppliedPolicy(string Jurisdiction, DateOnly Day, PolicySummary? Policy, string? SetForNode, DateOnly? FromDay);

/// <summary>Policy rules in words, e.g. "集中隔离 7 天（第1、2、3、5、7天核酸）→ 居家健康监测 3 天（第3天核酸）".</summary>
public static class PolicyText
{
    public static string Stages(IStringLocalizer<PoliciesResource> t, CategoryRule rule) =>
        string.Join(t["Stage.Then"], rule.Stages.Select(s => Stage(t, s)));

    public static string Stage(IStringLocalizer<PoliciesResource> t, MeasureStage stage)
    {
        var text = stage.TestDays.Count == 0
            ? t["Stage.NoTests", Kind(t, stage.Kind), stage.Days]
            : t["Stage.WithTests", Kind(t, stage.Kind), stage.Days, string.Join(t["List.Separator"], stage.TestDays.Order())];
        return stage.ChecksPerDay > 1 ? $"{text}{t["Stage.ChecksPerDay", stage.ChecksPerDay]}" : text;
    }

    public static string Kind(IStringLocalizer<PoliciesResource> t, MeasureKind kind) => t[$"Kind.{kind}"];
    public static string Category(IStringLocalizer<PoliciesResource> t, PersonCategory category) => t[$"Category.{category}"];
    public static string Anchor(IStringLocalizer<PoliciesResource> t, PeriodAnchor anchor) => t[$"Anchor.{anchor}"];
    public static string Level(IStringLocalizer<PoliciesResource> t, RiskAreaLevel level) => t[$"Level.{level}"];
    public static string Confinement(IStringLocalizer<PoliciesResource> t, AreaConfinement confinement) => t[$"Confinement.{confinement}"];

    public static string Release(IStringLocalizer<PoliciesResource> t, ReleaseRule rule)
    {
        var text = rule.NegativeScreeningOnDay is { } day
            ? t["Release.WithScreening", Level(t, rule.From), Level(t, rule.To), rule.DaysWithoutNewInfection, day]
            : t["Release.NoScreening", Level(t, rule.From), Level(t, rule.To), rule.DaysWithoutNewInfection];
        return rule.DowngradedFrom is { } from ? $"{text}{t["Release.DowngradedFrom", Level(t, from)]}" : text;
    }

    /// <summary>A validation error in words, naming the category and stage (or the risk level) it is about.</summary>
    public static (string Field, string Message) Error(IStringLocalizer<PoliciesResource> t, PolicyError error)
    {
        var category = error.Category is { } c ? Category(t, c) : "";
        var level = error.Level is { } l ? Level(t, l) : "";
        var field = error.Kind switch
        {
            PolicyErrorKind.CodeMissing => "Code",
            PolicyErrorKind.NameMissing => "Name",
            PolicyErrorKind.DuplicateRiskArea => "RiskAreas",
            PolicyErrorKind.ReleaseNotADowngrade or PolicyErrorKind.ReleaseDaysBelowOne or PolicyErrorKind.ScreeningDayOutsideCount
                or PolicyErrorKind.ReleaseFromUnknownLevel => "ReleaseRules",
            _ => "Rules",
        };
        return (field, t[$"Error.{error.Kind}", category, error.Stage ?? 0, error.Day ?? 0, level]);
    }
}
