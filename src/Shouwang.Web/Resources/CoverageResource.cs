namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of round coverage (覆盖率) and the missing list: CoverageResource.resx is Chinese, .en is English.</summary>
public sealed class CoverageResource;
