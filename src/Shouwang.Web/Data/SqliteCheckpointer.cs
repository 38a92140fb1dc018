using Microsoft.Data.Sqlite;

namespace Shouwang.Web.Data;

/// <summary>
/// Copies the WAL back into the database file once a second (PASSIVE: never waits for readers or the writer). Left to SQLite
/// alone, the checkpoint runs inside whichever commit crosses the WAL limit, and a group-commit writer (samples, passages) holds
/// every request of its batch while it does; here most of that copying happens between commits, and a page written many times
/// in a second is copied once.
/// </summary>
public sealed class SqliteCheckpointer(DatabaseOptions options, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var builder = new SqliteConnectionStringBuilder(options.EffectiveConnectionString);
        if (builder.DataSource is "" or ":memory:" || builder.Mode == SqliteOpenMode.Memory) return;
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckpointAsync(builder.ConnectionString, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "WAL checkpoint failed; trying again in {Interval}", Interval);
            }
        }
    }

    /// <summary>One PASSIVE checkpoint; the WAL frames it copied back.</summary>
    public static async Task<long> CheckpointAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        // busy, frames in the WAL, frames copied back (-1, -1 when the database is not in WAL mode).
        return await reader.ReadAsync(cancellationToken) ? reader.GetInt64(2) : 0;
    }
}
