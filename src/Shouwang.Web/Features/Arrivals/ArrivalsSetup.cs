using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Arrivals;

/// <summary>来返报备: the public report, staff review that issues the measure, and the external risk-region list.</summary>
public static class ArrivalsSetup
{
    public static IServiceCollection AddArrivals(this IServiceCollection services)
    {
        services.AddOptions<ArrivalOptions>().BindConfiguration(ArrivalOptions.Section);
        return services.AddTransient<SubmitArrival>().AddTransient<ReviewArrival>().AddTransient<ArrivalQueries>().AddTransient<ManageRiskRegions>();
    }

    public static IEndpointRouteBuilder MapArrivals(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/public/origins", (string? parent) => TypedResults.Ok(Origins.Children(parent)))
            .WithTags("Public").AllowAnonymous().WithName("ListOrigins")
            .WithSummary("Places an arrival can come from, one level at a time: provinces without parent, then cities, counties, streets. 000000 is 境外");

        var arrivals = app.MapGroup("/api/v1/arrivals").WithTags("Arrivals").RequirePermission(Permission.ViewRegistry)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        arrivals.MapGet("/", List).WithName("ListArrivals")
            .WithSummary("Arrival reports in the caller's jurisdiction, newest first, with the origin's risk and the proposed category (?state=&jurisdiction=&from=&to=&page=)");
        arrivals.MapGet("/{id:guid}", Get).WithName("GetArrival").WithSummary("One report, with registry persons of the same document and risk regions inside its origin");
        arrivals.MapPost("/", Create).WithName("CreateArrival").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Record a report taken by staff (same fields and checks as the public page)");
        arrivals.MapPost("/{id:guid}/confirm", Confirm).WithName("ConfirmArrival").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Issue the measure: to the matched or chosen person, or a person added to householdId; the proposed category unless overridden; basis 来返报备");
        arrivals.MapPost("/{id:guid}/no-measure", NoMeasure).WithName("CloseArrivalWithoutMeasure").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Close the report: the origin is not at risk, no measure is needed (note required)");
        arrivals.MapPost("/{id:guid}/dismiss", Dismiss).WithName("DismissArrival").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Dismiss the report: a duplicate or a mistake (note required)");

        var regions = app.MapGroup("/api/v1/risk-regions").WithTags("Arrivals").RequirePermission(Permission.ViewRegistry)
            .ProducesProblem(StatusCodes.Status404NotFound);
        regions.MapGet("/", ListRegions).WithName("ListRiskRegions").WithSummary("External risk regions, all or those in force on a day (?inForceOn=)");
        regions.MapPost("/", CreateRegion).WithName("CreateRiskRegion").RequirePermission(Permission.DesignateRiskAreas)
            .WithSummary("Add an external risk region by division code (county, street)");
        regions.MapPut("/{id:guid}", UpdateRegion).WithName("UpdateRiskRegion").RequirePermission(Permission.DesignateRiskAreas)
            .WithSummary("Change a region's level, dates, name or source");
        regions.MapDelete("/{id:guid}", DeleteRegion).WithName("DeleteRiskRegion").RequirePermission(Permission.DesignateRiskAreas)
            .WithSummary("Remove a region entered by mistake (a region that ended gets an end date instead)");
        regions.MapPost("/import", ImportRegions).WithName("ImportRiskRegions").RequirePermission(Permission.DesignateRiskAreas).DisableAntiforgery()
            .WithSummary("Import an .xlsx with columns 地区代码, 地区名称, 风险等级 (高/中/低), 起始日期, 截止日期, 来源: all rows or none, every bad row named");
        return app;
    }

    private static async Task<Results<Ok<Paged<ArrivalListItem>>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] ArrivalQuery query, ArrivalQueries handler, CancellationToken ct) =>
        (await handler.ListAsync(new ArrivalFilter
        {
            State = query.State, Jurisdiction = query.Jurisdiction, From = query.From, To = query.To, Page = query.Page, PageSize = query.PageSize,
        }, ct)).ToHttp();

    public sealed record ArrivalQuery(string? State, string? Jurisdiction, DateOnly? From, DateOnly? To, int? Page, int? PageSize);

    private static async Task<Results<Ok<ArrivalDetail>, ValidationProblem, ProblemHttpResult>> Get(Guid id, ArrivalQueries handler, CancellationToken ct) =>
        (await handler.GetAsync(id, ct)).ToHttp();

    private static async Task<Results<Created<SubmittedArrival>, ValidationProblem, ProblemHttpResult>> Create(ArrivalInput input, SubmitArrival handler, CancellationToken ct) =>
        (await handler.SubmitStaffAsync(input, ct)).ToCreated(s => $"/api/v1/arrivals/{s.Id}");

    private static async Task<Results<Ok<ArrivalDetail>, ValidationProblem, ProblemHttpResult>> Confirm(Guid id, ConfirmArrivalInput input, ReviewArrival handler, CancellationToken ct) =>
        (await handler.ConfirmAsync(id, input, ct)).ToHttp();

    private static async Task<Results<Ok<ArrivalDetail>, ValidationProblem, ProblemHttpResult>> NoMeasure(Guid id, ArrivalNoteInput input, ReviewArrival handler, CancellationToken ct) =>
        (await handler.NoMeasureAsync(id, input, ct)).ToHttp();

    private static async Task<Results<Ok<ArrivalDetail>, ValidationProblem, ProblemHttpResult>> Dismiss(Guid id, ArrivalNoteInput input, ReviewArrival handler, CancellationToken ct) =>
        (await handler.DismissAsync(id, input, ct)).ToHttp();

    private static async Task<Ok<IReadOnlyList<RiskRegionItem>>> ListRegions(DateOnly? inForceOn, ManageRiskRegions handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.ListAsync(inForceOn, ct));

    private static async Task<Results<Created<RiskRegionItem>, ValidationProblem, ProblemHttpResult>> CreateRegion(RiskRegionInput input, ManageRiskRegions handler, CancellationToken ct) =>
        (await handler.CreateAsync(input, ct)).ToCreated(r => $"/api/v1/risk-regions/{r.Id}");

    private static async Task<Results<Ok<RiskRegionItem>, ValidationProblem, ProblemHttpResult>> UpdateRegion(Guid id, RiskRegionInput input, ManageRiskRegions handler, CancellationToken ct) =>
        (await handler.UpdateAsync(id, input, ct)).ToHttp();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteRegion(Guid id, ManageRiskRegions handler, CancellationToken ct) =>
        await handler.DeleteAsync(id, ct) switch
        {
            Outcome<bool>.Success => TypedResults.NoContent(),
            var other => other.ToHttp().Result switch
            {
                ValidationProblem v => v,
                ProblemHttpResult p => p,
                _ => throw new InvalidOperationException(),
            },
        };

    private static async Task<Results<Ok<RiskRegionImportResult>, ValidationProblem, ProblemHttpResult>> ImportRegions(IFormFile file, ManageRiskRegions handler, CancellationToken ct)
    {
        await using var stream = file.OpenReadStream();
        return (await handler.ImportAsync(stream, ct)).ToHttp();
    }
}
