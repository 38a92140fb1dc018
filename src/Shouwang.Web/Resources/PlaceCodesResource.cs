namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of place codes (场所码) and presences: PlaceCodesResource.resx is Chinese, .en is English.</summary>
public sealed class PlaceCodesResource;
