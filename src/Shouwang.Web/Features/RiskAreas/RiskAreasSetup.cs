using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.RiskAreas;

public static class RiskAreasSetup
{
    public static IServiceCollection AddRiskAreas(this IServiceCollection services) => services
        .AddTransient<RiskAreaCommands>().AddTransient<RiskAreaQueries>().AddTransient<ReleaseProposals>()
        .AddSingleton<EvaluateReleases>().AddHostedService<ReleaseEvaluationService>();

    public static IEndpointRouteBuilder MapRiskAreas(this IEndpointRouteBuilder app)
    {
        var areas = app.MapGroup("/api/v1/risk-areas").WithTags("RiskAreas").RequirePermission(Permission.ViewRegistry)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        areas.MapGet("/", ([AsParameters] RiskAreaSearch search, RiskAreaQueries h, CancellationToken ct) => ToHttp(h.SearchAsync(search, ct)))
            .WithName("SearchRiskAreas").WithSummary("Risk areas in the caller's jurisdiction (state, jurisdiction, level), paged");
        areas.MapPost("/", Designate).WithName("DesignateRiskArea").RequirePermission(Permission.DesignateRiskAreas)
            .WithSummary("Designate a building, compound or whole committee at a level the policy in force designates");
        areas.MapGet("/{id:guid}", (Guid id, RiskAreaQueries h, CancellationToken ct) => ToHttp(h.GetAsync(id, ct)))
            .WithName("GetRiskArea").WithSummary("One area with its residents count, effects and history (events, screenings, proposals)");
        areas.MapGet("/{id:guid}/residents", (Guid id, int? page, int? pageSize, RiskAreaQueries h, CancellationToken ct) => ToHttp(h.ResidentsAsync(id, page, pageSize, ct)))
            .WithName("ListRiskAreaResidents").WithSummary("Residents of the area with what the designation covering them does (phone masked), paged");
        areas.MapPost("/{id:guid}/infections", (Guid id, InfectionInput input, RiskAreaCommands h, CancellationToken ct) => ToHttp(h.RecordInfectionAsync(id, input, ct)))
            .WithName("RecordRiskAreaInfection").RequirePermission(Permission.DesignateRiskAreas)
            .WithSummary("A new infection in the area: the count of days without one restarts and open proposals are withdrawn");
        areas.MapPost("/{id:guid}/screenings", (Guid id, ScreeningInput input, RiskAreaCommands h, CancellationToken ct) => ToHttp(h.RecordScreeningAsync(id, input, ct)))
            .WithName("RecordRiskAreaScreening").RequirePermission(Permission.DesignateRiskAreas)
            .WithSummary("The area's screening on a day (one per day; recording again replaces it); required defaults to the residents count");
        areas.MapPost("/{id:guid}/end", (Guid id, EndInput input, RiskAreaCommands h, CancellationToken ct) => ToHttp(h.EndAsync(id, input, ct)))
            .WithName("EndRiskArea").RequirePermission(Permission.DesignateRiskAreas).WithSummary("Release the area now, with a reason");
        areas.MapPost("/evaluate", Evaluate).WithName("EvaluateRiskAreaReleases")
            .WithSummary("Run today's release evaluation over all active areas now (it also runs daily at 07:00); needs DesignateRiskAreas or ApproveRestriction");
        areas.MapGet("/release-proposals", (ReleaseProposalState? state, int? page, int? pageSize, ReleaseProposals h, CancellationToken ct) =>
                ProposalsAsync(h, state, page, pageSize, ct))
            .WithName("SearchReleaseProposals").WithSummary("Release proposals in the caller's jurisdiction (state=Proposed for those awaiting a decision)");
        areas.MapPost("/release-proposals/{id:guid}/approve", (Guid id, DecisionInput? input, ReleaseProposals h, CancellationToken ct) => ToHttp(h.ApproveAsync(id, input ?? new DecisionInput(null), ct)))
            .WithName("ApproveRelease").RequirePermission(Permission.ApproveRestriction)
            .WithSummary("Approve: the area steps down from today, and reaching the lowest level releases it");
        areas.MapPost("/release-proposals/{id:guid}/reject", (Guid id, DecisionInput input, ReleaseProposals h, CancellationToken ct) => ToHttp(h.RejectAsync(id, input, ct)))
            .WithName("RejectRelease").RequirePermission(Permission.ApproveRestriction).WithSummary("Reject with a note (required)");
        return app;
    }

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ToHttp<T>(Task<Outcome<T>> outcome) => (await outcome).ToHttp();

    private static async Task<Results<Created<RiskAreaItem>, ValidationProblem, ProblemHttpResult>> Designate(DesignateInput input, RiskAreaCommands h, CancellationToken ct) =>
        (await h.DesignateAsync(input, ct)).ToCreated(a => $"/api/v1/risk-areas/{a.Id}");

    private static async Task<Ok<Paged<ProposalItem>>> ProposalsAsync(ReleaseProposals h, ReleaseProposalState? state, int? page, int? pageSize, CancellationToken ct) =>
        TypedResults.Ok(await h.SearchAsync(state, page, pageSize, ct));

    private static async Task<Results<Ok<EvaluationSummary>, ProblemHttpResult>> Evaluate(EvaluateReleases evaluate, LocalClock clock,
        IStringLocalizer<RiskAreasResource> l, CancellationToken ct)
    {
        var caller = CallerContext.Current;
        if (!caller.Can(Permission.DesignateRiskAreas) && !caller.Can(Permission.ApproveRestriction))
            return TypedResults.Problem(title: l["Error.EvaluateForbidden"], statusCode: StatusCodes.Status403Forbidden);
        return TypedResults.Ok(await evaluate.RunAsync(clock.Today(), ct));
    }
}
