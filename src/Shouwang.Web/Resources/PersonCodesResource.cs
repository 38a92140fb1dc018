namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of person codes (个人码): PersonCodesResource.resx is Chinese, .en is English.</summary>
public sealed class PersonCodesResource;
