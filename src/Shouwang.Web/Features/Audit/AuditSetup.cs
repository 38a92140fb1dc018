namespace Shouwang.Web.Features.Audit;

public static class AuditSetup
{
    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddTransient<AuditLog>();

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app) => app;
}
