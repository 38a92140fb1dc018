using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Demo;
using Shouwang.Web.Features.Jurisdictions;

namespace Shouwang.Web.Infrastructure;

public static class Startup
{
    /// <summary>Migrate; load the shipped division tree into an empty database; seed the demo street when Shouwang:Demo (default true).</summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        await DatabaseSetup.MigrateAsync(services, cancellationToken);
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Jurisdictions.AnyAsync(cancellationToken))
                await ActivatorUtilities.CreateInstance<DivisionImporter>(services).ImportEmbeddedAsync(cancellationToken);
        }
        if (configuration.GetValue("Shouwang:Demo", true))
            await ActivatorUtilities.CreateInstance<DemoSeeder>(services).SeedIfEmptyAsync(cancellationToken);
    }
}
