using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Retention;

public sealed record PurgeInput
{
    public int? OlderThanDays { get; set; }
}

public sealed record RetentionReport(int OlderThanDays, DateTime Cutoff, int WorkOrders, int WorkOrderEvents, int Restrictions, int Total, bool Purged);

public static class RetentionSetup
{
    public const int MaxDays = 36500;

    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section);
        return services.AddTransient<PurgeExpiredRecords>();
    }

    public static IEndpointRouteBuilder MapRetention(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/retention").WithTags("Retention").RequirePermission(Permission.PurgeRecords);
        api.MapGet("/preview", ([FromQuery] int? olderThanDays, PurgeExpiredRecords purge, IStringLocalizer<RestrictionsResource> l, CancellationToken ct) =>
                RunAsync(olderThanDays, purge, l, confirm: false, ct))
            .WithName("PreviewRetentionPurge").WithSummary("Dry run: how many expired records in your jurisdiction a purge would anonymise or delete");
        api.MapPost("/purge", (PurgeInput? input, PurgeExpiredRecords purge, IStringLocalizer<RestrictionsResource> l, CancellationToken ct) =>
                RunAsync(input?.OlderThanDays, purge, l, confirm: true, ct))
            .WithName("PurgeExpiredRecords").WithSummary("Anonymise done work orders and delete ended restrictions older than the retention period (audited)");
        return app;
    }

    private static async Task<Results<Ok<RetentionReport>, ValidationProblem>> RunAsync(
        int? olderThanDays, PurgeExpiredRecords purge, IStringLocalizer<RestrictionsResource> l, bool confirm, CancellationToken ct)
    {
        var days = olderThanDays ?? purge.DefaultDays;
        if (days is < 1 or > MaxDays)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(PurgeInput.OlderThanDays)] = [l["Error.RetentionDays", 1, MaxDays]] });
        var cutoff = purge.CutoffFor(days);
        var counts = confirm ? await purge.PurgeAsync(cutoff, ct) : await purge.CountAsync(cutoff, ct);
        return TypedResults.Ok(new RetentionReport(days, cutoff, counts.WorkOrders, counts.WorkOrderEvents, counts.Restrictions, counts.Total, confirm));
    }
}
