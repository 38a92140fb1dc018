namespace Shouwang.Web.Features.FollowUps;

public static class FollowUpsSetup
{
    public static IServiceCollection AddFollowUps(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapFollowUps(this IEndpointRouteBuilder app) => app;
}
