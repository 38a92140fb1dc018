using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.MassTesting;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

public sealed record BoxInput(Guid? RoundId, Guid? SiteId, string? Number);

public sealed record BoxTubesInput(List<string?>? Barcodes);

public sealed record HandOverInput(string? Lab);

public sealed record ReceiveInput(int? ReceivedCount);

/// <param name="Reconciled">Null until the lab has counted; then whether its count equals the tubes scanned in (expected: <paramref name="TubeCount"/>).</param>
public sealed record BoxView(
    Guid Id, string Number, Guid RoundId, Guid SiteId, BoxState State, int TubeCount, IReadOnlyList<string> Tubes, string? Lab, DateTime? HandedOverAt,
    int? ReceivedCount, bool? Reconciled);

/// <summary>The box just made (201), or the same box already packing for this round and site (a re-send, 200).</summary>
public sealed record BoxCreated(BoxView Box, bool Created);

/// <summary>
/// 转运箱: sealed tubes of one round and site packed, handed to a lab, and counted there; the lab's count is kept against the
/// tubes scanned in, a mismatch answered and stored (the box's row and its audit entry), never adjusted away.
/// </summary>
public sealed class TransferBoxes(IDbContextFactory<AppDbContext> dbFactory, SamplingAccess access, LocalClock clock, IStringLocalizer<SamplingResource> l)
{
    public async Task<Outcome<BoxCreated>> CreateAsync(BoxInput input, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        var errors = new FieldErrors();
        if (input.RoundId is null) errors.Add("roundId", l["Error.RoundRequired"]);
        if (input.SiteId is null) errors.Add("siteId", l["Error.SiteRequired"]);
        var number = input.Number?.Trim();
        if (string.IsNullOrEmpty(number)) errors.Add("number", l["Error.BoxNumberRequired"]);
        else if (number.Length > 40) errors.Add("number", l["Error.BoxNumberTooLong"]);
        if (errors.Any) return errors.ToOutcome<BoxCreated>();
        using var _ = CallerContext.Use(SamplingAccess.Worker(caller));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var work = await access.WorkAsync(db, caller, input.SiteId!.Value, input.RoundId!.Value, ct);
        if (work is not Outcome<SamplingWork>.Success { Value: var w }) return work.Fail<BoxCreated, SamplingWork>();
        var existing = await db.TransferBoxes.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(b => b.Number == number, ct);
        if (existing is not null)
            return existing.RoundId == w.Round.Id && existing.SiteId == w.Site.Id && existing.State == BoxState.Packing
                ? new BoxCreated(await ViewAsync(db, existing, ct), false)
                : new Outcome<BoxCreated>.Conflict(l["Error.BoxNumberInUse"]);
        var box = new TransferBox { Number = number!, RoundId = w.Round.Id, SiteId = w.Site.Id, CommunityCode = w.Site.CommunityCode, CreatedAt = clock.UtcNow };
        db.TransferBoxes.Add(box);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new Outcome<BoxCreated>.Conflict(l["Error.BoxNumberInUse"]);
        }
        return new BoxCreated(await ViewAsync(db, box, ct), true);
    }

    public async Task<Outcome<BoxView>> GetAsync(string number, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var box = await db.TransferBoxes.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(b => b.Number == number.Trim(), ct);
        if (box is null || await SamplingAccess.VisibleSiteAsync(db, caller, box.SiteId, ct) is null) return new Outcome<BoxView>.NotFound(l["Error.BoxNotFound"]);
        return await ViewAsync(db, box, ct);
    }

    /// <summary>Sealed tubes of the box's round and site go in; a tube already in this box is no change.</summary>
    public async Task<Outcome<BoxView>> AddTubesAsync(string number, BoxTubesInput input, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        var errors = new FieldErrors();
        var barcodes = input.Barcodes ?? [];
        if (barcodes.Count is 0 or > 500) errors.Add("barcodes", l["Error.BarcodesRequired"]);
        for (var i = 0; i < barcodes.Count; i++)
            if (string.IsNullOrWhiteSpace(barcodes[i])) errors.Add($"barcodes[{i}]", l["Error.BarcodeRequired"]);
        if (errors.Any) return errors.ToOutcome<BoxView>();
        using var _ = CallerContext.Use(SamplingAccess.Worker(caller));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindAsync(db, caller, number, ct);
        if (found is not Outcome<TransferBox>.Success { Value: var box }) return found.Fail<BoxView, TransferBox>();
        if (box.State != BoxState.Packing) return new Outcome<BoxView>.Conflict(l["Error.BoxNotPacking"]);
        var wanted = barcodes.Select(b => b!.Trim()).ToList();
        var tubes = await db.Tubes.IgnoreQueryFilters().Where(t => wanted.Contains(t.Barcode)).ToDictionaryAsync(t => t.Barcode, ct);
        var added = 0;
        for (var i = 0; i < wanted.Count; i++)
        {
            var field = $"barcodes[{i}]";
            if (!tubes.TryGetValue(wanted[i], out var tube)) errors.Add(field, l["Error.TubeNotFound"]);
            else if (tube.RoundId != box.RoundId || tube.SiteId != box.SiteId) errors.Add(field, l["Error.TubeOtherSite"]);
            else if (tube.BoxId == box.Id) continue;
            else if (tube.BoxId is not null) errors.Add(field, l["Error.TubeInOtherBox"]);
            else if (tube.State != TubeState.Sealed) errors.Add(field, l["Error.TubeNotSealed"]);
            else
            {
                tube.State = TubeState.Boxed;
                tube.BoxId = box.Id;
                added++;
            }
        }
        if (errors.Any) return errors.ToOutcome<BoxView>();
        var boxId = box.Id;
        box.TubeCount = await db.Tubes.IgnoreQueryFilters().CountAsync(t => t.BoxId == boxId, ct) + added;
        await db.SaveChangesAsync(ct);
        return await ViewAsync(db, box, ct);
    }

    public async Task<Outcome<BoxView>> HandOverAsync(string number, HandOverInput input, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        var errors = new FieldErrors();
        var lab = input.Lab?.Trim();
        if (string.IsNullOrEmpty(lab)) errors.Add("lab", l["Error.LabRequired"]);
        else if (lab.Length > 100) errors.Add("lab", l["Error.LabTooLong"]);
        if (errors.Any) return errors.ToOutcome<BoxView>();
        using var _ = CallerContext.Use(SamplingAccess.Worker(caller));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindAsync(db, caller, number, ct);
        if (found is not Outcome<TransferBox>.Success { Value: var box }) return found.Fail<BoxView, TransferBox>();
        if (box.State != BoxState.Packing) return new Outcome<BoxView>.Conflict(l["Error.BoxNotPacking"]);
        if (box.TubeCount == 0) return new Outcome<BoxView>.Conflict(l["Error.BoxEmpty"]);
        box.State = BoxState.HandedOver;
        box.Lab = lab;
        box.HandedOverAt = clock.UtcNow;
        box.HandedOverByName = caller.Name;
        await db.SaveChangesAsync(ct);
        return await ViewAsync(db, box, ct);
    }

    /// <summary>The lab's count (ManageTesting): the tubes are received whatever it says, and the box keeps both figures.</summary>
    public async Task<Outcome<BoxView>> ReceiveAsync(string number, ReceiveInput input, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        var errors = new FieldErrors();
        if (input.ReceivedCount is not ({ } count and >= 0 and <= 10_000)) errors.Add("receivedCount", l["Error.ReceivedCountRequired"]);
        if (errors.Any) return errors.ToOutcome<BoxView>();
        using var _ = CallerContext.Use(SamplingAccess.Worker(caller));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var box = await db.TransferBoxes.IgnoreQueryFilters().FirstOrDefaultAsync(b => b.Number == number.Trim(), ct);
        if (box is null || !caller.Covers(box.CommunityCode)) return new Outcome<BoxView>.NotFound(l["Error.BoxNotFound"]);
        if (box.State != BoxState.HandedOver) return new Outcome<BoxView>.Conflict(l["Error.BoxNotHandedOver"]);
        box.State = BoxState.Received;
        box.ReceivedCount = input.ReceivedCount;
        box.ReceivedAt = clock.UtcNow;
        var boxId = box.Id;
        foreach (var tube in await db.Tubes.IgnoreQueryFilters().Where(t => t.BoxId == boxId).ToListAsync(ct))
        {
            tube.State = TubeState.Received;
            tube.Lab = box.Lab;
        }
        await db.SaveChangesAsync(ct);
        return await ViewAsync(db, box, ct);
    }

    private async Task<Outcome<TransferBox>> FindAsync(AppDbContext db, Caller caller, string number, CancellationToken ct)
    {
        var box = await db.TransferBoxes.IgnoreQueryFilters().FirstOrDefaultAsync(b => b.Number == number.Trim(), ct);
        if (box is null || await SamplingAccess.VisibleSiteAsync(db, caller, box.SiteId, ct) is null) return new Outcome<TransferBox>.NotFound(l["Error.BoxNotFound"]);
        var work = await access.WorkAsync(db, caller, box.SiteId, box.RoundId, ct);
        return work is Outcome<SamplingWork>.Success ? box : work.Fail<TransferBox, SamplingWork>();
    }

    public static async Task<BoxView> ViewAsync(AppDbContext db, TransferBox box, CancellationToken ct) => (await ViewsAsync(db, [box], ct))[0];

    public static async Task<List<BoxView>> ViewsAsync(AppDbContext db, IReadOnlyList<TransferBox> boxes, CancellationToken ct)
    {
        var ids = boxes.Select(b => b.Id).ToList();
        var tubes = ids.Count == 0 ? [] : (await db.Tubes.IgnoreQueryFilters().AsNoTracking().Where(t => t.BoxId != null && ids.Contains(t.BoxId.Value))
            .OrderBy(t => t.Barcode).Select(t => new { t.BoxId, t.Barcode }).ToListAsync(ct));
        var byBox = tubes.ToLookup(t => t.BoxId!.Value, t => t.Barcode);
        return boxes.Select(b => new BoxView(
            b.Id, b.Number, b.RoundId, b.SiteId, b.State, b.TubeCount, byBox[b.Id].ToList(), b.Lab,
            b.HandedOverAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null, b.ReceivedCount,
            b.ReceivedCount is { } received ? received == b.TubeCount : null)).ToList();
    }
}
