namespace Shouwang.Web.Features.Alerts;

public static class AlertsSetup
{
    public static IServiceCollection AddAlerts(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app) => app;
}
