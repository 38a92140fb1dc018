using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.MassTesting;

/// <summary>Coverage of a round, its missing list (and export), and a person's testing results.</summary>
public static class CoverageSetup
{
    public static IServiceCollection AddCoverage(this IServiceCollection services) => services.AddTransient<Coverage>().AddTransient<DoorToDoorOrders>();

    public static IEndpointRouteBuilder MapCoverage(this IEndpointRouteBuilder app)
    {
        var rounds = app.MapGroup("/api/v1/testing-rounds").WithTags("TestingRounds").RequirePermission(Permission.ViewTesting)
            .ProducesProblem(StatusCodes.Status404NotFound);
        rounds.MapGet("/{id:guid}/coverage", (Guid id, string? level, string? node, Coverage h, CancellationToken ct) => ToHttp(h.SummaryAsync(id, level, node, ct)))
            .WithName("RoundCoverage")
            .WithSummary("Required / sampled / exempt / missing per committee, grid, building or household (household needs a committee or grid as node), with totals");
        rounds.MapGet("/{id:guid}/missing", (Guid id, string? communityCode, Guid? gridId, int? page, int? pageSize, bool? twoRounds, Coverage h, CancellationToken ct) =>
                ToHttp(h.MissingAsync(id, communityCode, gridId, page, pageSize, twoRounds, ct)))
            .WithName("RoundMissing").WithSummary("Required people not yet sampled (masked), with address, grid, a door-to-door hint and whether they " +
                "also missed the previous round (twoRounds=true: only those), ordered by address, paged");
        rounds.MapGet("/{id:guid}/missing/export", ExportMissing).WithName("ExportRoundMissing").RequirePermission(Permission.Export)
            .WithSummary("The missing list as .xlsx (at most 100,000 rows; audited)").Produces(200, contentType: ExcelExport.ContentType);
        rounds.MapPost("/{id:guid}/door-to-door-orders", (Guid id, DoorToDoorOrders h, CancellationToken ct) => ToHttp(h.HandleAsync(id, ct)))
            .WithName("OpenDoorToDoorOrders").RequirePermission(Permission.ManageTesting).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("One door-to-door sampling work order per required, unsampled person in scope who is bedridden, of limited mobility or " +
                "under home quarantine, given to their grid and due at the round's end; calling again opens none twice");
        app.MapGet("/api/v1/persons/{personId:guid}/testing-results", (Guid personId, Coverage h, CancellationToken ct) => ToHttp(h.PersonResultsAsync(personId, ct)))
            .WithTags("TestingRounds").RequirePermission(Permission.ViewTesting).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("PersonTestingResults").WithSummary("A person's samples across rounds with their tube's result (Pending/Negative/Positive/Invalid)");
        return app;
    }

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ToHttp<T>(Task<Outcome<T>> outcome) => (await outcome).ToHttp();

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ExportMissing(
        Guid id, string? communityCode, Guid? gridId, bool? twoRounds, Coverage h, CancellationToken ct) =>
        await h.ExportMissingAsync(id, communityCode, gridId, twoRounds, ct) switch
        {
            Outcome<(byte[] Content, string FileName)>.Success s => TypedResults.File(s.Value.Content, ExcelExport.ContentType, s.Value.FileName),
            var other => other.ToHttp().Result switch
            {
                ValidationProblem v => v,
                ProblemHttpResult p => p,
                _ => throw new InvalidOperationException(),
            },
        };
}
