namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of checkpoint logs, the live view and vehicles: CheckpointLogsResource.resx is Chinese, .en is English.</summary>
public sealed class CheckpointLogsResource;
