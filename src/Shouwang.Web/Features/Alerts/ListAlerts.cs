using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Alerts;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Alerts;

public sealed record AlertSearch(bool? Acknowledged = false, AlertKind? Kind = null, int? Page = 1, int? PageSize = 20);

public sealed record AlertItem(
    Guid Id, AlertKind Kind, string CommunityCode, Guid? GridId, Guid? PersonId, Guid? WorkOrderId, Guid? SubjectId, string Title,
    DateTime CreatedAt, DateTime? AcknowledgedAt, string? AcknowledgedByName)
{
    public static AlertItem From(Alert a) => new(a.Id, a.Kind, a.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture), a.GridId,
        a.PersonId, a.WorkOrderId, a.SubjectId, a.Title, a.CreatedAt, a.AcknowledgedAt, a.AcknowledgedByName);
}

/// <summary>Alerts in the caller's scope (a grid worker: their grid's and the community-wide ones), newest first; acknowledging takes one off the list.</summary>
public sealed class Alerts(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<FollowUpsResource> l)
{
    public async Task<Paged<AlertItem>> SearchAsync(AlertSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Alerts.AsNoTracking();
        if (search.Acknowledged is { } acknowledged) query = acknowledged ? query.Where(a => a.AcknowledgedAt != null) : query.Where(a => a.AcknowledgedAt == null);
        if (search.Kind is { } kind) query = query.Where(a => a.Kind == kind);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<AlertItem>(rows.Select(AlertItem.From).ToList(), total, page, pageSize);
    }

    public async Task<int> CountOpenAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Alerts.CountAsync(a => a.AcknowledgedAt == null, cancellationToken);
    }

    public async Task<Outcome<AlertItem>> AcknowledgeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var alert = await db.Alerts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert is null) return new Outcome<AlertItem>.NotFound(l["Error.AlertNotFound"]);
        if (alert.AcknowledgedAt is null)
        {
            alert.AcknowledgedAt = clock.UtcNow;
            alert.AcknowledgedBy = db.Caller.AccountId;
            alert.AcknowledgedByName = db.Caller.Name;
            await db.SaveChangesAsync(cancellationToken);
        }
        return AlertItem.From(alert);
    }
}
