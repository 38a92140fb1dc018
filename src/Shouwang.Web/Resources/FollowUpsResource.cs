namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of daily follow-ups (随访) and alerts: FollowUpsResource.resx is Chinese, .en is English.</summary>
public sealed class FollowUpsResource;
