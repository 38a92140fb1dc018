using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
        var names = properties.Select(p => sql.DelimitIdentifier(p.GetColumnName())).ToArray();
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();

        if (db.Database.IsSqlite())
        {
            // One UPDATE, re-run with each row's values.
            string P(int column) => sql.GenerateParameterNamePlaceholder($"p{column}");
            command.CommandText = $"UPDATE {table} SET {string.Join(", ", names[..^1].Select((n, i) => $"{n} = {P(i)}"))} WHERE {names[^1]} = {P(names.Length - 1)};";
            foreach (var row in rows)
            {
                command.Parameters.Clear();
                for (var column = 0; column < properties.Length; column++)
                    command.Parameters.Add(mappings[column].CreateParameter(command, sql.GenerateParameterName($"p{column}"),
                        getters[column].GetClrValue(row), properties[column].IsNullable));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return;
        }

        // One UPDATE for all the rows, from one array parameter per column.
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
