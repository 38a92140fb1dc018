namespace Shouwang.Web.Features.Hotline;

public static class HotlineSetup
{
    public static IServiceCollection AddHotline(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapHotline(this IEndpointRouteBuilder app) => app;
}
