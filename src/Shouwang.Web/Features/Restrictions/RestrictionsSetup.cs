using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.StatusColours;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Restrictions;

public static class RestrictionsSetup
{
    public static IServiceCollection AddRestrictions(this IServiceCollection services) => services
        .AddTransient<RequestRestriction>().AddTransient<DecideRestriction>().AddTransient<CurrentRestrictions>().AddStatusColour();

    public static IEndpointRouteBuilder MapRestrictions(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Restrictions").RequirePermission(Permission.ViewRegistry)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/persons/{id:guid}/restrictions", Request).WithName("RequestRestriction").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Request a restriction of a person with a reason and a basis; an 'Other' basis waits for a second person's approval");
        api.MapGet("/persons/{id:guid}/restrictions", (Guid id, CurrentRestrictions h, CancellationToken ct) => ToHttp(h.HistoryAsync(id, ct)))
            .WithName("ListPersonRestrictions").WithSummary("All restrictions of a person, newest first");
        api.MapGet("/persons/{id:guid}/restriction-status", (Guid id, CurrentRestrictions h, CancellationToken ct) => ToHttp(h.StatusAsync(id, ct)))
            .WithName("GetPersonRestrictionStatus").WithSummary("The status colour in force today and whether checkpoint passage is denied");
        api.MapGet("/restrictions", Search).WithName("SearchRestrictions").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Restrictions in the caller's jurisdiction, e.g. ?state=PendingApproval for approvers, paged");
        api.MapPost("/restrictions/{id:guid}/approve", (Guid id, DecisionInput? input, DecideRestriction h, CancellationToken ct) => ToHttp(h.ApproveAsync(id, input ?? new(), ct)))
            .WithName("ApproveRestriction").RequirePermission(Permission.ApproveRestriction)
            .WithSummary("Approve a pending request (never one's own)");
        api.MapPost("/restrictions/{id:guid}/reject", (Guid id, DecisionInput? input, DecideRestriction h, CancellationToken ct) => ToHttp(h.RejectAsync(id, input ?? new(), ct)))
            .WithName("RejectRestriction").RequirePermission(Permission.ApproveRestriction)
            .WithSummary("Reject a pending request with a note (never one's own)");
        api.MapPost("/restrictions/{id:guid}/lift", (Guid id, LiftInput? input, DecideRestriction h, CancellationToken ct) => ToHttp(h.LiftAsync(id, input ?? new(), ct)))
            .WithName("LiftRestriction").WithSummary("End an active restriction with a reason (needs RequestRestriction or ApproveRestriction)");
        return app;
    }

    private static async Task<Ok<Paged<RestrictionItem>>> Search([FromQuery] RestrictionState? state, [FromQuery] int? page, [FromQuery] int? pageSize,
        CurrentRestrictions handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.SearchAsync(new RestrictionSearch(state, page, pageSize), ct));

    private static async Task<Results<Created<RestrictionItem>, ValidationProblem, ProblemHttpResult>> Request(
        Guid id, RestrictionInput input, RequestRestriction handler, CancellationToken ct) =>
        (await handler.HandleAsync(id, input, ct)).ToCreated(r => $"/api/v1/restrictions/{r.Id}");

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ToHttp<T>(Task<Outcome<T>> task) => (await task).ToHttp();
}
