using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.PersonCodes;

public static class PersonCodesSetup
{
    public static IServiceCollection AddPersonCodes(this IServiceCollection services) => services
        .AddSingleton<CodeSigner>()
        .AddTransient<PersonCodeService>();

    public static IEndpointRouteBuilder MapPersonCodes(this IEndpointRouteBuilder app)
    {
        // A valid code is a pass through every gate in the person's name: only those who keep the registry print it.
        var codes = app.MapGroup("/api/v1/persons/{id:guid}/code").WithTags("Person codes").RequirePermission(Permission.EditRegistry)
            .ProducesProblem(StatusCodes.Status404NotFound);
        codes.MapGet("/", GetCode).WithName("GetPersonCode")
            .WithSummary("The resident's 个人码 (SWP1:… text, serial, revocation); issues serial 1 on first request");
        codes.MapGet("/qr.svg", GetQr).WithName("GetPersonCodeQr").WithSummary("The code as a QR image (SVG); 404 while revoked")
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml");
        codes.MapPost("/revoke", Revoke).WithName("RevokePersonCode").WithSummary("Revoke the code (reason required, 200 characters at most): scans of it are refused")
            .RequirePermission(Permission.ManageCheckpoints);
        codes.MapPost("/reissue", Reissue).WithName("ReissuePersonCode").WithSummary("Issue a new serial and lift any revocation: older printouts stop working")
            .RequirePermission(Permission.ManageCheckpoints);
        return app;
    }

    private static async Task<Results<Ok<PersonCodeState>, ValidationProblem, ProblemHttpResult>> GetCode(Guid id, PersonCodeService codes, CancellationToken ct) =>
        (await codes.GetOrIssueAsync(id, ct)).ToHttp();

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetQr(Guid id, PersonCodeService codes, CancellationToken ct) =>
        await codes.GetOrIssueAsync(id, ct) switch
        {
            Outcome<PersonCodeState>.Success { Value.Code: { } code } => TypedResults.Content(QrSvg.For(code), "image/svg+xml"),
            Outcome<PersonCodeState>.NotFound n => TypedResults.Problem(title: n.Message, statusCode: StatusCodes.Status404NotFound),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound),
        };

    private static async Task<Results<Ok<PersonCodeState>, ValidationProblem, ProblemHttpResult>> Revoke(Guid id, RevokeCodeInput input, PersonCodeService codes, CancellationToken ct) =>
        (await codes.RevokeAsync(id, input, ct)).ToHttp();

    private static async Task<Results<Ok<PersonCodeState>, ValidationProblem, ProblemHttpResult>> Reissue(Guid id, PersonCodeService codes, CancellationToken ct) =>
        (await codes.ReissueAsync(id, ct)).ToHttp();
}
