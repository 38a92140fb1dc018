namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of risk areas (风险区): RiskAreasResource.resx is Chinese, .en is English.</summary>
public sealed class RiskAreasResource;
