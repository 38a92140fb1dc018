namespace Shouwang.Web.Features.WorkOrders;

public static class WorkOrdersSetup
{
    public static IServiceCollection AddWorkOrders(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapWorkOrders(this IEndpointRouteBuilder app) => app;
}
