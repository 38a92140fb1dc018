using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Web.Features.Audit;

/// <summary>Writes the entries that are not a change to a record: sign-ins, reveals, exports, imports, purges.</summary>
public sealed class AuditLog(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    public async Task WriteAsync(AuditAction action, string? entityType, string? entityId, long scopeCode, string? summary = null,
        int? rowCount = null, Caller? caller = null, CancellationToken cancellationToken = default)
    {
        caller ??= CallerContext.Current;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(Entry(action, entityType, entityId, scopeCode, summary, rowCount, caller));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Who took which list out of the system, with the filter that chose it (as JSON) and how many rows it had.</summary>
    public Task WriteExportAsync(string list, object filter, int rows, long scopeCode, string? entityId = null, CancellationToken cancellationToken = default) =>
        WriteAsync(AuditAction.Export, list, entityId, scopeCode, JsonSerializer.Serialize(filter, FilterJson), rows, cancellationToken: cancellationToken);

    private static readonly JsonSerializerOptions FilterJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>An entry to add to a context that is about to save anyway, so it commits with the write it describes.</summary>
    public AuditEntry Entry(AuditAction action, string? entityType, string? entityId, long scopeCode, string? summary = null, int? rowCount = null, Caller? caller = null)
    {
        caller ??= CallerContext.Current;
        return new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime, AccountId = caller.AccountId, Actor = caller.Name, IpAddress = caller.IpAddress,
            Action = action, EntityType = entityType, EntityId = entityId, ScopeCode = scopeCode,
            Summary = summary is { Length: > 500 } ? summary[..500] : summary, RowCount = rowCount,
        };
    }
}
