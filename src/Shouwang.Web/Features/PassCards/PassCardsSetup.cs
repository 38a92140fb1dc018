using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.PassCards;

public static class PassCardsSetup
{
    public static IServiceCollection AddPassCards(this IServiceCollection services)
    {
        services.AddTransient<PassCardRules>().AddTransient<PassCardIssuing>().AddTransient<PassCardTrips>().AddTransient<PassCardPrint>()
            .AddSingleton<PassCardOverdueAlerts>().AddHostedService<PassCardOverdueService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPassCards(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/pass-cards").WithTags("Pass cards").RequirePermission(Permission.ViewPassages)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/rules", async (PassCardRules h, CancellationToken ct) => TypedResults.Ok(await h.ListAsync(ct)))
            .WithName("ListPassCardRules").WithSummary("The pass-card rules of the committees in scope");
        api.MapGet("/rules/{communityCode}", async (string communityCode, PassCardRules h, CancellationToken ct) => (await h.GetAsync(communityCode, ct)).ToHttp())
            .WithName("GetPassCardRule").WithSummary("A committee's rule (configured: false and the defaults when it has none)");
        api.MapPut("/rules/{communityCode}", async (string communityCode, PassCardRuleInput input, PassCardRules h, CancellationToken ct) => (await h.SaveAsync(communityCode, input, ct)).ToHttp())
            .WithName("SavePassCardRule").WithSummary("Set a committee's rule: persons per window 1–10, window 1–14 days, 1–24 hours out").RequirePermission(Permission.ManageCheckpoints);
        api.MapPost("/issue", async (PassCardIssueInput input, PassCardIssuing h, CancellationToken ct) => (await h.IssueAsync(input, ct)).ToHttp())
            .WithName("IssuePassCards").WithSummary("Issue a card to every household of a committee (or one grid of it) that has none").RequirePermission(Permission.ManageCheckpoints);
        api.MapGet("/trips", Trips).WithName("ListPassCardTrips").WithSummary("Trips out on pass cards, newest first (open=true: not back yet), paged");
        api.MapGet("/overdue", async ([FromQuery] string? communityCode, PassCardTrips h, CancellationToken ct) => TypedResults.Ok(await h.OverdueAsync(communityCode, ct)))
            .WithName("ListOverduePassCardTrips").WithSummary("Households whose member is out past the time they were due back");
        api.MapGet("/summary", async ([FromQuery] string? communityCode, PassCardTrips h, CancellationToken ct) => TypedResults.Ok(await h.SummaryAsync(communityCode, ct)))
            .WithName("PassCardSummary").WithSummary("Valid cards, trips today, trips open and overdue");
        api.MapPost("/overdue/alerts", async (PassCardOverdueAlerts h, CancellationToken ct) => TypedResults.Ok(new OverdueAlertsRaised(await h.RaiseAsync(ct))))
            .WithName("RaisePassCardOverdueAlerts").WithSummary("Raise the overdue alerts now (the timer does it every five minutes); one per trip, never twice")
            .RequirePermission(Permission.DispatchWorkOrders);

        var households = app.MapGroup("/api/v1/households/{id:guid}/pass-card").WithTags("Pass cards").RequirePermission(Permission.ManageCheckpoints)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        households.MapGet("/", async (Guid id, PassCardIssuing h, CancellationToken ct) => (await h.CardAsync(id, ct)).ToHttp())
            .WithName("GetPassCard").WithSummary("The household's card with its signed code (issued on the first call)");
        households.MapPost("/reissue", async (Guid id, PassCardIssuing h, CancellationToken ct) => (await h.ReissueAsync(id, ct)).ToHttp())
            .WithName("ReissuePassCard").WithSummary("Print again after a loss: the serial goes up and the old card stops working");
        households.MapPost("/revoke", async (Guid id, PassCardIssuing h, CancellationToken ct) => (await h.RevokeAsync(id, ct)).ToHttp())
            .WithName("RevokePassCard").WithSummary("Withdraw the card until it is reissued");

        return app;
    }

    private static async Task<Ok<Paged<PassCardTripItem>>> Trips([FromQuery] string? communityCode, [FromQuery] bool? open, [FromQuery] int? page, [FromQuery] int? pageSize,
        PassCardTrips h, CancellationToken ct) =>
        TypedResults.Ok(await h.SearchAsync(new PassCardTripSearch(communityCode, open, page, pageSize), ct));
}

public sealed record OverdueAlertsRaised(int Raised);
