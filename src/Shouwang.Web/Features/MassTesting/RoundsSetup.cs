using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.MassTesting;

/// <summary>Testing rounds, their scope and exemptions, and the pooling advisor.</summary>
public static class RoundsSetup
{
    public static IServiceCollection AddRounds(this IServiceCollection services) => services.AddTransient<Rounds>();

    public static IEndpointRouteBuilder MapRounds(this IEndpointRouteBuilder app)
    {
        var rounds = app.MapGroup("/api/v1/testing-rounds").WithTags("TestingRounds").RequirePermission(Permission.ViewTesting)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        rounds.MapGet("/", (int? page, int? pageSize, Rounds h, CancellationToken ct) => SearchAsync(h, page, pageSize, ct))
            .WithName("SearchTestingRounds").WithSummary("Rounds with a scope node in the caller's jurisdiction, newest first, paged");
        rounds.MapPost("/", Create).WithName("CreateTestingRound").RequirePermission(Permission.ManageTesting)
            .WithSummary("Plan a round: name, window (at most 7 days), pool size 1/5/10/20, scope nodes, residence types, infant age");
        rounds.MapGet("/pooling", (string? positiveRate, Guid? roundId, Rounds h, CancellationToken ct) => ToHttp(h.AdviseAsync(positiveRate, roundId, ct)))
            .WithName("AdvisePooling").WithSummary("Dorfman tests per person for single tube and pools of 5, 10, 20 at a positive rate, the recommended size, and tubes for a round");
        rounds.MapGet("/{id:guid}", (Guid id, Rounds h, CancellationToken ct) => ToHttp(h.GetAsync(id, ct)))
            .WithName("GetTestingRound").WithSummary("A round with its scope and live counts: required, exempt, single tube (lockdown and controlled areas)");
        rounds.MapPut("/{id:guid}", (Guid id, RoundInput input, Rounds h, CancellationToken ct) => ToHttp(h.UpdateAsync(id, input, ct)))
            .WithName("UpdateTestingRound").RequirePermission(Permission.ManageTesting).WithSummary("Change a round that is not closed");
        rounds.MapPost("/{id:guid}/open", (Guid id, Rounds h, CancellationToken ct) => ToHttp(h.ChangeStateAsync(id, RoundState.Open, ct)))
            .WithName("OpenTestingRound").RequirePermission(Permission.ManageTesting).WithSummary("Open a planned round for sampling");
        rounds.MapPost("/{id:guid}/close", (Guid id, Rounds h, CancellationToken ct) => ToHttp(h.ChangeStateAsync(id, RoundState.Closed, ct)))
            .WithName("CloseTestingRound").RequirePermission(Permission.ManageTesting).WithSummary("Close a round");
        rounds.MapGet("/{id:guid}/exemptions", (Guid id, int? page, int? pageSize, Rounds h, CancellationToken ct) => ToHttp(h.ExemptionsAsync(id, page, pageSize, ct)))
            .WithName("ListRoundExemptions").WithSummary("Exempted people of the round in the caller's jurisdiction (names and ID numbers masked), paged");
        rounds.MapPost("/{id:guid}/exemptions", Exempt).WithName("ExemptFromRound").RequirePermission(Permission.ManageTesting)
            .WithSummary("Exempt one person in the round's scope with a reason (once per person: again is 409)");
        rounds.MapDelete("/{id:guid}/exemptions/{personId:guid}", RemoveExemption).WithName("RemoveRoundExemption").RequirePermission(Permission.ManageTesting)
            .WithSummary("Withdraw an exemption: the person is required again");
        rounds.MapGet("/{id:guid}/recent-positive-rate", (Guid id, Rounds h, CancellationToken ct) => ToHttp(h.RecentPositiveRateAsync(id, ct)))
            .WithName("RecentPositiveRate").WithSummary("Members of positive tubes over people sampled in the round's scope in the last 7 days (0 when none)");
        return app;
    }

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ToHttp<T>(Task<Outcome<T>> outcome) => (await outcome).ToHttp();

    private static async Task<Ok<Paged<RoundItem>>> SearchAsync(Rounds h, int? page, int? pageSize, CancellationToken ct) =>
        TypedResults.Ok(await h.SearchAsync(page, pageSize, ct));

    private static async Task<Results<Created<RoundDetails>, ValidationProblem, ProblemHttpResult>> Create(RoundInput input, Rounds h, CancellationToken ct) =>
        (await h.CreateAsync(input, ct)).ToCreated(r => $"/api/v1/testing-rounds/{r.Round.Id}");

    private static async Task<Results<Created<ExemptionItem>, ValidationProblem, ProblemHttpResult>> Exempt(Guid id, ExemptionInput input, Rounds h, CancellationToken ct) =>
        (await h.ExemptAsync(id, input, ct)).ToCreated(e => $"/api/v1/testing-rounds/{id}/exemptions/{e.PersonId}");

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveExemption(Guid id, Guid personId, Rounds h, CancellationToken ct) =>
        await h.RemoveExemptionAsync(id, personId, ct) switch
        {
            Outcome<bool>.Success => TypedResults.NoContent(),
            var other => other.ToHttp().Result switch
            {
                ValidationProblem v => v,
                ProblemHttpResult p => p,
                _ => throw new InvalidOperationException(),
            },
        };
}
