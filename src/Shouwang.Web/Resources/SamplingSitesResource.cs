namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of sampling sites and planning: SamplingSitesResource.resx is Chinese, .en is English.</summary>
public sealed class SamplingSitesResource;
