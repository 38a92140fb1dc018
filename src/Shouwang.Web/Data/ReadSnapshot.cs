using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Shouwang.Web.Data;

/// <summary>
/// A request's several reads on one open connection, and on SQLite in one deferred read transaction. A SQLite connection empties
/// its page cache whenever a read starts after another connection has committed, which the sampling writer does many times a
/// second; inside one transaction the index pages that the first query read serve the next ones, and all reads see one moment.
/// End it before waiting on a writer: a reader that stays open keeps the WAL from starting over.
/// On PostgreSQL the connection is only held open.
/// </summary>
public sealed class ReadSnapshot : IAsyncDisposable
{
    private readonly AppDbContext _db;
    private DbTransaction? _transaction;

    private ReadSnapshot(AppDbContext db, DbTransaction? transaction) => (_db, _transaction) = (db, transaction);

    public static async Task<ReadSnapshot> BeginAsync(AppDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (db.Database.GetDbConnection() is not SqliteConnection sqlite) return new ReadSnapshot(db, null);
        // Deferred: a plain BEGIN takes no lock until the first read; Microsoft.Data.Sqlite's default would take the write lock.
        var transaction = sqlite.BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        return new ReadSnapshot(db, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is null) return;
        await _db.Database.UseTransactionAsync(null);
        await _transaction.DisposeAsync();
        _transaction = null;
    }
}
