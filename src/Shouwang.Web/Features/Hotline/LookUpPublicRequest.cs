using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.People;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Hotline;

/// <summary>All a resident learns about their order: where it stands and, once done, what was done. Nothing personal.</summary>
public sealed record PublicRequestStatus(string Number, WorkOrderStatus Status, DateTime FiledAt, DateTime UpdatedAt, string? Resolution);

public sealed class LookUpPublicRequest(IDbContextFactory<AppDbContext> dbFactory, PublicRateLimits limits, IStringLocalizer<HotlineResource> l)
{
    public async Task<Outcome<PublicRequestStatus>> HandleAsync(string? number, string? phoneTail, CancellationToken cancellationToken = default)
    {
        var reference = TextNormalizer.Normalize(number).ToUpperInvariant();
        var tail = TextNormalizer.Normalize(phoneTail);
        // One answer for a wrong number and a wrong phone, so neither can be probed on its own.
        var notFound = new Outcome<PublicRequestStatus>.NotFound(l["Status.NotFound"]);
        if (reference.Length is 0 or > 20 || tail.Length != 4 || !tail.All(char.IsAsciiDigit)) return notFound;
        if (!limits.TryAcquireLookup(reference)) return new Outcome<PublicRequestStatus>.TooManyRequests(l["Error.TooManyLookups"]);

        // The public pages read on the platform's behalf; the resident has no jurisdiction.
        await using var db = await dbFactory.CreateSystemContextAsync(cancellationToken);
        var order = await db.WorkOrders.AsNoTracking().Where(w => w.Number == reference && w.IsPublic)
            .Select(w => new { w.Number, w.Status, w.CreatedAt, w.UpdatedAt, w.Resolution, w.ReporterPhone })
            .FirstOrDefaultAsync(cancellationToken);
        if (order?.ReporterPhone is not { Length: >= 4 } phone || !phone.EndsWith(tail, StringComparison.Ordinal)) return notFound;
        return new PublicRequestStatus(order.Number, order.Status, order.CreatedAt, order.UpdatedAt,
            order.Status == WorkOrderStatus.Done ? order.Resolution : null);
    }
}
