using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shouwang.Domain.Measures;
using Shouwang.Domain.Policies;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Measures;

public static class MeasuresSetup
{
    public static IServiceCollection AddMeasures(this IServiceCollection services) => services
        .AddTransient<IssueMeasure>().AddTransient<BulkIssueMeasures>().AddTransient<MeasureQueries>().AddTransient<ChangeMeasures>();

    public static IEndpointRouteBuilder MapMeasures(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Measures").RequirePermission(Permission.ViewRegistry)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/persons/{id:guid}/measures", Issue).WithName("IssueMeasure").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Issue a control measure course to a person under the policy in force (a verified basis takes effect at once, 'Other' waits for approval)");
        api.MapPost("/persons/{id:guid}/measures/preview", (Guid id, IssueMeasureInput input, IssueMeasure h, CancellationToken ct) => ToHttp(h.PreviewAsync(id, input, ct)))
            .WithName("PreviewMeasure").RequirePermission(Permission.RequestRestriction)
            .WithSummary("The stages and test days a course would have, without saving anything");
        api.MapGet("/persons/{id:guid}/measures", (Guid id, MeasureQueries h, CancellationToken ct) => ToHttp(h.TimelineAsync(id, ct)))
            .WithName("GetPersonMeasures").WithSummary("A person's timeline: courses with their stages, state, basis and approval, and their follow-ups");
        api.MapPost("/measures/bulk", (BulkIssueInput input, BulkIssueMeasures h, CancellationToken ct) => ToHttp(h.HandleAsync(input, ct)))
            .WithName("IssueMeasuresInBulk").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Issue one category's measures to up to 10,000 people (by id or ID number); all or nothing, errors per Rows[i]");
        api.MapGet("/measures", List).WithName("ListMeasures")
            .WithSummary("People under measures on a day (default today, in force) with 第N天/共M天 and the next test day, paged");
        api.MapGet("/measures/counts", ([FromQuery] string? jurisdiction, [FromQuery] DateOnly? day, MeasureQueries h, CancellationToken ct) => ToHttp(h.CountsAsync(jurisdiction, day, ct)))
            .WithName("CountMeasures").WithSummary("People in force on a day by committee and measure kind");
        api.MapGet("/measures/ending", ([FromQuery] string? jurisdiction, [FromQuery] DateOnly? day, MeasureQueries h, CancellationToken ct) => ToHttp(h.EndingAsync(jurisdiction, day, ct)))
            .WithName("ListEndingMeasures").WithSummary("Stages whose last day is the day (default tomorrow): converting to the next stage or released");
        api.MapPost("/measures/courses/{courseId:guid}/end-early", (Guid courseId, EndEarlyInput input, ChangeMeasures h, CancellationToken ct) => ToHttp(h.EndEarlyAsync(courseId, input, ct)))
            .WithName("EndMeasureEarly").RequirePermission(Permission.RequestRestriction)
            .WithSummary("End a running course early with a reason (lifts its restriction)");
        api.MapPost("/measures/courses/{courseId:guid}/change", Change).WithName("ChangeMeasure").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Correct a running course: a replacement course that supersedes it once in force");
        api.MapGet("/measures/recompute-preview", ([FromQuery] string? jurisdiction, ChangeMeasures h, CancellationToken ct) => ToHttp(h.PreviewRecomputeAsync(jurisdiction, ct)))
            .WithName("PreviewMeasureRecompute").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Running courses issued under another version than the one now in force, old and new schedules side by side");
        api.MapPost("/measures/recompute", (RecomputeInput input, ChangeMeasures h, CancellationToken ct) => ToHttp(h.RecomputeAsync(input, ct)))
            .WithName("RecomputeMeasures").RequirePermission(Permission.RequestRestriction)
            .WithSummary("Apply the preview to the chosen courses: replacements under the new version, or an early end where it has no rule");
        return app;
    }

    private static async Task<Results<Created<CourseItem>, ValidationProblem, ProblemHttpResult>> Issue(
        Guid id, IssueMeasureInput input, IssueMeasure handler, CancellationToken ct) =>
        (await handler.HandleAsync(id, input, ct)).ToCreated(c => $"/api/v1/persons/{c.PersonId}/measures");

    private static async Task<Results<Created<CourseItem>, ValidationProblem, ProblemHttpResult>> Change(
        Guid courseId, ChangeCourseInput input, ChangeMeasures handler, CancellationToken ct) =>
        (await handler.ChangeAsync(courseId, input, ct)).ToCreated(c => $"/api/v1/persons/{c.PersonId}/measures");

    private static Task<Results<Ok<Paged<MeasureListItem>>, ValidationProblem, ProblemHttpResult>> List(
        [FromQuery] string? jurisdiction, [FromQuery] MeasureKind? kind, [FromQuery] PersonCategory? category, [FromQuery] MeasureStatus? status,
        [FromQuery] DateOnly? day, [FromQuery] int? page, [FromQuery] int? pageSize, MeasureQueries handler, CancellationToken ct) =>
        ToHttp(handler.ListAsync(new MeasureSearch(jurisdiction, kind, category, status, day, page, pageSize), ct));

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ToHttp<T>(Task<Outcome<T>> task) => (await task).ToHttp();
}
