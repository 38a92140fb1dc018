namespace Shouwang.Web.Resources;

/// <summary>Marker for the strings of the sampling API (tubes, samples, transfer boxes) and its warnings: SamplingResource.resx is Chinese, .en is English.</summary>
public sealed class SamplingResource;
