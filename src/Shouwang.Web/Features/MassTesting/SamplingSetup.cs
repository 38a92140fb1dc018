using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.MassTesting;

/// <summary>The sampler's API: tubes, samples, transfer boxes and the page's resume view, under /api/v1/sampling.</summary>
public static class SamplingSetup
{
    public static IServiceCollection AddSampling(this IServiceCollection services) => services
        .AddSingleton<SampleWriter>()
        .AddTransient<SamplingAccess>().AddTransient<Tubes>().AddTransient<RecordSamples>().AddTransient<TransferBoxes>().AddTransient<SiteSession>();

    public static IEndpointRouteBuilder MapSampling(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sampling").WithTags("Sampling")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/tubes", OpenTube).RequirePermission(Permission.TakeSamples).WithName("OpenTube")
            .WithSummary("Open a tube by its barcode at a site in an open round (201; 200 with the same tube when it is open here already; 409 when the barcode is used elsewhere)");
        group.MapGet("/tubes/{barcode}", async (string barcode, Tubes h, CancellationToken ct) => (await h.GetAsync(barcode, ct)).ToHttp())
            .RequirePermission(Permission.ViewTesting).WithName("GetTube").WithSummary("A tube with its members (names masked)");
        group.MapPost("/tubes/{barcode}/seal", async (string barcode, Tubes h, CancellationToken ct) => (await h.SealAsync(barcode, ct)).ToHttp())
            .RequirePermission(Permission.TakeSamples).WithName("SealTube").WithSummary("Seal an open tube by hand (an empty one: 409)");
        group.MapPost("/samples", RecordSamples).RequirePermission(Permission.TakeSamples).WithName("RecordSamples")
            .WithSummary("Record 1–500 samples into open tubes (client-made ids: a re-sent id is a duplicate, counted once); durable when answered, with warnings");
        group.MapPost("/samples/{id:guid}/move", async (Guid id, MoveInput input, Tubes h, CancellationToken ct) => (await h.MoveAsync(id, input, ct)).ToHttp())
            .RequirePermission(Permission.TakeSamples).WithName("MoveSample").WithSummary("Move a person to another open tube of the round (the old sample is kept as moved, with who and when)");
        group.MapPost("/samples/{id:guid}/remove", async (Guid id, RemoveInput? input, Tubes h, CancellationToken ct) => (await h.RemoveAsync(id, input, ct)).ToHttp())
            .RequirePermission(Permission.TakeSamples).WithName("RemoveSample").WithSummary("Remove a wrong scan from a tube not yet boxed (kept as removed, with who and when)");

        group.MapPost("/boxes", CreateBox).RequirePermission(Permission.TakeSamples).WithName("CreateTransferBox")
            .WithSummary("Start a transfer box (转运箱) for a round at a site (201; 200 when this number is packing here already)");
        group.MapGet("/boxes/{number}", async (string number, TransferBoxes h, CancellationToken ct) => (await h.GetAsync(number, ct)).ToHttp())
            .RequirePermission(Permission.ViewTesting).WithName("GetTransferBox").WithSummary("A transfer box and its tubes");
        group.MapPost("/boxes/{number}/tubes", async (string number, BoxTubesInput input, TransferBoxes h, CancellationToken ct) => (await h.AddTubesAsync(number, input, ct)).ToHttp())
            .RequirePermission(Permission.TakeSamples).WithName("AddTubesToBox").WithSummary("Pack sealed tubes of the box's round and site");
        group.MapPost("/boxes/{number}/hand-over", async (string number, HandOverInput input, TransferBoxes h, CancellationToken ct) => (await h.HandOverAsync(number, input, ct)).ToHttp())
            .RequirePermission(Permission.TakeSamples).WithName("HandOverBox").WithSummary("Hand a packed box to a lab");
        group.MapPost("/boxes/{number}/receive", async (string number, ReceiveInput input, TransferBoxes h, CancellationToken ct) => (await h.ReceiveAsync(number, input, ct)).ToHttp())
            .RequirePermission(Permission.ManageTesting).WithName("ReceiveBox")
            .WithSummary("The lab's count of the box's tubes: reconciled against the tubes scanned in; a mismatch is answered and kept");
        group.MapGet("/sites/{siteId:guid}/rounds/{roundId:guid}", async (Guid siteId, Guid roundId, SiteSession h, CancellationToken ct) => (await h.GetAsync(siteId, roundId, ct)).ToHttp())
            .RequirePermission(Permission.ViewTesting).WithName("SamplingSession").WithSummary("What the sampler's page resumes with: open tubes, counts and boxes of a site in a round");
        return app;
    }

    private static async Task<IResult> OpenTube(TubeInput input, Tubes h, CancellationToken ct) => await h.OpenAsync(input, ct) switch
    {
        Outcome<TubeOpened>.Success { Value: { Created: true } v } => TypedResults.Created($"/api/v1/sampling/tubes/{Uri.EscapeDataString(v.Tube.Barcode)}", v.Tube),
        Outcome<TubeOpened>.Success s => TypedResults.Ok(s.Value.Tube),
        var failure => failure.Fail<TubeView, TubeOpened>().ToHttp().Result,
    };

    private static async Task<IResult> CreateBox(BoxInput input, TransferBoxes h, CancellationToken ct) => await h.CreateAsync(input, ct) switch
    {
        Outcome<BoxCreated>.Success { Value: { Created: true } v } => TypedResults.Created($"/api/v1/sampling/boxes/{Uri.EscapeDataString(v.Box.Number)}", v.Box),
        Outcome<BoxCreated>.Success s => TypedResults.Ok(s.Value.Box),
        var failure => failure.Fail<BoxView, BoxCreated>().ToHttp().Result,
    };

    // Samples are committed even if the device goes away mid-request: its retry is answered as a duplicate.
    private static async Task<Results<Ok<SamplesResult>, ValidationProblem, ProblemHttpResult>> RecordSamples(SamplesInput input, RecordSamples h) =>
        (await h.HandleAsync(input, CancellationToken.None)).ToHttp();
}
