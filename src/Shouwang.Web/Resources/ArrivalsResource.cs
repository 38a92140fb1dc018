namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of arrival reports (来返报备): ArrivalsResource.resx is Chinese, .en is English.</summary>
public sealed class ArrivalsResource;
