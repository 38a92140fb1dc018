using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Hotline;

/// <summary>The residents' side: public report and status pages, and the same as JSON for a mini-program. The only anonymous API.</summary>
public static class HotlineSetup
{
    public static IServiceCollection AddHotline(this IServiceCollection services)
    {
        services.AddOptions<HotlineOptions>().BindConfiguration(HotlineOptions.Section);
        services.AddSingleton<PublicRateLimits>().AddSingleton<PublicRequestWriter>();
        services.AddTransient<ServedCommunities>().AddTransient<FilePublicRequest>().AddTransient<LookUpPublicRequest>();
        return services;
    }

    public static IEndpointRouteBuilder MapHotline(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/public").WithTags("Public").AllowAnonymous()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/communities", ListCommunities).WithName("ListPublicCommunities")
            .WithSummary("Committees that take residents' reports (those with grids)");
        group.MapPost("/requests", FileRequest).WithName("FilePublicRequest").DisableAntiforgery()
            .WithSummary("File a 热线举报 (kind=HotlineReport) or 急难愁盼 request (kind=ResidentRequest, need=Medicine|MedicalCare|Food|Other) without an account; limited per phone and per address");
        group.MapGet("/requests/{number}", LookUp).WithName("LookUpPublicRequest")
            .WithSummary("Where a public request stands, given its number and the last 4 digits of the phone used; 404 for any mismatch");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<PublicCommunity>>> ListCommunities(ServedCommunities communities, CancellationToken ct) =>
        TypedResults.Ok(await communities.ListAsync(ct));

    private static async Task<Results<Created<FiledPublicRequest>, ValidationProblem, ProblemHttpResult>> FileRequest(
        PublicRequestInput input, FilePublicRequest handler, CancellationToken ct) => (await handler.HandleAsync(input, ct)).ToCreated(f => $"/api/v1/public/requests/{f.Number}");

    private static async Task<Results<Ok<PublicRequestStatus>, ValidationProblem, ProblemHttpResult>> LookUp(
        string number, string? phoneTail, LookUpPublicRequest handler, CancellationToken ct) => (await handler.HandleAsync(number, phoneTail, ct)).ToHttp();
}
