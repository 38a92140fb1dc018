namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of restrictions and retention: RestrictionsResource.resx is Chinese, .en is English.</summary>
public sealed class RestrictionsResource;
