using System.Globalization;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Demo;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Features.Retention;

namespace Shouwang.Web.Infrastructure;

/// <summary>
/// Command-line verbs of the same executable:
///   migrate                                   apply the migrations of the configured provider
///   import divisions FOLDER                   load NBS division CSVs (provinces/cities/areas/streets/villages.csv)
///   seed [--under CODE] [--people N] [--seed S]  generate residents into empty committees (default 430202 荷塘区, 1,000,000)
///   accounts create ... / accounts remove-demo  the first admin of a production install; clearing the demo accounts
///   purge [--older-than-days N] [--confirm]   retention: counts expired person-level records; --confirm anonymises/deletes them
/// </summary>
public static class Commands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "migrate" or "import" or "seed" or "accounts" or "purge" or "help";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        // Commands are the operator at the machine: they act for the platform itself.
        using var _ = CallerContext.AsSystem();
        try
        {
            switch (args[0])
            {
                case "migrate":
                    await DatabaseSetup.MigrateAsync(services);
                    Console.WriteLine("Database migrated.");
                    return 0;
                case "import" when args.Length == 3 && args[1] == "divisions":
                    await DatabaseSetup.MigrateAsync(services);
                    var count = await ActivatorUtilities.CreateInstance<DivisionImporter>(services).ImportFolderAsync(args[2]);
                    Console.WriteLine($"Imported {count} divisions from {args[2]}.");
                    return 0;
                case "seed":
                    await DatabaseSetup.MigrateAsync(services);
                    var under = Option(args, "--under") ?? "430202";
                    var people = int.Parse(Option(args, "--people") ?? "1000000", CultureInfo.InvariantCulture);
                    var seed = int.Parse(Option(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
                    var db = services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>();
                    await using (var context = await db.CreateDbContextAsync())
                    {
                        if (!context.Jurisdictions.Any()) await ActivatorUtilities.CreateInstance<DivisionImporter>(services).ImportEmbeddedAsync();
                    }
                    var written = await ActivatorUtilities.CreateInstance<DemoSeeder>(services).SeedAsync(under, people, seed);
                    Console.WriteLine($"Seeded {written} persons under {under}.");
                    return 0;
                case "accounts" when args.Length >= 2 && args[1] == "create":
                    await DatabaseSetup.MigrateAsync(services);
                    return await AccountCommands.CreateAsync(services, args);
                case "accounts" when args.Length == 2 && args[1] == "remove-demo":
                    await DatabaseSetup.MigrateAsync(services);
                    Console.WriteLine($"Removed {await ActivatorUtilities.CreateInstance<DemoAccounts>(services).RemoveAsync()} demo accounts.");
                    return 0;
                case "purge":
                    return await PurgeAsync(services, args);
                default:
                    Console.WriteLine("""
                        Usage: Shouwang.Web [command]
                          (none)                       run the web console and API
                          migrate                      apply database migrations
                          import divisions FOLDER      load NBS division CSV files from FOLDER
                          seed [--under CODE] [--people N] [--seed S]
                                                       generate residents into empty committees under CODE
                          accounts create --user NAME --name DISPLAY --roles Admin[,Command...] --node CODE [--grid ID]
                                                       create an account; prints its initial password (must be changed at first sign-in)
                          accounts remove-demo         delete the demo accounts (required before a production start)
                          purge [--older-than-days N]  dry run: count person-level records past retention (default Shouwang:Retention:Days, 365)
                          purge --confirm [--older-than-days N]
                                                       anonymise done work orders and delete ended restrictions past retention (audited)
                        """);
                    return args[0] == "help" ? 0 : 2;
            }
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> PurgeAsync(IServiceProvider services, string[] args)
    {
        var purge = services.GetRequiredService<PurgeExpiredRecords>();
        var daysOption = Option(args, "--older-than-days");
        var days = daysOption is null ? purge.DefaultDays : int.Parse(daysOption, CultureInfo.InvariantCulture);
        if (days < 1) throw new FormatException("--older-than-days must be at least 1");
        var cutoff = purge.CutoffFor(days);
        var confirm = args.Contains("--confirm");
        var counts = confirm ? await purge.PurgeAsync(cutoff) : await purge.CountAsync(cutoff);
        Console.WriteLine(confirm
            ? $"Purged records closed before {cutoff:yyyy-MM-dd HH:mm}Z ({days} days):"
            : $"Dry run: records closed before {cutoff:yyyy-MM-dd HH:mm}Z ({days} days) that --confirm would purge:");
        Console.WriteLine($"  work orders anonymised:          {counts.WorkOrders}");
        Console.WriteLine($"  work order history texts cleared: {counts.WorkOrderEvents}");
        Console.WriteLine($"  restrictions deleted:            {counts.Restrictions}");
        if (!confirm) Console.WriteLine("Nothing was changed. Run again with --confirm to purge.");
        return 0;
    }

    internal static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
