namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of control measures (管控措施): MeasuresResource.resx is Chinese, .en is English.</summary>
public sealed class MeasuresResource;
