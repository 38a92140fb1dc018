namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of mass testing rounds (全员核酸): MassTestingResource.resx is Chinese, .en is English.</summary>
public sealed class MassTestingResource;
