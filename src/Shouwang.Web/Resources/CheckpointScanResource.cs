namespace Shouwang.Web.Resources;

/// <summary>Marker for the checkpoint scan page's strings (CheckpointScanResource.resx / .en.resx).</summary>
public sealed class CheckpointScanResource;
