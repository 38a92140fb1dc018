namespace Shouwang.Web.Features.MassTesting;

/// <summary>Sampling sites, their samplers, and the planning view.</summary>
public static class SamplingSitesSetup
{
    public static IServiceCollection AddSamplingSites(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapSamplingSites(this IEndpointRouteBuilder app) => app;
}
