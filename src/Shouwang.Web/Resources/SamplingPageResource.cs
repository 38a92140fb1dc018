namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of the sampler's phone page (/sampling): SamplingPageResource.resx is Chinese, .en is English.</summary>
public sealed class SamplingPageResource;
