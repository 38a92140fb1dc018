using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Demo;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Features.Policies;

namespace Shouwang.Web.Infrastructure;

public static class Startup
{
    /// <summary>
    /// Migrate; load the shipped division tree into an empty database; in demo mode (Shouwang:Demo, default true) seed
    /// the demo street and its accounts. Returns false when a production start must not go on (demo accounts present).
    /// </summary>
    public static async Task<bool> PrepareDatabaseAsync(IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        using var _ = CallerContext.AsSystem();
        await DatabaseSetup.MigrateAsync(services, cancellationToken);
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Jurisdictions.AnyAsync(cancellationToken))
                await ActivatorUtilities.CreateInstance<DivisionImporter>(services).ImportEmbeddedAsync(cancellationToken);
        }
        await ActivatorUtilities.CreateInstance<PolicyPresetSeeder>(services).EnsurePresetsAsync(cancellationToken);
        var demoAccounts = ActivatorUtilities.CreateInstance<DemoAccounts>(services);
        if (configuration.GetValue("Shouwang:Demo", true))
        {
            await ActivatorUtilities.CreateInstance<DemoSeeder>(services).SeedIfEmptyAsync(cancellationToken);
            await demoAccounts.SeedAsync(cancellationToken);
            await ActivatorUtilities.CreateInstance<PolicyPresetSeeder>(services).PutNinthInForceForDemoAsync(cancellationToken);
            await ActivatorUtilities.CreateInstance<Features.Demo.DemoOutbreak>(services).SeedIfNoneAsync(cancellationToken);
            await ActivatorUtilities.CreateInstance<Features.Demo.DemoCheckpoints>(services).SeedIfNoneAsync(cancellationToken);
            await ActivatorUtilities.CreateInstance<Features.Demo.DemoSampling>(services).SeedIfNoneAsync(cancellationToken);
            demoAccounts.Print(Console.Out);
            return true;
        }
        if (await demoAccounts.AnyAsync(cancellationToken))
        {
            Console.Error.WriteLine("Refusing to start in production mode (Shouwang:Demo=false): demo accounts exist. Remove them with `accounts remove-demo`.");
            Console.Error.WriteLine("拒绝以生产模式启动：数据库中有演示账号。请先运行 `accounts remove-demo` 删除。");
            return false;
        }
        return true;
    }
}
