namespace Shouwang.Web.Features.PersonCodes;

public static class PersonCodesSetup
{
    public static IServiceCollection AddPersonCodes(this IServiceCollection services) => services
        .AddSingleton<Infrastructure.CodeSigner>();

    public static IEndpointRouteBuilder MapPersonCodes(this IEndpointRouteBuilder app) => app;
}
