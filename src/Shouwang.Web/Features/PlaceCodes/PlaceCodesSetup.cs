namespace Shouwang.Web.Features.PlaceCodes;

public static class PlaceCodesSetup
{
    public static IServiceCollection AddPlaceCodes(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapPlaceCodes(this IEndpointRouteBuilder app) => app;
}
