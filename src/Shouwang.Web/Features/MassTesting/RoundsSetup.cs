namespace Shouwang.Web.Features.MassTesting;

/// <summary>Testing rounds, their scope and exemptions, and the pooling advisor.</summary>
public static class RoundsSetup
{
    public static IServiceCollection AddRounds(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapRounds(this IEndpointRouteBuilder app) => app;
}
