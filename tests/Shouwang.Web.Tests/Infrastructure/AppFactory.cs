using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouwang.Web.Data;

namespace Shouwang.Web.Tests.Infrastructure;

/// <summary>
/// The real app over a real database of its own, migrated by the app's own start-up (no demo seed). One per test
/// class; the derived types pick the provider so the same suite runs on both.
/// </summary>
public abstract class AppFactory : WebApplicationFactory<Program>
{
    private string? _connectionString;

    protected abstract DatabaseProvider Provider { get; }

    protected abstract string CreateConnectionString();

    public string ConnectionString => _connectionString ??= CreateConnectionString();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Shouwang:Demo", "false");
        builder.UseSetting("Shouwang:Database:Provider", Provider.ToString());
        builder.UseSetting("Shouwang:Database:ConnectionString", ConnectionString);
    }

    public AppDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
}

public sealed class SqliteAppFactory : AppFactory
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"shouwang-test-{Guid.NewGuid():N}.db");

    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string CreateConnectionString() => $"Data Source={_file}";

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
        GC.SuppressFinalize(this);
    }
}

public sealed class PostgresAppFactory : AppFactory
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string CreateConnectionString() => PostgresServer.CreateDatabase();
}
