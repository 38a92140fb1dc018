using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Demo;

/// <summary>Writes a generated committee in one transaction, in batches through fresh contexts so memory stays flat.</summary>
public static class BulkWriter
{
    private const int BatchSize = 10_000;

    public static async Task WriteAsync(IDbContextFactory<AppDbContext> dbFactory, GeneratedCommunity community, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Generated data: the seed is one fact, not a hundred thousand writes worth a line each in the audit log.
        db.AuditEntityWrites = false;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AddAsync(db, community.Compounds, cancellationToken);
        await AddAsync(db, community.Buildings, cancellationToken);
        await AddAsync(db, community.Grids, cancellationToken);
        await AddAsync(db, community.Households, cancellationToken);
        await AddAsync(db, community.Persons, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task AddAsync<T>(AppDbContext db, List<T> rows, CancellationToken cancellationToken) where T : class
    {
        foreach (var batch in rows.Chunk(BatchSize))
        {
            db.AddRange(batch);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }
}
