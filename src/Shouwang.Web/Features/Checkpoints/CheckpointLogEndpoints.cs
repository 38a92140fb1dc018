using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Checkpoints;

/// <summary>Vehicles, the passage log and the live view. Called from <see cref="CheckpointsSetup"/>.</summary>
public static class CheckpointLogEndpoints
{
    public static IServiceCollection AddCheckpointLogs(this IServiceCollection services)
    {
        services.AddTransient<Vehicles>().AddTransient<PassageLog>().AddTransient<CheckpointLive>();
        return services;
    }

    public static IEndpointRouteBuilder MapCheckpointLogs(this IEndpointRouteBuilder app)
    {
        var checkpoints = app.MapGroup("/api/v1/checkpoints").WithTags("Checkpoints")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        checkpoints.MapPost("/{id:guid}/vehicles", RecordVehicle).WithName("RecordVehicle")
            .WithSummary("Register a vehicle (plate, occupants; at a traffic health point through traffic signs the closed-loop commitment); a re-sent id is the same vehicle (duplicate: true)")
            .RequirePermission(Permission.OperateCheckpoints);
        checkpoints.MapGet("/{id:guid}/vehicles", SearchVehicles).WithName("ListVehicles")
            .WithSummary("Vehicles through a checkpoint, newest first, by time and plate, paged").RequirePermission(Permission.ViewPassages);
        checkpoints.MapGet("/live", Live).WithName("CheckpointsLive")
            .WithSummary("Per checkpoint in scope: passed, stopped and fevers for each of the last 24 hours and today; the latest open checkpoint alerts")
            .RequirePermission(Permission.ViewPassages);

        var passages = app.MapGroup("/api/v1/passages").WithTags("Passages").RequirePermission(Permission.ViewPassages)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        passages.MapGet("/", SearchPassages).WithName("ListPassages")
            .WithSummary("Passages and presences in scope, newest first, by checkpoint, place, person, time, verdict and kind; people masked; paged");
        passages.MapGet("/export", ExportPassages).WithName("ExportPassages").WithSummary("The same list as .xlsx (at most 100,000 rows; audited)")
            .RequirePermission(Permission.Export).Produces(200, contentType: ExcelExport.ContentType);
        return app;
    }

    private static async Task<Results<Ok<VehicleRecorded>, ValidationProblem, ProblemHttpResult>> RecordVehicle(Guid id, VehicleInput input, Vehicles handler, CancellationToken ct) =>
        (await handler.RecordAsync(id, input, ct)).ToHttp();

    private static async Task<Results<Ok<Paged<VehicleItem>>, ValidationProblem, ProblemHttpResult>> SearchVehicles(
        Guid id, [FromQuery] DateOnly? from, [FromQuery] DateOnly? to, [FromQuery] string? plate, [FromQuery] int? page, [FromQuery] int? pageSize,
        Vehicles handler, CancellationToken ct) =>
        (await handler.SearchAsync(id, new VehicleSearch(from, to, plate, page, pageSize), ct)).ToHttp();

    private static async Task<Ok<CheckpointLiveView>> Live([FromQuery] string? communityCode, CheckpointLive handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.GetAsync(communityCode, ct));

    private static async Task<Ok<Paged<PassageLogItem>>> SearchPassages([AsParameters] PassageSearch search, PassageLog handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.SearchAsync(search, ct));

    private static async Task<FileContentHttpResult> ExportPassages([AsParameters] PassageSearch search, PassageLog handler, CancellationToken ct)
    {
        var (content, name) = await handler.ExportAsync(search, ct);
        return TypedResults.File(content, ExcelExport.ContentType, name);
    }
}
