using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.MassTesting;

/// <summary>
/// Sets a few columns of many rows by key with parameterised UPDATEs on the context's connection and transaction, the
/// counterpart of <c>Measures.RowInsert</c>: names and value conversions come from EF's model, the change tracker is skipped.
/// SQLite re-runs one prepared statement (fast inside a transaction); PostgreSQL gets many statements per command (one round trip).
/// The caller checks scope and owns the transaction.
/// </summary>
internal static class RowUpdate
{
    private const int ServerStatementsPerCommand = 200;

    public static async Task WriteAsync<T>(AppDbContext db, IReadOnlyList<T> rows, string key, IReadOnlyList<string> columns, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0) return;
        var entityType = db.Model.FindEntityType(typeof(T))!;
        var properties = columns.Append(key).Select(c => entityType.FindProperty(c)!).ToArray();
        var mappings = properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToArray();
        var getters = properties.Select(p => p.GetGetter()).ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = sql.DelimitIdentifier(entityType.GetTableName()!, entityType.GetSchema());
        var perCommand = db.Database.IsSqlite() ? 1 : ServerStatementsPerCommand;
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(cancellationToken);

        string Statement(int row)
        {
            string P(int column) => sql.GenerateParameterNamePlaceholder($"p{row}_{column}");
            var sets = string.Join(", ", properties[..^1].Select((p, i) => $"{sql.DelimitIdentifier(p.GetColumnName())} = {P(i)}"));
            return $"UPDATE {table} SET {sets} WHERE {sql.DelimitIdentifier(properties[^1].GetColumnName())} = {P(properties.Length - 1)};";
        }

        System.Data.Common.DbCommand? command = null;
        var commandRows = 0;
        try
        {
            foreach (var chunk in rows.Chunk(perCommand))
            {
                if (command is null || chunk.Length != commandRows)
                {
                    if (command is not null) await command.DisposeAsync();
                    command = connection.CreateCommand();
                    command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                    commandRows = chunk.Length;
                    command.CommandText = string.Concat(Enumerable.Range(0, chunk.Length).Select(Statement));
                }
                command.Parameters.Clear();
                for (var row = 0; row < chunk.Length; row++)
                {
                    for (var column = 0; column < properties.Length; column++)
                    {
                        command.Parameters.Add(mappings[column].CreateParameter(command, sql.GenerateParameterName($"p{row}_{column}"),
                            getters[column].GetClrValue(chunk[row]), properties[column].IsNullable));
                    }
                }
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null) await command.DisposeAsync();
        }
    }
}
