using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.MassTesting;

/// <summary>
/// Sets a few columns of many rows by key with parameterised UPDATEs on the context's connection and transaction, the
/// counterpart of <c>Measures.RowInsert</c>: names and value conversions come from EF's model, the change tracker is skipped.
/// SQLite re-runs one prepared statement (fast inside a transaction); PostgreSQL gets one statement for all the rows, each column
/// an array parameter (a statement per row cost its parse and plan each time: 100,000 of them most of a lab file's import).
/// The caller checks scope and owns the transaction.
/// </summary>
internal static class RowUpdate
{
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
        const int perCommand = 1;
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(cancellationToken);

        if (!db.Database.IsSqlite())
        {
            await FromArraysAsync(db, rows, properties, mappings, getters, table, cancellationToken);
            return;
        }

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

    private static async Task FromArraysAsync<T>(AppDbContext db, IReadOnlyList<T> rows, IProperty[] properties, RelationalTypeMapping[] mappings,
        IClrPropertyGetter[] getters, string table, CancellationToken cancellationToken) where T : class
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var names = properties.Select(p => sql.DelimitIdentifier(p.GetColumnName())).ToArray();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var arrays = names.Select((_, i) => $"CAST({sql.GenerateParameterNamePlaceholder($"a{i}")} AS {mappings[i].StoreType}[])");
        command.CommandText = $"UPDATE {table} AS t SET {string.Join(", ", names[..^1].Select(n => $"{n} = v.{n}"))} "
            + $"FROM unnest({string.Join(", ", arrays)}) AS v({string.Join(", ", names)}) WHERE t.{names[^1]} = v.{names[^1]}";
        for (var column = 0; column < properties.Length; column++)
        {
            // Values as the provider stores them (enums as numbers, instants as UTC), in an array of that type.
            var converter = mappings[column].Converter;
            var type = converter?.ProviderClrType ?? mappings[column].ClrType;
            if (type.IsValueType && properties[column].IsNullable && Nullable.GetUnderlyingType(type) is null) type = typeof(Nullable<>).MakeGenericType(type);
            var values = Array.CreateInstance(type, rows.Count);
            for (var row = 0; row < rows.Count; row++)
            {
                var value = getters[column].GetClrValue(rows[row]);
                values.SetValue(value is not null && converter is not null ? converter.ConvertToProvider(value) : value, row);
            }
            var parameter = command.CreateParameter();
            parameter.ParameterName = sql.GenerateParameterName($"a{column}");
            parameter.Value = values;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
