namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of policies (防控方案): PoliciesResource.resx is Chinese, .en is English.</summary>
public sealed class PoliciesResource;
