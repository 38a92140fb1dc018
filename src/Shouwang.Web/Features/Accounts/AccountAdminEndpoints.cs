namespace Shouwang.Web.Features.Accounts;

public static class AccountAdminEndpoints
{
    public static IServiceCollection AddAccountAdmin(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapAccountAdmin(this IEndpointRouteBuilder app) => app;
}
