namespace Shouwang.Web.Resources;

/// <summary>Marker for the shared resource files: SharedResource.resx is Chinese (the neutral language), .en is English.</summary>
public sealed class SharedResource;
