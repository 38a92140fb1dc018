using Microsoft.Extensions.Localization;
using Shouwang.Domain.People;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Registry;

/// <summary>Translated names of the registry's enum values, for pages and exports.</summary>
public static class Labels
{
    public static readonly VulnerabilityTags[] AllTags = Enum.GetValues<VulnerabilityTags>().Where(t => t != VulnerabilityTags.None).ToArray();

    public static string Tags(IStringLocalizer<SharedResource> l, VulnerabilityTags tags) =>
        string.Join("、", AllTags.Where(t => tags.HasFlag(t)).Select(t => l[$"Tag.{t}"].Value));
}
