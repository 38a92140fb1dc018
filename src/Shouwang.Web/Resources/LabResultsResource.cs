namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of lab results, retests and their effects: LabResultsResource.resx is Chinese, .en is English.</summary>
public sealed class LabResultsResource;
