namespace Shouwang.Web.Features.PassCards;

public static class PassCardsSetup
{
    public static IServiceCollection AddPassCards(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapPassCards(this IEndpointRouteBuilder app) => app;
}
