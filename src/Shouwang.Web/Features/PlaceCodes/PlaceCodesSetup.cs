using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.PlaceCodes;

public static class PlaceCodesSetup
{
    public static IServiceCollection AddPlaceCodes(this IServiceCollection services) => services
        .AddSingleton<PresenceRateLimits>()
        .AddTransient<ManagePlaceCodes>()
        .AddTransient<RecordPresence>();

    public static IEndpointRouteBuilder MapPlaceCodes(this IEndpointRouteBuilder app)
    {
        var places = app.MapGroup("/api/v1/places").WithTags("Place codes").ProducesProblem(StatusCodes.Status404NotFound);
        places.MapGet("/", List).WithName("ListPlaces").WithSummary("Places with a 场所码 in the caller's jurisdiction, with today's presence counts, paged")
            .RequirePermission(Permission.ViewPassages);
        places.MapGet("/{id:guid}", Get).WithName("GetPlace").WithSummary("One place").RequirePermission(Permission.ViewPassages);
        places.MapPost("/", Create).WithName("CreatePlace").WithSummary("Add a place (supermarket, market, pharmacy, fuel station, enterprise…)")
            .RequirePermission(Permission.ManageCheckpoints);
        places.MapPut("/{id:guid}", Update).WithName("UpdatePlace").WithSummary("Change a place; isActive=false stops its poster from recording")
            .RequirePermission(Permission.ManageCheckpoints);
        places.MapGet("/{id:guid}/presences", Presences).WithName("ListPlacePresences")
            .WithSummary("Presences recorded at a place (name and phone masked), newest first; from/to are local days (yyyy-MM-dd)")
            .RequirePermission(Permission.ViewPassages);
        return app;
    }

    private static async Task<Ok<Paged<PlaceItem>>> List([AsParameters] PlaceSearch search, ManagePlaceCodes places, CancellationToken ct) =>
        TypedResults.Ok(await places.ListAsync(search, ct));

    private static async Task<Results<Ok<PlaceItem>, ValidationProblem, ProblemHttpResult>> Get(Guid id, ManagePlaceCodes places, CancellationToken ct) =>
        (await places.GetAsync(id, ct)).ToHttp();

    private static async Task<Results<Created<PlaceItem>, ValidationProblem, ProblemHttpResult>> Create(PlaceInput input, ManagePlaceCodes places, CancellationToken ct) =>
        (await places.CreateAsync(input, ct)).ToCreated(p => $"/api/v1/places/{p.Id}");

    private static async Task<Results<Ok<PlaceItem>, ValidationProblem, ProblemHttpResult>> Update(Guid id, PlaceInput input, ManagePlaceCodes places, CancellationToken ct) =>
        (await places.UpdateAsync(id, input, ct)).ToHttp();

    private static async Task<Results<Ok<Paged<PresenceItem>>, ValidationProblem, ProblemHttpResult>> Presences(
        Guid id, [AsParameters] PresenceSearch search, ManagePlaceCodes places, CancellationToken ct) => (await places.PresencesAsync(id, search, ct)).ToHttp();
}
