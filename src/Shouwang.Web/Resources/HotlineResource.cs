namespace Shouwang.Web.Resources;

/// <summary>Marker for the residents' hotline pages and API strings: HotlineResource.resx is Chinese, .en is English.</summary>
public sealed class HotlineResource;
