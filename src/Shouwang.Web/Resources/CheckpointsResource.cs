namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of checkpoints (卡口): checkpoints, duty, scan, passages, visitors, vehicles, logs and live view: CheckpointsResource.resx is Chinese, .en is English.</summary>
public sealed class CheckpointsResource;
