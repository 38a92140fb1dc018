namespace Shouwang.Web.Features.Arrivals;

public static class ArrivalsSetup
{
    public static IServiceCollection AddArrivals(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapArrivals(this IEndpointRouteBuilder app) => app;
}
