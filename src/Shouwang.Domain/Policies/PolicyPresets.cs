namespace Shouwang.Domain.Policies;

/// <summary>
/// The national protocols as shipped presets (figures in shared/POLICY-PRESETS.md). Users copy and correct them; a category a
/// protocol no longer identifies simply has no rule.
/// </summary>
public static class PolicyPresets
{
    private static readonly int[] QuarantineTests = [1, 2, 3, 5, 7];

    public static PolicyVersion NinthEdition { get; } = new(
        Code: "NHC-9",
        Name: "新型冠状病毒肺炎防控方案（第九版）",
        Description: "国务院应对新型冠状病毒肺炎疫情联防联控机制综合组《新型冠状病毒肺炎防控方案（第九版）》，2022年6月28日起施行。"
            + "数字据国家卫生健康委文件转载整理，请核对后使用。",
        EffectiveFrom: new DateOnly(2022, 6, 28),
        Rules:
        [
            new(PersonCategory.CloseContact, PeriodAnchor.LastExposure,
                [new(MeasureKind.CentralisedQuarantine, 7, QuarantineTests, ChecksPerDay: 2), new(MeasureKind.HomeHealthMonitoring, 3, [3])]),
            new(PersonCategory.SecondaryContact, PeriodAnchor.LastExposure, [new(MeasureKind.HomeQuarantine, 7, [1, 4, 7], ChecksPerDay: 2)]),
            new(PersonCategory.InboundTraveller, PeriodAnchor.Arrival,
                [new(MeasureKind.CentralisedQuarantine, 7, QuarantineTests, ChecksPerDay: 2), new(MeasureKind.HomeHealthMonitoring, 3, [3])]),
            new(PersonCategory.HighRiskAreaArrival, PeriodAnchor.LeftArea, [new(MeasureKind.CentralisedQuarantine, 7, QuarantineTests, ChecksPerDay: 2)]),
            new(PersonCategory.MediumRiskAreaArrival, PeriodAnchor.LeftArea, [new(MeasureKind.HomeQuarantine, 7, [1, 4, 7], ChecksPerDay: 2)]),
            // 三天两检: two tests at least 24 h apart, days 1 and 3 by default.
            new(PersonCategory.LowRiskAreaArrival, PeriodAnchor.Arrival, [new(MeasureKind.TestsOnly, 3, [1, 3])]),
        ],
        RiskAreas:
        [
            new(RiskAreaLevel.High, "高风险区（封控区）", AreaConfinement.StayHome, "居住小区（村）"),
            new(RiskAreaLevel.Medium, "中风险区（管控区）", AreaConfinement.StayInArea, "病例工作地和活动地等区域"),
            new(RiskAreaLevel.Low, "低风险区（防范区）", AreaConfinement.PersonalProtection, "所在县（市、区）的其他地区"),
        ],
        ReleaseRules:
        [
            new(RiskAreaLevel.High, RiskAreaLevel.Medium, 7, NegativeScreeningOnDay: 7),
            new(RiskAreaLevel.Medium, RiskAreaLevel.Low, 3, NegativeScreeningOnDay: null, DowngradedFrom: RiskAreaLevel.High),
            new(RiskAreaLevel.Medium, RiskAreaLevel.Low, 7, NegativeScreeningOnDay: 7),
        ]);

    public static PolicyVersion TwentyMeasures { get; } = new(
        Code: "NHC-9-20",
        Name: "优化防控工作二十条",
        Description: "国务院联防联控机制综合组《关于进一步优化新冠肺炎疫情防控措施 科学精准做好防控工作的通知》（二十条），"
            + "对第九版的调整，2022年11月11日起施行。数字据国家卫生健康委文件转载整理，请核对后使用。",
        EffectiveFrom: new DateOnly(2022, 11, 11),
        Rules:
        [
            new(PersonCategory.CloseContact, PeriodAnchor.LastExposure,
                [new(MeasureKind.CentralisedQuarantine, 5, [1, 2, 3, 5], ChecksPerDay: 2), new(MeasureKind.HomeQuarantine, 3, [1, 3], ChecksPerDay: 2)]),
            new(PersonCategory.InboundTraveller, PeriodAnchor.Arrival,
                [new(MeasureKind.CentralisedQuarantine, 5, [1, 2, 3, 5], ChecksPerDay: 2), new(MeasureKind.HomeQuarantine, 3, [1, 3], ChecksPerDay: 2)]),
            new(PersonCategory.HighRiskAreaArrival, PeriodAnchor.LeftArea, [new(MeasureKind.HomeQuarantine, 7, [1, 3, 5, 7], ChecksPerDay: 2)]),
            // Counted from leaving the closed loop, which is what LeftArea means for them.
            new(PersonCategory.ClosedLoopWorker, PeriodAnchor.LeftArea, [new(MeasureKind.HomeHealthMonitoring, 5, [1, 3, 5])]),
        ],
        RiskAreas:
        [
            new(RiskAreaLevel.High, "高风险区", AreaConfinement.StayHome, "楼栋、单元"),
            new(RiskAreaLevel.Low, "低风险区", AreaConfinement.PersonalProtection, "其他地区"),
        ],
        ReleaseRules: [new(RiskAreaLevel.High, RiskAreaLevel.Low, 5, NegativeScreeningOnDay: null)]);

    /// <summary>乙类乙管: no quarantine, no contacts, no risk areas; the platform runs with every restriction off.</summary>
    public static PolicyVersion TenthEdition { get; } = new(
        Code: "NHC-10",
        Name: "新型冠状病毒感染防控方案（第十版）",
        Description: "国务院联防联控机制综合组《新型冠状病毒感染防控方案（第十版）》，2023年1月8日起实施“乙类乙管”："
            + "不再判定密切接触者，不再划定风险区，不再实施隔离，愿检尽检。",
        EffectiveFrom: new DateOnly(2023, 1, 8),
        Rules: [],
        RiskAreas: [],
        ReleaseRules: []);

    public static IReadOnlyList<PolicyVersion> All { get; } = [NinthEdition, TwentyMeasures, TenthEdition];
}
