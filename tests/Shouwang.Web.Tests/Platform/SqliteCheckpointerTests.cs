using Microsoft.Data.Sqlite;
using Shouwang.Web.Data;

namespace Shouwang.Web.Tests.Platform;

/// <summary>The background checkpoint copies committed WAL frames back into the database file while a reader holds none.</summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("shouwang-checkpoint-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Checkpoint_CopiesTheWalBack_AndTheRowsStayReadable()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "wal.db"), Pooling = false }.ConnectionString;
        // The writer stays open: the last connection to close would checkpoint and delete the WAL itself.
        await using var writer = new SqliteConnection(connectionString);
        await writer.OpenAsync(Ct);
        await Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);");
        for (var i = 0; i < 20; i++) await Execute(writer, $"INSERT INTO t (v) VALUES ('{new string('x', 2000)}');");

        var copied = await SqliteCheckpointer.CheckpointAsync(connectionString, Ct);
        Assert.True(copied >= 20, $"copied {copied} frames");
        // Nothing was written since: the WAL holds the same frames, all of them copied back already.
        Assert.Equal(copied, await SqliteCheckpointer.CheckpointAsync(connectionString, Ct));

        await using var reader = new SqliteConnection(connectionString);
        await reader.OpenAsync(Ct);
        await using var count = reader.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM t";
        Assert.Equal(20L, (long)(await count.ExecuteScalarAsync(Ct))!);
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
