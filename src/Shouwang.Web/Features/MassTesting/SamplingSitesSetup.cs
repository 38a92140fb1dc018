using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.MassTesting;

/// <summary>Sampling sites, their samplers, and the planning view.</summary>
public static class SamplingSitesSetup
{
    public static IServiceCollection AddSamplingSites(this IServiceCollection services) => services
        .AddTransient<SamplingSites>().AddTransient<SamplingSitesPlan>();

    public static IEndpointRouteBuilder MapSamplingSites(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sampling-sites").WithTags("Sampling sites")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/", async (string? community, SamplingSites h, CancellationToken ct) => (await h.ListAsync(community, ct)).ToHttp())
            .RequirePermission(Permission.ViewTesting).WithName("ListSamplingSites").WithSummary("Sampling sites of the caller's jurisdiction, optionally of one committee");
        group.MapGet("/mine", async (SamplingSites h, CancellationToken ct) => TypedResults.Ok(await h.MineAsync(ct)))
            .RequirePermission(Permission.TakeSamples).WithName("MySamplingSites").WithSummary("The sites the calling account is assigned to");
        group.MapGet("/plan", async (string? node, SamplingSitesPlan h, CancellationToken ct) => (await h.ForAsync(node, ct)).ToHttp())
            .RequirePermission(Permission.ViewTesting).WithName("SamplingPlan")
            .WithSummary("Population of a node and each child, the sites and samplers they need (1 per 2,500 / 1 per 360), what they have and the gap");
        group.MapGet("/sampler-candidates", async (SamplingSites h, CancellationToken ct) => TypedResults.Ok(await h.CandidatesAsync(ct)))
            .RequirePermission(Permission.ManageTesting).WithName("SamplerCandidates").WithSummary("Accounts of the caller's jurisdiction that may take samples (phone masked)");
        group.MapGet("/{id:guid}", async (Guid id, SamplingSites h, CancellationToken ct) => (await h.GetAsync(id, ct)).ToHttp())
            .RequirePermission(Permission.ViewTesting).WithName("GetSamplingSite").WithSummary("One sampling site");
        group.MapPost("/", async (SamplingSiteInput input, SamplingSites h, CancellationToken ct) =>
                (await h.CreateAsync(input, ct)).ToCreated(s => $"/api/v1/sampling-sites/{s.Id}"))
            .RequirePermission(Permission.ManageTesting).WithName("CreateSamplingSite")
            .WithSummary("Set up a sampling site in a committee: name, address, optional grid, local hours (both or neither; past midnight allowed)");
        group.MapPut("/{id:guid}", async (Guid id, SamplingSiteInput input, SamplingSites h, CancellationToken ct) => (await h.UpdateAsync(id, input, ct)).ToHttp())
            .RequirePermission(Permission.ManageTesting).WithName("UpdateSamplingSite").WithSummary("Change a sampling site (all fields, as in create)");
        group.MapGet("/{id:guid}/samplers", async (Guid id, SamplingSites h, CancellationToken ct) => (await h.SamplersAsync(id, ct)).ToHttp())
            .RequirePermission(Permission.ViewTesting).WithName("ListSiteSamplers").WithSummary("The samplers assigned to the site");
        group.MapPost("/{id:guid}/samplers", async (Guid id, SamplerInput input, SamplingSites h, CancellationToken ct) => (await h.AssignAsync(id, input, ct)).ToHttp())
            .RequirePermission(Permission.ManageTesting).WithName("AssignSiteSampler")
            .WithSummary("Assign an account of the caller's jurisdiction that may take samples (again: no change)");
        group.MapDelete("/{id:guid}/samplers/{accountId:guid}", async (Guid id, Guid accountId, SamplingSites h, CancellationToken ct) =>
                (await h.UnassignAsync(id, accountId, ct)).ToHttp())
            .RequirePermission(Permission.ManageTesting).WithName("UnassignSiteSampler").WithSummary("Take a sampler off the site");
        return app;
    }
}
