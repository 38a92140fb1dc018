using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Web.Data;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Accounts;

/// <summary>Sign-in (cookie for the console, bearer token for programs), permissions, and the caller of every request and circuit.</summary>
public static class AccountsSetup
{
    /// <summary>Picks the bearer handler when the request carries a token, the cookie otherwise.</summary>
    public const string Scheme = "Shouwang";

    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddHttpContextAccessor();
        // Identity's stores want a context from DI; everything else makes its own from the factory.
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.AddIdentityCore<StaffAccount>(o =>
            {
                o.Password.RequiredLength = PasswordRules.MinLength;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 5;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = PasswordRules.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = PasswordRules.LockoutTime;
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddErrorDescriber<LocalizedIdentityErrors>()
            .AddPasswordValidator<LetterPasswordValidator>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                IsBearer(context.Request) ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(12))
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "shouwang.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            // Programs get status codes, not the login page.
            o.Events.OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden);
            // Identity's security-stamp validator would build the request's scoped AppDbContext during authentication, before
            // the caller is known, so that context (Identity's writes) would work for nobody. The caller middleware checks the
            // stamp and the disabled flag on every request instead (AccountDirectory).
            o.Events.OnValidatePrincipal = _ => Task.CompletedTask;
        });
        services.AddAuthorization(o =>
        {
            foreach (var permission in Enum.GetValues<Permission>())
                o.AddPolicy(permission.ToString(), p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission)));
        });
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddSingleton<AccountDirectory>();
        services.AddTransient<StaffSignIn>().AddTransient<AccountPasswords>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingStaffStateProvider>();
        services.AddScoped<CircuitHandler, CallerCircuitHandler>();
        return services;
    }

    public static WebApplication UseAccounts(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(ResolveCallerAsync);
        app.UseAuthorization();
        return app;
    }

    /// <summary>Ask for a permission on an endpoint or group.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, Permission permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(permission.ToString());

    private static async Task ResolveCallerAsync(HttpContext context, RequestDelegate next)
    {
        var directory = context.RequestServices.GetRequiredService<AccountDirectory>();
        var caller = await directory.ResolveAsync(context.User, context.RequestAborted);
        if (context.User.Identity?.IsAuthenticated == true && !caller.IsAuthenticated)
        {
            // Disabled, deleted, or signed out everywhere: the cookie goes, and the request continues as anonymous.
            if (!context.Request.Headers.Authorization.Any()) await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        }
        CallerContext.Set(caller with { IpAddress = context.Connection.RemoteIpAddress?.ToString() });
        if (caller.MustChangePassword && MustChangeFirst(context.Request))
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                var l = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
                await Results.Problem(title: l["Account.MustChangePassword"], statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            }
            else context.Response.Redirect("/account/change-password");
            return;
        }
        if (caller.IsAuthenticated && await IsCrossSiteFormAsync(context))
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    /// <summary>
    /// A write to the API that rides on the console's cookie must be JSON (which another site can only send after a CORS
    /// preflight) or carry an antiforgery token: a plain form, multipart upload or empty POST is what a page elsewhere,
    /// or a sibling subdomain that SameSite=Lax doesn't stop, can make a signed-in browser send.
    /// </summary>
    private static async Task<bool> IsCrossSiteFormAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || IsBearer(request) || request.HasJsonContentType()) return false;
        return !await context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().IsRequestValidAsync(context);
    }

    private static bool IsBearer(HttpRequest request) => request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>With an initial password, only the password change itself (and what its page needs) is open.</summary>
    private static bool MustChangeFirst(HttpRequest request)
    {
        var path = request.Path;
        if (path.StartsWithSegments("/account") || path.StartsWithSegments("/api/v1/me") || path.StartsWithSegments("/api/v1/auth")
            || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content") || path.StartsWithSegments("/culture")) return false;
        return !Path.HasExtension(path.Value);
    }

    private static Task ApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;

    /// <summary>Permissions come from the account as it is now (the caller), not from claims frozen at sign-in.</summary>
    private sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
        {
            if (CallerContext.Current.Can(requirement.Permission)) context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }
}

/// <summary>Sets the caller around everything a console circuit does, since circuits outlive the request that opened them.</summary>
public sealed class CallerCircuitHandler(AuthenticationStateProvider authentication, AccountDirectory directory) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await authentication.GetAuthenticationStateAsync();
            CallerContext.Set(await directory.ResolveAsync(state.User));
            await next(context);
        };
}

/// <summary>An open console notices within a minute that its account was disabled or signed out everywhere.</summary>
public sealed class RevalidatingStaffStateProvider(ILoggerFactory loggerFactory, AccountDirectory directory)
    : Microsoft.AspNetCore.Components.Server.RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        (await directory.ResolveAsync(authenticationState.User, cancellationToken)).IsAuthenticated;
}
