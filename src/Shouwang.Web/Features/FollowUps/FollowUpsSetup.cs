using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.FollowUps;

public static class FollowUpsSetup
{
    public static IServiceCollection AddFollowUps(this IServiceCollection services) => services
        .AddTransient<ListFollowUps>().AddTransient<RecordFollowUp>().AddTransient<FlagMissedFollowUps>().AddTransient<SamplingOrders>()
        .AddHostedService<FollowUpDayService>();

    public static IEndpointRouteBuilder MapFollowUps(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/follow-ups").WithTags("FollowUps").RequirePermission(Permission.ViewRegistry)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/", List).WithName("ListFollowUps")
            .WithSummary("The day's follow-up list (default today): one entry per person, stage in force and slot, with counts per state; a grid worker sees their grid");
        api.MapPost("/", async (FollowUpInput input, RecordFollowUp h, CancellationToken ct) => (await h.HandleAsync(input, ct)).ToHttp())
            .WithName("RecordFollowUp").RequirePermission(Permission.RecordFollowUps)
            .WithSummary("Record a check (again: updates it); fever ≥ 37.3 °C or a symptom opens a fever referral order and an alert, once per person and day");
        api.MapPost("/sampling-orders", async ([FromQuery] DateOnly? day, SamplingOrders h, CancellationToken ct) => (await h.HandleAsync(day, ct)).ToHttp())
            .WithName("OpenSamplingOrders").RequirePermission(Permission.DispatchWorkOrders)
            .WithSummary("Open the door-to-door sampling orders of a test day (today or tomorrow) for people at home; idempotent");
        return app;
    }

    private static async Task<Ok<FollowUpList>> List([FromQuery] DateOnly? day, [FromQuery] string? jurisdiction, [FromQuery] Guid? gridId,
        [FromQuery] FollowUpState? state, [FromQuery] int? page, [FromQuery] int? pageSize, ListFollowUps handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(new FollowUpSearch(day, jurisdiction, gridId, state, page, pageSize), ct));
}
