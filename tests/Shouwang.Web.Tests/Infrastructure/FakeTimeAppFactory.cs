using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Shouwang.Web.Data;
using Shouwang.Web.Features.WorkOrders;

namespace Shouwang.Web.Tests.Infrastructure;

/// <summary>
/// The app with a clock the test moves by hand (<see cref="Clock"/>), and without the once-a-minute escalation timer so that
/// only the test decides when escalation runs.
/// </summary>
public abstract class FakeTimeAppFactory : AppFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            foreach (var timer in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(WorkOrderEscalationService)).ToList())
                services.Remove(timer);
        });
    }
}

public sealed class SqliteFakeTimeAppFactory : FakeTimeAppFactory
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

public sealed class PostgresFakeTimeAppFactory : FakeTimeAppFactory
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string CreateConnectionString() => PostgresServer.CreateDatabase();
}
