using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Jurisdictions;

/// <summary>
/// Loads NBS division CSVs (provinces, cities, areas, streets, villages: the china-division format) into the
/// jurisdiction tree. Upserts by code, so re-running it after a new NBS edition renames and adds, never duplicates.
/// </summary>
public sealed class DivisionImporter(IDbContextFactory<AppDbContext> dbFactory, ILogger<DivisionImporter> logger)
{
    public static readonly string[] Files = ["provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"];

    /// <summary>The subset shipped with the app (all provinces, cities and counties; 株洲 streets; 荷塘区 committees).</summary>
    public Task<int> ImportEmbeddedAsync(CancellationToken cancellationToken = default) =>
        ImportAsync(name => typeof(DivisionImporter).Assembly.GetManifestResourceStream($"Shouwang.Web.Features.Jurisdictions.Divisions.{name}"), cancellationToken);

    public Task<int> ImportFolderAsync(string folder, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Folder not found: {folder}");
        return ImportAsync(name => File.Exists(Path.Combine(folder, name)) ? File.OpenRead(Path.Combine(folder, name)) : null, cancellationToken);
    }

    private async Task<int> ImportAsync(Func<string, Stream?> open, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "Jurisdictions" ("Code", "Name", "Level", "ParentCode") VALUES (@code, @name, @level, @parent)
            ON CONFLICT ("Code") DO UPDATE SET "Name" = excluded."Name"
            """;
        var code = AddParameter(command, "@code", DbType.String);
        var name = AddParameter(command, "@name", DbType.String);
        var level = AddParameter(command, "@level", DbType.Int32);
        var parent = AddParameter(command, "@parent", DbType.String);
        await command.PrepareAsync(cancellationToken);

        var total = 0;
        foreach (var file in Files)
        {
            await using var stream = open(file);
            if (stream is null)
            {
                logger.LogWarning("Division file {File} not found; skipped", file);
                continue;
            }
            using var reader = new StreamReader(stream);
            var lineNumber = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (lineNumber++ == 0 || line.Length == 0) continue;
                var fields = SplitCsvLine(line);
                if (fields.Count < 2 || !JurisdictionCode.TryParse(fields[0], out var parsed))
                    throw new FormatException($"{file} line {lineNumber}: not a division row: {line}");
                var jurisdiction = Jurisdiction.Create(parsed.Value, fields[1]);
                code.Value = jurisdiction.Code;
                name.Value = jurisdiction.Name;
                level.Value = (int)jurisdiction.Level;
                parent.Value = (object?)jurisdiction.ParentCode ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(cancellationToken);
                total++;
            }
            logger.LogInformation("Divisions: {File} loaded", file);
        }
        await transaction.CommitAsync(cancellationToken);
        return total;
    }

    private static DbParameter AddParameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.DbType = type;
        parameter.ParameterName = name;
        parameter.Value = DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    internal static List<string> SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
