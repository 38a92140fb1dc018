using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Audit;

/// <summary>
/// Appends audit entries with one parameterised INSERT on the context's connection and transaction. Column names, SQL
/// quoting and value conversions (Guid and DateTime storage per provider) come from EF's own model and type mappings, so
/// the rows are the same as EF would write.
/// </summary>
public static class AuditInsert
{
    private static readonly string[] Columns =
    [
        nameof(AuditEntry.Id), nameof(AuditEntry.At), nameof(AuditEntry.AccountId), nameof(AuditEntry.Actor), nameof(AuditEntry.Action),
        nameof(AuditEntry.EntityType), nameof(AuditEntry.EntityId), nameof(AuditEntry.ScopeCode), nameof(AuditEntry.Summary),
        nameof(AuditEntry.Changes), nameof(AuditEntry.RowCount), nameof(AuditEntry.IpAddress),
    ];

    // 12 parameters a row; well under every provider's limit per command.
    private const int RowsPerCommand = 500;

    public static async Task WriteAsync(AppDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var chunk in entries.Chunk(RowsPerCommand)) await WriteChunkAsync(db, chunk, cancellationToken);
    }

    private static async Task WriteChunkAsync(AppDbContext db, AuditEntry[] entries, CancellationToken cancellationToken)
    {
        var entityType = db.Model.FindEntityType(typeof(AuditEntry))!;
        var properties = Columns.Select(c => entityType.FindProperty(c)!).ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = sql.DelimitIdentifier(entityType.GetTableName()!, entityType.GetSchema());

        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var values = new List<string>(entries.Length);
        for (var row = 0; row < entries.Length; row++)
        {
            var names = new string[properties.Length];
            for (var column = 0; column < properties.Length; column++)
            {
                var property = properties[column];
                var name = $"a{row}_{column}";
                names[column] = sql.GenerateParameterNamePlaceholder(name);
                var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
                command.Parameters.Add(mapping.CreateParameter(command, sql.GenerateParameterName(name), property.GetGetter().GetClrValue(entries[row]), property.IsNullable));
            }
            values.Add($"({string.Join(", ", names)})");
        }
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName())))}) VALUES {string.Join(", ", values)}";
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(cancellationToken);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
