namespace Shouwang.Web.Features.Checkpoints;

public static class CheckpointsSetup
{
    public static IServiceCollection AddCheckpoints(this IServiceCollection services) => services
        .AddSingleton<PassageWriter>();

    public static IEndpointRouteBuilder MapCheckpoints(this IEndpointRouteBuilder app) => app;
}
