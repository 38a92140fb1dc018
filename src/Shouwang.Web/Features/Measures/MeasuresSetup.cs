namespace Shouwang.Web.Features.Measures;

public static class MeasuresSetup
{
    public static IServiceCollection AddMeasures(this IServiceCollection services) => services.AddTransient<IssueMeasure>();

    public static IEndpointRouteBuilder MapMeasures(this IEndpointRouteBuilder app) => app;
}
