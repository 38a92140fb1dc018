using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shouwang.Web.Data;

/// <summary>
/// WAL lets readers run beside the writer; busy_timeout makes concurrent writers wait instead of failing. The settings
/// belong to the native connection, which the pool hands out again and again (EF opens it for every query), so they are
/// set once per native connection rather than on every open. mmap_size lets reads come from the shared page cache instead of a
/// pread and a copy into each connection's own small cache (a fifth of the CPU of a sampling burst went there, the caches being
/// emptied by every commit anyway). wal_autocheckpoint is raised so that <see cref="SqliteCheckpointer"/>, not a commit, does
/// the checkpoints; the limit only bites if that falls behind.
/// </summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; "
        + "PRAGMA wal_autocheckpoint=20000;";

    private static readonly ConditionalWeakTable<object, object> Prepared = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!IsNew(connection)) return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!IsNew(connection)) return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        Remember(connection);
    }

    private static bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || !Prepared.TryGetValue(handle, out _);

    private static void Remember(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle }) Prepared.AddOrUpdate(handle, new object());
    }
}
