using Microsoft.AspNetCore.Http.HttpResults;

namespace Shouwang.Web.Infrastructure;

/// <summary>Outcomes as HTTP: 200/201, 400 ValidationProblem, or a 403/404/409/429 ProblemDetails (application/problem+json).</summary>
public static class OutcomeResults
{
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToHttp<T>(this Outcome<T> outcome) => outcome switch
    {
        Outcome<T>.Success s => TypedResults.Ok(s.Value),
        Outcome<T>.Invalid i => TypedResults.ValidationProblem(i.Errors),
        _ => Problem(outcome),
    };

    public static Results<Created<T>, ValidationProblem, ProblemHttpResult> ToCreated<T>(this Outcome<T> outcome, Func<T, string> location) => outcome switch
    {
        Outcome<T>.Success s => TypedResults.Created(location(s.Value), s.Value),
        Outcome<T>.Invalid i => TypedResults.ValidationProblem(i.Errors),
        _ => Problem(outcome),
    };

    private static ProblemHttpResult Problem<T>(Outcome<T> outcome) => outcome switch
    {
        Outcome<T>.NotFound n => TypedResults.Problem(title: n.Message, statusCode: StatusCodes.Status404NotFound),
        Outcome<T>.Conflict c => TypedResults.Problem(title: c.Message, statusCode: StatusCodes.Status409Conflict),
        Outcome<T>.Forbidden f => TypedResults.Problem(title: f.Message, statusCode: StatusCodes.Status403Forbidden),
        Outcome<T>.TooManyRequests t => TypedResults.Problem(title: t.Message, statusCode: StatusCodes.Status429TooManyRequests),
        _ => throw new InvalidOperationException("Not a failure"),
    };
}
