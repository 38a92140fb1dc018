using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Checkpoints;

public static class CheckpointsSetup
{
    public static IServiceCollection AddCheckpoints(this IServiceCollection services) => services
        .AddSingleton<PassageWriter>()
        .AddTransient<ManageCheckpoints>().AddTransient<CheckpointFacts>().AddTransient<ScanSubjects>()
        .AddTransient<ScanCheckpoint>().AddTransient<RecordPassages>()
        .AddCheckpointLogs();

    public static IEndpointRouteBuilder MapCheckpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/checkpoints").WithTags("Checkpoints")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/", async (ManageCheckpoints h, CancellationToken ct) => TypedResults.Ok(await h.ListAsync(ct)))
            .RequirePermission(Permission.ViewPassages).WithName("ListCheckpoints").WithSummary("Checkpoints in the caller's jurisdiction, with who is on duty");
        group.MapGet("/{id:guid}", async (Guid id, ManageCheckpoints h, CancellationToken ct) => (await h.GetAsync(id, ct)).ToHttp())
            .RequirePermission(Permission.ViewPassages).WithName("GetCheckpoint").WithSummary("One checkpoint with its settings and who is on duty");
        group.MapPost("/", async (CheckpointInput input, ManageCheckpoints h, CancellationToken ct) =>
                (await h.CreateAsync(input, ct)).ToCreated(c => $"/api/v1/checkpoints/{c.Id}"))
            .RequirePermission(Permission.ManageCheckpoints).WithName("CreateCheckpoint")
            .WithSummary("Set up a checkpoint in a committee: kind, guarded jurisdiction, location, hours, yellow-code action, vaccination, fever threshold, risk window");
        group.MapPut("/{id:guid}", async (Guid id, CheckpointInput input, ManageCheckpoints h, CancellationToken ct) => (await h.UpdateAsync(id, input, ct)).ToHttp())
            .RequirePermission(Permission.ManageCheckpoints).WithName("UpdateCheckpoint").WithSummary("Change a checkpoint's settings (all fields, as in create)");

        group.MapGet("/{id:guid}/duty", async (Guid id, ManageCheckpoints h, CancellationToken ct) => (await h.DutyAsync(id, ct)).ToHttp())
            .RequirePermission(Permission.ViewPassages).WithName("ListCheckpointDuty").WithSummary("Who is signed in on duty at the checkpoint");
        group.MapPost("/{id:guid}/duty", async (Guid id, ManageCheckpoints h, CancellationToken ct) => (await h.SignInAsync(id, ct)).ToHttp())
            .RequirePermission(Permission.OperateCheckpoints).WithName("SignInOnDuty").WithSummary("Sign the caller in on duty (again while on duty: no change)");
        group.MapDelete("/{id:guid}/duty", async (Guid id, ManageCheckpoints h, CancellationToken ct) => (await h.SignOutAsync(id, ct)).ToHttp())
            .RequirePermission(Permission.OperateCheckpoints).WithName("SignOutOfDuty").WithSummary("Sign the caller out of duty");

        group.MapPost("/{id:guid}/scan", Scan).RequirePermission(Permission.OperateCheckpoints).WithName("ScanAtCheckpoint")
            .WithSummary("Who is at the gate (person code, pass-card code, ID number or mobile) and the decision before measuring, with a ticket for the passage");
        group.MapPost("/{id:guid}/passages", Record).RequirePermission(Permission.OperateCheckpoints).WithName("RecordPassages")
            .WithSummary("Confirm 1–500 passages (client-made ids: a re-sent id is a duplicate, never a second passage); decided on the server, durable when answered");
        return app.MapCheckpointLogs();
    }

    private static async Task<Results<Ok<ScanResult>, ValidationProblem, ProblemHttpResult>> Scan(Guid id, ScanInput input, ScanCheckpoint h, CancellationToken ct) =>
        (await h.HandleAsync(id, input, ct)).ToHttp();

    // The passages are committed even if the device goes away mid-request: its retry is answered as a duplicate.
    private static async Task<Results<Ok<PassagesResult>, ValidationProblem, ProblemHttpResult>> Record(Guid id, PassagesInput input, RecordPassages h) =>
        (await h.HandleAsync(id, input, CancellationToken.None)).ToHttp();
}
