namespace Shouwang.Web.Features.Retention;

public static class RetentionSetup
{
    public static IServiceCollection AddRetention(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapRetention(this IEndpointRouteBuilder app) => app;
}
