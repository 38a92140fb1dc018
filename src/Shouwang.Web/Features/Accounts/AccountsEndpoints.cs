using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Accounts;

public sealed record TokenRequest(string? UserName, string? Password);

public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

public sealed record Me(Guid Id, string UserName, string DisplayName, StaffRoles Roles, string NodeCode, string? NodeName, Guid? GridId,
    bool MustChangePassword, IReadOnlyList<Permission> Permissions);

public static class AccountsEndpoints
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Sign-in").AllowAnonymous();
        auth.MapPost("/token", IssueToken).WithName("IssueToken")
            .WithSummary("Exchange a user name and password for a bearer token (Authorization: Bearer …); five wrong passwords lock the account for 15 minutes")
            .Produces<Microsoft.AspNetCore.Authentication.BearerToken.AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).DisableAntiforgery();

        var me = app.MapGroup("/api/v1/me").WithTags("Sign-in").RequireAuthorization();
        me.MapGet("/", GetMe).WithName("GetMe").WithSummary("The signed-in account: roles, node and what it may do");
        me.MapPost("/password", ChangePassword).WithName("ChangePassword")
            .WithSummary("Change one's own password (required first with an initial password); other sessions and tokens are signed out");
        me.MapPost("/sign-out-everywhere", SignOutEverywhere).WithName("SignOutEverywhere")
            .WithSummary("End every session and token of this account, on every device");

        // From the console's account menu: every other browser and token of this account is signed out; this one too.
        app.MapPost("/account/sign-out-everywhere", async (HttpContext context, AccountPasswords passwords) =>
        {
            if (CallerContext.Current.AccountId is { } id) await passwords.SignOutEverywhereAsync(id);
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            return TypedResults.LocalRedirect("/account/login");
        }).ExcludeFromDescription();

        // The console's sign-out is a form post, so a link or image elsewhere can't sign anyone out.
        app.MapPost("/account/logout", async (HttpContext context, AuditLog audit, [FromForm] string? returnUrl) =>
        {
            var caller = CallerContext.Current;
            if (caller.IsAuthenticated)
                await audit.WriteAsync(AuditAction.SignOut, "StaffAccount", caller.AccountId.ToString(), caller.ScopeMin, "Console");
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            return TypedResults.LocalRedirect("/account/login");
        }).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> IssueToken(TokenRequest request, StaffSignIn signIn, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        var outcome = await signIn.PasswordAsync(request.UserName, request.Password, IdentityConstants.BearerScheme, ct);
        return outcome switch
        {
            // The bearer handler has already written the token.
            SignInOutcome.Succeeded or SignInOutcome.MustChangePassword => TypedResults.Empty,
            SignInOutcome.LockedOut => TypedResults.Problem(title: l["Account.LockedOut", (int)PasswordRules.LockoutTime.TotalMinutes], statusCode: StatusCodes.Status403Forbidden),
            SignInOutcome.Disabled => TypedResults.Problem(title: l["Account.Disabled"], statusCode: StatusCodes.Status403Forbidden),
            _ => TypedResults.Problem(title: l["Account.WrongPassword"], statusCode: StatusCodes.Status401Unauthorized),
        };
    }

    private static async Task<Results<Ok<Me>, NotFound>> GetMe(UserManager<StaffAccount> users, Data.AppDbContext db)
    {
        var caller = CallerContext.Current;
        var account = caller.AccountId is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        if (account is null) return TypedResults.NotFound();
        var nodeName = db.Jurisdictions.Where(j => j.Code == account.NodeCode).Select(j => j.Name).FirstOrDefault();
        return TypedResults.Ok(new Me(account.Id, account.UserName!, account.DisplayName, account.Roles, account.NodeCode, nodeName, account.GridId,
            account.MustChangePassword, Enum.GetValues<Permission>().Where(caller.Can).ToList()));
    }

    private static async Task<Results<NoContent, ValidationProblem, NotFound>> ChangePassword(PasswordChange change, AccountPasswords passwords, CancellationToken ct)
    {
        var caller = CallerContext.Current;
        if (caller.AccountId is not { } id) return TypedResults.NotFound();
        var errors = await passwords.ChangeOwnAsync(id, change.CurrentPassword, change.NewPassword, ct);
        return errors.Any ? TypedResults.ValidationProblem(errors.ToDictionary()) : TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> SignOutEverywhere(AccountPasswords passwords, CancellationToken ct)
    {
        var caller = CallerContext.Current;
        if (caller.AccountId is not { } id) return TypedResults.NotFound();
        await passwords.SignOutEverywhereAsync(id, ct);
        return TypedResults.NoContent();
    }
}
