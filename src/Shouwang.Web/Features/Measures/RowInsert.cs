using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Measures;

/// <summary>
/// Inserts many new rows of one entity type with multi-row parameterised INSERTs on the context's connection and transaction,
/// as <see cref="Audit.AuditInsert"/> does for the log: columns, quoting and value conversions come from EF's model, so the rows
/// are what EF would write, without the change tracker's cost (most of a 10,000-course bulk issue's time otherwise).
/// The caller checks scope (the rows come from people read through the scoped context) and owns the transaction.
/// </summary>
internal static class RowInsert
{
    // Parameters per command: under SQLite's 32,766 and PostgreSQL's 65,535.
    private const int MaxParameters = 30_000;

    public static async Task WriteAsync<T>(AppDbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken) where T : class
    {
        if (rows.Count == 0) return;
        var entityType = db.Model.FindEntityType(typeof(T))!;
        var properties = entityType.GetProperties().Where(p => !p.IsShadowProperty()).ToArray();
        var mappings = properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToArray();
        var getters = properties.Select(p => p.GetGetter()).ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = sql.DelimitIdentifier(entityType.GetTableName()!, entityType.GetSchema());
        var head = $"INSERT INTO {table} ({string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName())))}) VALUES ";
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(cancellationToken);

        foreach (var chunk in rows.Chunk(Math.Max(1, MaxParameters / properties.Length)))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var text = new System.Text.StringBuilder(head, head.Length + chunk.Length * properties.Length * 8);
            for (var row = 0; row < chunk.Length; row++)
            {
                text.Append(row == 0 ? "(" : ", (");
                for (var column = 0; column < properties.Length; column++)
                {
                    var name = $"p{row}_{column}";
                    if (column > 0) text.Append(", ");
                    text.Append(sql.GenerateParameterNamePlaceholder(name));
                    command.Parameters.Add(mappings[column].CreateParameter(command, sql.GenerateParameterName(name), getters[column].GetClrValue(chunk[row]),
                        properties[column].IsNullable));
                }
                text.Append(')');
            }
            command.CommandText = text.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
