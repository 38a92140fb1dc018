using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shouwang.Domain.Alerts;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Alerts;

public static class AlertsSetup
{
    public static IServiceCollection AddAlerts(this IServiceCollection services) => services.AddTransient<Alerts>();

    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/alerts").WithTags("Alerts").RequirePermission(Permission.ViewRegistry)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/", Search).WithName("ListAlerts").WithSummary("Alerts in the caller's jurisdiction, newest first (default: not yet acknowledged), paged");
        api.MapPost("/{id:guid}/acknowledge", async (Guid id, Alerts h, CancellationToken ct) => (await h.AcknowledgeAsync(id, ct)).ToHttp())
            .WithName("AcknowledgeAlert").WithSummary("Mark an alert as seen; it leaves the open list (any staff who act, not observers)")
            .RequirePermission(Permission.HandleWorkOrders);
        return app;
    }

    private static async Task<Ok<Paged<AlertItem>>> Search([FromQuery] bool? acknowledged, [FromQuery] AlertKind? kind, [FromQuery] int? page,
        [FromQuery] int? pageSize, Alerts handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.SearchAsync(new AlertSearch(acknowledged ?? false, kind, page, pageSize), ct));
}
