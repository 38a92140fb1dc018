using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Cases;
using Shouwang.Web.Features.Registry.Import;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

/// <summary>Lab results (API and file), a tube's result, a round's retests, and the cases they open.</summary>
public static class LabResultsSetup
{
    public static IServiceCollection AddLabResults(this IServiceCollection services)
    {
        services.AddOptions<MassTestingOptions>().BindConfiguration(MassTestingOptions.Section);
        return services.AddTransient<TubeOutcomes>().AddTransient<LabResults>().AddTransient<Retests>().AddCases();
    }

    public static IEndpointRouteBuilder MapLabResults(this IEndpointRouteBuilder app)
    {
        var results = app.MapGroup("/api/v1/lab-results").WithTags("LabResults").ProducesProblem(StatusCodes.Status404NotFound);
        results.MapPost("/", (LabResultsInput input, [FromQuery] ImportMode? mode, LabResults h, CancellationToken ct) =>
                ToHttp(h.SubmitAsync(input, mode ?? ImportMode.ValidOnly, ct)))
            .WithName("SubmitLabResults").RequirePermission(Permission.ManageTesting)
            .WithSummary("A lab system's results (at most 100,000 rows); mode=ValidOnly (default) applies the good rows, All all or nothing, Preview nothing");
        results.MapPost("/import", Import).WithName("ImportLabResults").RequirePermission(Permission.ManageTesting).DisableAntiforgery()
            .WithSummary("The lab's .xlsx/.csv (试管编号, 检测结果, Ct值, 检测时间); mode=Preview (default) reports every row, All writes all or nothing, ValidOnly the good rows");
        results.MapGet("/tubes/{barcode}", (string barcode, LabResults h, CancellationToken ct) => ToHttp(h.TubeAsync(barcode, ct)))
            .WithName("TubeResult").RequirePermission(Permission.ViewTesting).WithSummary("A tube's state and result");
        app.MapGet("/api/v1/testing-rounds/{id:guid}/retests", (Guid id, RetestState? state, RetestKind? kind, int? page, int? pageSize, Retests h, CancellationToken ct) =>
                ToHttp(h.SearchAsync(id, state, kind, page, pageSize, ct)))
            .WithTags("TestingRounds").RequirePermission(Permission.ViewTesting).ProducesProblem(StatusCodes.Status404NotFound).WithName("RoundRetests")
            .WithSummary("A round's retests (混管阳性待复核 while Awaiting), masked, soonest deadline first, paged");
        return app.MapCases();
    }

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ToHttp<T>(Task<Outcome<T>> outcome) => (await outcome).ToHttp();

    private static async Task<Results<Ok<LabResultsReport>, ValidationProblem, ProblemHttpResult>> Import(
        IFormFile? file, [FromQuery] ImportMode? mode, [FromQuery] string? lab, LabResults handler, IStringLocalizer<LabResultsResource> l, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["File.Empty"]] });
        if (file.Length > RosterFileReader.MaxBytes)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["File.TooLarge", RosterFileReader.MaxBytes / 1024 / 1024]] });
        await using var stream = file.OpenReadStream();
        return (await handler.ImportAsync(stream, lab, mode ?? ImportMode.Preview, ct)).ToHttp();
    }
}
