using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shouwang.Web.Features.StatusColours;

public static class StatusColourSetup
{
    public const string SourceSetting = "Shouwang:StatusColour:Source";
    public const string Own = "Own";

    /// <summary>
    /// The platform's own colours unless <c>Shouwang:StatusColour:Source</c> names another source; that source's adapter must
    /// then be registered as <see cref="IStatusColourSource"/> (the last registration wins), or resolving it fails loudly.
    /// </summary>
    public static IServiceCollection AddStatusColour(this IServiceCollection services)
    {
        services.TryAddTransient<IStatusColourSource>(sp =>
        {
            var source = sp.GetRequiredService<IConfiguration>()[SourceSetting] ?? Own;
            return string.Equals(source, Own, StringComparison.OrdinalIgnoreCase)
                ? ActivatorUtilities.CreateInstance<OwnStatusColour>(sp)
                : throw new InvalidOperationException($"{SourceSetting} is '{source}' but no IStatusColourSource for it is registered.");
        });
        return services;
    }
}
