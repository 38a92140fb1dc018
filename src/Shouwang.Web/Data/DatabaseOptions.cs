namespace Shouwang.Web.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Section Shouwang:Database (environment: Shouwang__Database__Provider, Shouwang__Database__ConnectionString).</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    /// <summary>Default: a SQLite file under ./data/.</summary>
    public string? ConnectionString { get; set; }

    public string EffectiveConnectionString => ConnectionString is { Length: > 0 } value ? value
        : Provider == DatabaseProvider.Sqlite ? "Data Source=data/shouwang.db"
        : throw new InvalidOperationException("Shouwang:Database:ConnectionString is required for PostgreSQL");
}
