namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of a round's door-to-door sampling orders: DoorToDoorResource.resx is Chinese, .en is English.</summary>
public sealed class DoorToDoorResource;
