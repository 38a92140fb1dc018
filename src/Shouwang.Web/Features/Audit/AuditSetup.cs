using Microsoft.AspNetCore.Http.HttpResults;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Audit;

public static class AuditSetup
{
    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddTransient<AuditLog>().AddTransient<SearchAudit>();

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/v1/audit").WithTags("Audit").RequirePermission(Permission.ViewAudit).ProducesValidationProblem();
        audit.MapGet("/", async ([AsParameters] AuditSearch search, SearchAudit handler, CancellationToken ct) => (await handler.HandleAsync(search, ct)).ToHttp())
            .WithName("SearchAudit")
            .WithSummary("The audit log within one's jurisdiction, newest first (from/to: local dates yyyy-MM-dd or instants; account: user name or id)");
        audit.MapGet("/export", Export).WithName("ExportAudit")
            .WithSummary($"The same search as .xlsx (at most {SearchAudit.MaxExportRows:N0} rows); the export is itself audited")
            .Produces(200, contentType: ExcelExport.ContentType).RequirePermission(Permission.Export);
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> Export([AsParameters] AuditSearch search, SearchAudit handler, CancellationToken ct) =>
        await handler.ExportAsync(search, ct) switch
        {
            Outcome<(byte[] Content, string FileName)>.Success s => TypedResults.File(s.Value.Content, ExcelExport.ContentType, s.Value.FileName),
            Outcome<(byte[] Content, string FileName)>.Invalid i => TypedResults.ValidationProblem(i.Errors),
            _ => throw new InvalidOperationException(),
        };
}
