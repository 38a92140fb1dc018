using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Policies;

public static class PoliciesSetup
{
    public static IServiceCollection AddPolicies(this IServiceCollection services) => services.AddTransient<ManagePolicies>();

    public static IEndpointRouteBuilder MapPolicies(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/policies").WithTags("Policies").RequirePermission(Permission.ViewRegistry)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("", async (ManagePolicies h, CancellationToken ct) => TypedResults.Ok(await h.ListAsync(ct)))
            .WithName("ListPolicies").WithSummary("Every policy version, with the nodes of the caller's subtree that have put it in force");
        api.MapGet("/in-force", ([FromQuery] string? jurisdiction, [FromQuery] DateOnly? day, ManagePolicies h, CancellationToken ct) => ToHttp(h.InForceAsync(jurisdiction, day, ct)))
            .WithName("GetPolicyInForce")
            .WithSummary("The version that applies to a node on a day (default today): the deepest of the node and its ancestors with a choice from that day or earlier");
        api.MapGet("/{id:guid}", (Guid id, ManagePolicies h, CancellationToken ct) => ToHttp(h.GetAsync(id, ct)))
            .WithName("GetPolicy").WithSummary("One version with its full rules");
        // Policy changes need ApproveRestriction (admin and command): what people are quarantined for is the command's decision.
        api.MapPost("/{id:guid}/copy", Copy).WithName("CopyPolicy").RequirePermission(ManagePolicies.ChangePolicies)
            .WithSummary("A new version copied from this one, with its own code, name and effective date (presets are edited by copying them)");
        api.MapPut("/{id:guid}", (Guid id, UpdatePolicyInput input, ManagePolicies h, CancellationToken ct) => ToHttp(h.UpdateAsync(id, input, ct)))
            .WithName("UpdatePolicy").RequirePermission(ManagePolicies.ChangePolicies).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Edit a version that is not a preset; the rules are validated as a whole");
        api.MapPost("/{id:guid}/in-force", (Guid id, PutInForceInput input, ManagePolicies h, CancellationToken ct) => ToHttp(h.PutInForceAsync(id, input, ct)))
            .WithName("PutPolicyInForce").RequirePermission(ManagePolicies.ChangePolicies)
            .WithSummary("Put this version in force for a node of the caller's subtree from a day");
        return app;
    }

    private static async Task<Results<Created<PolicyDetails>, ValidationProblem, ProblemHttpResult>> Copy(
        Guid id, CopyPolicyInput input, ManagePolicies handler, CancellationToken ct) =>
        (await handler.CopyAsync(id, input, ct)).ToCreated(p => $"/api/v1/policies/{p.Id}");

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ToHttp<T>(Task<Outcome<T>> task) => (await task).ToHttp();
}
