namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of household pass cards (临时出入卡): PassCardsResource.resx is Chinese, .en is English.</summary>
public sealed class PassCardsResource;
