using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Accounts;

public static class AccountAdminEndpoints
{
    public static IServiceCollection AddAccountAdmin(this IServiceCollection services) => services.AddTransient<AccountAdmin>();

    public static IEndpointRouteBuilder MapAccountAdmin(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api/v1/accounts").WithTags("Accounts").RequirePermission(Permission.ManageAccounts)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem();
        accounts.MapGet("/", async ([AsParameters] AccountSearch search, AccountAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.ListAsync(search, ct)))
            .WithName("ListAccounts").WithSummary("Staff accounts within one's own subtree (q: user or display name; role), paged");
        accounts.MapGet("/{id:guid}", async (Guid id, AccountAdmin admin, CancellationToken ct) => (await admin.GetAsync(id, ct)).ToHttp())
            .WithName("GetAccount").WithSummary("One account within one's own subtree");
        accounts.MapPost("/", Create).WithName("CreateAccount")
            .WithSummary("Create an account at a node of one's subtree; answers its initial password once (to be changed at first sign-in)");
        accounts.MapPut("/{id:guid}", async (Guid id, AccountInput input, AccountAdmin admin, CancellationToken ct) => (await admin.UpdateAsync(id, input, ct)).ToHttp())
            .WithName("UpdateAccount").WithSummary("Change an account's name, roles, node, grid or phone (takes effect at once)");
        accounts.MapPost("/{id:guid}/disable", async (Guid id, AccountAdmin admin, CancellationToken ct) => (await admin.DisableAsync(id, ct)).ToHttp())
            .WithName("DisableAccount").WithSummary("Refuse the account's sign-in, sessions and tokens from now on");
        accounts.MapPost("/{id:guid}/enable", async (Guid id, AccountAdmin admin, CancellationToken ct) => (await admin.EnableAsync(id, ct)).ToHttp())
            .WithName("EnableAccount").WithSummary("Allow a disabled account to sign in again");
        accounts.MapPost("/{id:guid}/unlock", async (Guid id, AccountAdmin admin, CancellationToken ct) => (await admin.UnlockAsync(id, ct)).ToHttp())
            .WithName("UnlockAccount").WithSummary("End a lockout after too many wrong passwords");
        accounts.MapPost("/{id:guid}/reset-password", async (Guid id, AccountAdmin admin, CancellationToken ct) => (await admin.ResetPasswordAsync(id, ct)).ToHttp())
            .WithName("ResetAccountPassword").WithSummary("A new initial password, answered once; the account's sessions and tokens end");
        accounts.MapPost("/{id:guid}/sign-out-everywhere", async (Guid id, AccountAdmin admin, CancellationToken ct) => (await admin.SignOutEverywhereAsync(id, ct)).ToHttp())
            .WithName("SignOutAccountEverywhere").WithSummary("End every session and token of the account");
        return app;
    }

    private static async Task<Results<Created<AccountWithPassword>, ValidationProblem, ProblemHttpResult>> Create(AccountInput input, AccountAdmin admin, CancellationToken ct) =>
        (await admin.CreateAsync(input, ct)).ToCreated(a => $"/api/v1/accounts/{a.Account.Id}");
}
