namespace Shouwang.Web.Features.Restrictions;

public static class RestrictionsSetup
{
    public static IServiceCollection AddRestrictions(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapRestrictions(this IEndpointRouteBuilder app) => app;
}
