using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
namespace Shouwang.Web.Data;

/// <summary>
/// Inserts many new rows of one entity type with multi-row parameterised INSERTs on the context's connection and transaction,
/// as <see cref="Features.Audit.AuditInsert"/> does for the log: columns, quoting and value conversions come from EF's model, so the rows
/// are what EF would write, without the change tracker's cost (most of a 10,000-course bulk issue's time otherwise, and of a sample batch's commit).
/// The caller checks scope (the rows come from people read through the scoped context) and owns the transaction.
/// </summary>
internal static class RowInsert
{
    /// <summary>
    /// Parameters per command. SQLite binds parameters by looking each name up among the statement's (quadratic in their
    /// number), so there a one-row statement is prepared once and re-run, which it does fast in a transaction; PostgreSQL
    /// pays a round trip per command instead, so it gets many rows per command.
    /// </summary>
    private const int SqliteParameters = 1;
    private const int ServerParameters = 2_000;

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
        var rowsPerCommand = Math.Max(1, (db.Database.IsSqlite() ? SqliteParameters : ServerParameters) / properties.Length);

        var names = Enumerable.Range(0, rowsPerCommand * properties.Length).Select(i => $"p{i / properties.Length}_{i % properties.Length}").ToArray();
        System.Data.Common.DbCommand? command = null;
        var commandRows = 0;
        var parameters = new System.Data.Common.DbParameter[names.Length];
        try
        {
            foreach (var chunk in rows.Chunk(rowsPerCommand))
            {
                // The same statement for every full chunk: only the values change.
                if (command is null || chunk.Length != commandRows)
                {
                    if (command is not null) await command.DisposeAsync();
                    command = connection.CreateCommand();
                    command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                    commandRows = chunk.Length;
                    var text = new System.Text.StringBuilder(head);
                    for (var row = 0; row < chunk.Length; row++)
                    {
                        text.Append(row == 0 ? "(" : ", (");
                        for (var column = 0; column < properties.Length; column++)
                        {
                            if (column > 0) text.Append(", ");
                            text.Append(sql.GenerateParameterNamePlaceholder(names[row * properties.Length + column]));
                        }
                        text.Append(')');
                    }
                    command.CommandText = text.ToString();
                }
                // The mappings make the parameters (value conversion, provider types) exactly as EF would, once per command; the
                // next chunks only change their values, converted as the mapping converts them.
                var fresh = command.Parameters.Count == 0;
                for (var row = 0; row < chunk.Length; row++)
                {
                    for (var column = 0; column < properties.Length; column++)
                    {
                        var index = row * properties.Length + column;
                        var value = getters[column].GetClrValue(chunk[row]);
                        if (fresh)
                            command.Parameters.Add(parameters[index] = mappings[column].CreateParameter(command, sql.GenerateParameterName(names[index]),
                                value, properties[column].IsNullable));
                        else
                            parameters[index].Value = (value is null ? null : mappings[column].Converter is { } converter ? converter.ConvertToProvider(value) : value)
                                ?? DBNull.Value;
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
