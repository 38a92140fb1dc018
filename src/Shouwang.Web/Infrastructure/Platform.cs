using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using Shouwang.Web.Data;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Infrastructure;

/// <summary>What every area relies on: database, clock, localisation, JSON, ProblemDetails, OpenAPI.</summary>
public static class Platform
{
    public static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];
    /// <summary>The roster limit plus room for the multipart envelope.</summary>
    public const long MaxRequestBytes = 21 * 1024 * 1024;

    public static IServiceCollection AddShouwangPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAppDatabase(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LocalClock>();
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("zh-CN");
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
            // Chinese first: the browser's language is not asked, except by API clients that send Accept-Language.
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new ApiAcceptLanguageProvider(),
            ];
        });
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var l = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            if (context.ProblemDetails.Status == StatusCodes.Status400BadRequest && context.ProblemDetails is not HttpValidationProblemDetails { Errors.Count: > 0 })
                context.ProblemDetails.Title = l["Error.BadRequest"];
            else if (context.ProblemDetails is HttpValidationProblemDetails)
                context.ProblemDetails.Title = l["Error.Validation"];
            else if (context.ProblemDetails.Status == StatusCodes.Status500InternalServerError)
                context.ProblemDetails.Title = l["Error.Unexpected"];
            else if (context.ProblemDetails.Status == StatusCodes.Status401Unauthorized)
                context.ProblemDetails.Title = l["Error.SignInRequired"];
            else if (context.ProblemDetails.Status == StatusCodes.Status403Forbidden && context.ProblemDetails.Title is null or "Forbidden")
                context.ProblemDetails.Title = l["Account.Denied"];
        });
        services.AddExceptionHandler<ScopeViolationHandler>();
        services.AddOpenApi(o => o.AddDocumentTransformer<SecuritySchemesTransformer>());
        // Chinese text goes out as text, not as &#x...; entities: pages half the size and searchable.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = MaxRequestBytes);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBytes);
        return services;
    }

    public static WebApplication UseShouwangPlatform(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        app.UseRequestLocalization();
        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Shouwang API v1");
            o.RoutePrefix = "api-docs";
            o.DocumentTitle = "守望 Shouwang API";
        });
        app.MapGet("/culture", (string culture, string? redirect, HttpContext context) =>
        {
            if (Cultures.Any(c => c.Name == culture))
            {
                context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            }
            // Only local paths, so the switch can't be used to send people elsewhere.
            var target = redirect is { Length: > 0 } && redirect.StartsWith('/') && !redirect.StartsWith("//", StringComparison.Ordinal) ? redirect : "/";
            return TypedResults.LocalRedirect(target);
        }).ExcludeFromDescription();
        return app;
    }

    private sealed class ApiAcceptLanguageProvider : RequestCultureProvider
    {
        private readonly AcceptLanguageHeaderRequestCultureProvider _inner = new();

        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
            httpContext.Request.Path.StartsWithSegments("/api") ? _inner.DetermineProviderCultureResult(httpContext) : NullProviderCultureResult;
    }

    /// <summary>The database refused a write outside the caller's jurisdiction: 403, nothing saved.</summary>
    private sealed class ScopeViolationHandler(IStringLocalizer<SharedResource> l) : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not Data.ScopeViolationException) return false;
            httpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Results.Problem(title: l["Error.OutsideJurisdiction"], statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(httpContext);
            return true;
        }
    }
}
