namespace Shouwang.Web.Features.RiskAreas;

public static class RiskAreasSetup
{
    public static IServiceCollection AddRiskAreas(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapRiskAreas(this IEndpointRouteBuilder app) => app;
}
