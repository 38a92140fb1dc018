using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Audit;

/// <summary>
/// From and To are local calendar dates (yyyy-MM-dd, To inclusive) or instants (ISO 8601 with offset).
/// Account is a user name or an account id.
/// </summary>
public sealed record AuditSearch(
    string? From = null, string? To = null, AuditAction? Action = null, string? EntityType = null, string? EntityId = null,
    string? Account = null, string? Q = null, int? Page = 1, int? PageSize = 50);

public sealed record AuditItem(
    Guid Id, DateTime At, DateTime AtLocal, Guid? AccountId, string Actor, AuditAction Action, string? EntityType, string? EntityId,
    long ScopeCode, string? Summary, string? Changes, int? RowCount, string? IpAddress);

/// <summary>The audit log as the caller may see it (the context scopes entries by their ScopeCode), newest first.</summary>
public sealed class SearchAudit(IDbContextFactory<AppDbContext> dbFactory, AuditLog audit, LocalClock clock, IStringLocalizer<AdminResource> l)
{
    public const int MaxExportRows = 100_000;

    public async Task<Outcome<Paged<AuditItem>>> HandleAsync(AuditSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var filtered = await FilterAsync(db, search, cancellationToken);
        if (filtered is Outcome<IQueryable<AuditEntry>>.Invalid invalid) return new Outcome<Paged<AuditItem>>.Invalid(invalid.Errors);
        var query = ((Outcome<IQueryable<AuditEntry>>.Success)filtered).Value;
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<AuditItem>(rows.Select(Item).ToList(), total, page, pageSize);
    }

    /// <summary>The same search as .xlsx (at most <see cref="MaxExportRows"/> rows); the export is itself audited.</summary>
    public async Task<Outcome<(byte[] Content, string FileName)>> ExportAsync(AuditSearch search, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var filtered = await FilterAsync(db, search, cancellationToken);
        if (filtered is Outcome<IQueryable<AuditEntry>>.Invalid invalid) return new Outcome<(byte[], string)>.Invalid(invalid.Errors);
        var rows = await ((Outcome<IQueryable<AuditEntry>>.Success)filtered).Value.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Take(MaxExportRows).ToListAsync(cancellationToken);
        var content = ExcelExport.ToXlsx(rows.Select(Item), [
            (l["Audit.Time"], a => a.AtLocal.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
            (l["Audit.Actor"], a => a.Actor),
            (l["Audit.Action"], a => l[$"AuditAction.{a.Action}"].Value),
            (l["Audit.EntityType"], a => a.EntityType),
            (l["Audit.EntityId"], a => a.EntityId),
            (l["Audit.Summary"], a => a.Summary),
            (l["Audit.Changes"], a => AuditChanges.Readable(a.Changes)),
            (l["Audit.RowCount"], a => a.RowCount),
            (l["Audit.Ip"], a => a.IpAddress),
        ], l["Audit.Title"]);
        await audit.WriteExportAsync("List:Audit", search with { Page = null, PageSize = null }, rows.Count, db.Caller.ScopeMin, cancellationToken: cancellationToken);
        return (content, ExcelExport.FileName("audit", clock.ToLocal(clock.UtcNow)));
    }

    private AuditItem Item(AuditEntry a) => new(a.Id, a.At, clock.ToLocal(a.At), a.AccountId, a.Actor, a.Action, a.EntityType, a.EntityId,
        a.ScopeCode, a.Summary, a.Changes, a.RowCount, a.IpAddress);

    private async Task<Outcome<IQueryable<AuditEntry>>> FilterAsync(AppDbContext db, AuditSearch search, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var from = ParseBound(search.From, endOfDay: false, nameof(search.From), errors);
        var to = ParseBound(search.To, endOfDay: true, nameof(search.To), errors);
        if (search.Action is { } action && !Enum.IsDefined(action)) errors.Add(nameof(search.Action), l["Audit.ActionInvalid"]);
        if (errors.Any) return errors.ToOutcome<IQueryable<AuditEntry>>();

        IQueryable<AuditEntry> query = db.AuditEntries.AsNoTracking();
        if (from is { } f) query = query.Where(a => a.At >= f);
        if (to is { } t) query = query.Where(a => a.At < t);
        if (search.Action is { } act) query = query.Where(a => a.Action == act);
        if (search.EntityType?.Trim() is { Length: > 0 } type) query = query.Where(a => a.EntityType == type);
        if (search.EntityId?.Trim() is { Length: > 0 } entityId) query = query.Where(a => a.EntityId == entityId);
        if (search.Account?.Trim() is { Length: > 0 } account)
        {
            Guid? accountId = Guid.TryParse(account, out var parsed) ? parsed : null;
            if (accountId is null)
            {
                var normalized = account.ToUpperInvariant();
                accountId = await db.Users.Where(u => u.NormalizedUserName == normalized).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
            }
            query = accountId is { } id ? query.Where(a => a.AccountId == id) : query.Where(a => a.Actor == account);
        }
        if (search.Q?.Trim() is { Length: > 0 } q)
            query = query.Where(a => (a.Summary != null && a.Summary.Contains(q)) || (a.EntityId != null && a.EntityId.Contains(q)) || a.Actor.Contains(q));
        return new Outcome<IQueryable<AuditEntry>>.Success(query);
    }

    /// <summary>A local date is that whole day in the jurisdiction's time zone; an instant is taken as given. Returns UTC.</summary>
    private DateTime? ParseBound(string? text, bool endOfDay, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return clock.StartOfDayUtc(endOfDay ? date.AddDays(1) : date);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return endOfDay ? instant.UtcDateTime.AddTicks(1) : instant.UtcDateTime;
        errors.Add(field, l["Audit.DateInvalid"]);
        return null;
    }
}

/// <summary>The Changes JSON of an entry ({"Field": [before, after]}) as lines people can read.</summary>
public static class AuditChanges
{
    public static IReadOnlyList<(string Field, string? Before, string? After)> Parse(string? changes)
    {
        if (string.IsNullOrEmpty(changes)) return [];
        try
        {
            using var document = JsonDocument.Parse(changes);
            var list = new List<(string, string?, string?)>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() != 2) continue;
                list.Add((property.Name, Text(property.Value[0]), Text(property.Value[1])));
            }
            return list;
        }
        catch (JsonException)
        {
            // Truncated at the column's length: show what is there.
            return [("", changes, null)];
        }
    }

    public static string Readable(string? changes) =>
        string.Join("; ", Parse(changes).Select(c => c.Field.Length == 0 ? c.Before : $"{c.Field}: {c.Before ?? "∅"} → {c.After ?? "∅"}"));

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };
}
