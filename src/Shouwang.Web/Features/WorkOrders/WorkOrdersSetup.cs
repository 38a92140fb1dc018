using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.WorkOrders;

public static class WorkOrdersSetup
{
    public static IServiceCollection AddWorkOrders(this IServiceCollection services) => services
        .AddTransient<SearchWorkOrders>().AddTransient<GetWorkOrder>().AddTransient<CreateWorkOrder>().AddTransient<ChangeWorkOrder>()
        .AddTransient<WorkOrderTeams>().AddScoped<WorkOrderCountsChanged>().AddSingleton<WorkOrderEscalation>().AddHostedService<WorkOrderEscalationService>();

    public static IEndpointRouteBuilder MapWorkOrders(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/v1/work-orders").WithTags("Work orders").RequirePermission(Permission.ViewWorkOrders)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapGet("/", async ([AsParameters] WorkOrderSearch search, SearchWorkOrders h, CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(search, ct)))
            .WithName("SearchWorkOrders").WithSummary("A queue of orders (Mine, Grid, Community, Overdue, Pending) with filters, paged; open orders unless a status is given");
        orders.MapGet("/counts", async (SearchWorkOrders h, CancellationToken ct) => TypedResults.Ok(await h.CountAsync(ct)))
            .WithName("CountWorkOrders").WithSummary("How many open orders each queue holds, and how many are escalated");
        orders.MapGet("/assignees", (string? communityCode, WorkOrderTeams h, CancellationToken ct) => Http(h.AssigneesAsync(communityCode, ct)))
            .WithName("ListWorkOrderAssignees").WithSummary("Grids, teams and accounts an order of a community can be given to");
        orders.MapGet("/{id:guid}", (Guid id, GetWorkOrder h, CancellationToken ct) => Http(h.HandleAsync(id, ct)))
            .WithName("GetWorkOrder").WithSummary("One order with its full history (oldest first), subject by name, reporter phone masked");
        orders.MapPost("/", async (WorkOrderInput input, CreateWorkOrder h, CancellationToken ct) =>
                (await h.HandleAsync(input, ct)).ToCreated(o => $"/api/v1/work-orders/{o.Id}"))
            .WithName("CreateWorkOrder").WithSummary("Open an order (待派); a person or household subject gives its community and grid")
            .RequirePermission(Permission.HandleWorkOrders);
        orders.MapPost("/{id:guid}/assign", (Guid id, AssignInput input, ChangeWorkOrder h, CancellationToken ct) => Http(h.AssignAsync(id, input, ct)))
            .WithName("AssignWorkOrder").WithSummary("Give (or give again) an order to exactly one grid, team or account of its community, optionally with a new deadline")
            .RequirePermission(Permission.DispatchWorkOrders);
        orders.MapPost("/{id:guid}/accept", (Guid id, ChangeWorkOrder h, CancellationToken ct) => Http(h.AcceptAsync(id, ct)))
            .WithName("AcceptWorkOrder").WithSummary("The holder takes the order on (已接)").RequirePermission(Permission.HandleWorkOrders);
        orders.MapPost("/{id:guid}/send-back", (Guid id, SendBackInput input, ChangeWorkOrder h, CancellationToken ct) => Http(h.SendBackAsync(id, input, ct)))
            .WithName("SendBackWorkOrder").WithSummary("The holder returns the order to 待派 with a reason (退回)").RequirePermission(Permission.HandleWorkOrders);
        orders.MapPost("/{id:guid}/finish", (Guid id, FinishInput input, ChangeWorkOrder h, CancellationToken ct) => Http(h.FinishAsync(id, input, ct)))
            .WithName("FinishWorkOrder").WithSummary("The holder closes an accepted order with what was done (办结)").RequirePermission(Permission.HandleWorkOrders);
        orders.MapPost("/{id:guid}/comments", (Guid id, CommentInput input, ChangeWorkOrder h, CancellationToken ct) => Http(h.CommentAsync(id, input, ct)))
            .WithName("CommentWorkOrder").WithSummary("Add a comment to the order's history").RequirePermission(Permission.HandleWorkOrders);

        var teams = app.MapGroup("/api/v1/teams").WithTags("Work orders").RequirePermission(Permission.ViewWorkOrders)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        teams.MapGet("/", (string? communityCode, WorkOrderTeams h, CancellationToken ct) => Http(h.ListAsync(communityCode, ct)))
            .WithName("ListTeams").WithSummary("Teams (小队) in the caller's jurisdiction, optionally of one community, with members");
        teams.MapPost("/", async (TeamInput input, WorkOrderTeams h, CancellationToken ct) => (await h.CreateAsync(input, ct)).ToCreated(t => $"/api/v1/teams/{t.Id}"))
            .WithName("CreateTeam").WithSummary("Create a team in a community, optionally with members").RequirePermission(Permission.ManageTeams);
        teams.MapPut("/{id:guid}/members", (Guid id, TeamMembersInput input, WorkOrderTeams h, CancellationToken ct) => Http(h.SetMembersAsync(id, input, ct)))
            .WithName("SetTeamMembers").WithSummary("Replace a team's members (accounts whose node covers the team's community)").RequirePermission(Permission.ManageTeams);
        return app;
    }

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> Http<T>(Task<Outcome<T>> outcome) => (await outcome).ToHttp();
}
