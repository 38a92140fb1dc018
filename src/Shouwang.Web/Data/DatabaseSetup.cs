using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Web.Data;

public static class DatabaseSetup
{
    public static IServiceCollection AddAppDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Shouwang:Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(options);
        var connectionString = options.EffectiveConnectionString;
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteFolder(connectionString);
            TurnOffSqliteMemoryStatistics();
            services.AddPooledDbContextFactory<SqliteAppDbContext>(o => o.UseSqlite(connectionString, s => s.CommandTimeout(120)).AddInterceptors(new SqlitePragmaInterceptor()));
            services.AddSingleton<IDbContextFactory<AppDbContext>>(sp => new BaseFactory<SqliteAppDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteAppDbContext>>(), sp.GetRequiredService<TimeProvider>()));
            services.AddHostedService<SqliteCheckpointer>();
        }
        else
        {
            services.AddPooledDbContextFactory<PostgresAppDbContext>(o => o.UseNpgsql(connectionString, n => n.CommandTimeout(120)));
            services.AddSingleton<IDbContextFactory<AppDbContext>>(sp => new BaseFactory<PostgresAppDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresAppDbContext>>(), sp.GetRequiredService<TimeProvider>()));
        }
        return services;
    }

    /// <summary>Applies the provider's migration set; the only way the schema is made (no EnsureCreated).</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    private const int SqliteConfigMemStatus = 9;

    /// <summary>
    /// SQLite counts its allocations by default, under one mutex for the whole process: with requests reading on several threads
    /// beside the sample writer, every malloc and free waited on it (futex calls per sample scan, 1.34 → 0.22). SQLite's own list
    /// of recommended options turns the statistics off, and nothing here reads them. Only possible before SQLite starts (the
    /// first connection opens later); once started, as when a second host starts in the same process, the call is refused and
    /// changes nothing.
    /// </summary>
    private static void TurnOffSqliteMemoryStatistics()
    {
        using (new SqliteConnection()) { } // loads and registers the native library, as Microsoft.Data.Sqlite does
        _ = SQLitePCL.raw.sqlite3_config(SqliteConfigMemStatus, 0);
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.Ordinal)) return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (folder is not null) Directory.CreateDirectory(folder);
    }

    /// <summary>
    /// Contexts come from EF's pool: setting up a new one (its internal services) was about a twelfth of the server's CPU for a
    /// one-sample request. A pooled context was made for an earlier caller, so each is bound to the current one as it is handed out.
    /// </summary>
    private sealed class BaseFactory<TContext>(IDbContextFactory<TContext> pool, TimeProvider time) : IDbContextFactory<AppDbContext>
        where TContext : AppDbContext
    {
        public AppDbContext CreateDbContext() => pool.CreateDbContext().BindTo(CallerContext.Current, time);
    }
}
