using Shouwang.Domain.Cases;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Web.Features.Cases;

/// <summary>Cases opened by positive single tubes (tracing builds on them later).</summary>
public static class CasesSetup
{
    public static IServiceCollection AddCases(this IServiceCollection services) => services.AddTransient<Cases>();

    public static IEndpointRouteBuilder MapCases(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/cases", async (CaseClassification? classification, int? page, int? pageSize, Cases h, CancellationToken ct) =>
                TypedResults.Ok(await h.SearchAsync(classification, page, pageSize, ct)))
            .WithTags("Cases").RequirePermission(Permission.ViewTesting).WithName("SearchCases")
            .WithSummary("Cases in the caller's jurisdiction (masked), newest first, paged");
        return app;
    }
}
