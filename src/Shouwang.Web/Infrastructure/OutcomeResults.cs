using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Shouwang.Web.Infrastructure;

public static class OutcomeResults
{
    public static Results<Ok<T>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>> ToHttp<T>(this Outcome<T> outcome) => outcome switch
    {
        Outcome<T>.Success s => TypedResults.Ok(s.Value),
        Outcome<T>.Invalid i => TypedResults.ValidationProblem(i.Errors),
        Outcome<T>.NotFound n => TypedResults.NotFound(new ProblemDetails { Status = 404, Title = n.Message }),
        Outcome<T>.Conflict c => TypedResults.Conflict(new ProblemDetails { Status = 409, Title = c.Message }),
        _ => throw new InvalidOperationException("Unknown outcome"),
    };

    public static Results<Created<T>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>> ToCreated<T>(this Outcome<T> outcome, Func<T, string> location) => outcome switch
    {
        Outcome<T>.Success s => TypedResults.Created(location(s.Value), s.Value),
        Outcome<T>.Invalid i => TypedResults.ValidationProblem(i.Errors),
        Outcome<T>.NotFound n => TypedResults.NotFound(new ProblemDetails { Status = 404, Title = n.Message }),
        Outcome<T>.Conflict c => TypedResults.Conflict(new ProblemDetails { Status = 409, Title = c.Message }),
        _ => throw new InvalidOperationException("Unknown outcome"),
    };
}
