using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Jurisdictions;

public static class JurisdictionsEndpoints
{
    public static IServiceCollection AddJurisdictions(this IServiceCollection services) => services
        .AddTransient<BrowseJurisdiction>().AddTransient<ExportJurisdiction>().AddTransient<DivisionImporter>();

    public static IEndpointRouteBuilder MapJurisdictions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/jurisdictions").WithTags("Jurisdictions").RequirePermission(Permission.ViewRegistry).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", async (BrowseJurisdiction handler, CancellationToken ct) => TypedResults.Ok(await handler.RootsAsync(ct)))
            .WithName("ListProvinces").WithSummary("The top of the division tree");
        group.MapGet("/{code}", Browse).WithName("GetJurisdiction")
            .WithSummary("A division node with its path, its children and the households, persons and vulnerable people below each");
        group.MapGet("/{code}/export", Export).WithName("ExportJurisdiction")
            .WithSummary("The node's children with households, persons and vulnerable people by tag, as .xlsx")
            .Produces(200, contentType: ExcelExport.ContentType).RequirePermission(Permission.Export);
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(string code, ExportJurisdiction handler, CancellationToken ct)
    {
        var outcome = await handler.HandleAsync(code, ct);
        if (outcome is Outcome<(byte[] Content, string FileName)>.Success s) return TypedResults.File(s.Value.Content, ExcelExport.ContentType, s.Value.FileName);
        return TypedResults.Problem(title: ((Outcome<(byte[], string)>.NotFound)outcome).Message, statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<JurisdictionNode>, ValidationProblem, ProblemHttpResult>> Browse(string code, BrowseJurisdiction handler, CancellationToken ct) =>
        (await handler.HandleAsync(code, ct)).ToHttp();
}
