namespace Shouwang.Web.Features.MassTesting;

public static class MassTestingSetup
{
    public static IServiceCollection AddMassTesting(this IServiceCollection services) => services.AddRounds().AddSamplingSites().AddCoverage().AddSampling().AddLabResults();

    public static IEndpointRouteBuilder MapMassTesting(this IEndpointRouteBuilder app) => app.MapRounds().MapSamplingSites().MapCoverage().MapSampling().MapLabResults();
}
