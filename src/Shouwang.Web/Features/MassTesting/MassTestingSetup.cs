namespace Shouwang.Web.Features.MassTesting;

public static class MassTestingSetup
{
    public static IServiceCollection AddMassTesting(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapMassTesting(this IEndpointRouteBuilder app) => app;
}
