using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

/// <param name="SingleTube">"single" in JSON: a tube of one, whatever the round's pool size.</param>
public sealed record TubeInput(Guid? RoundId, Guid? SiteId, string? Barcode, [property: JsonPropertyName("single")] bool? SingleTube);

public sealed record MoveInput(string? ToTubeBarcode);

public sealed record RemoveInput(string? Reason);

public sealed record TubeMember(Guid SampleId, Guid PersonId, string Name, DateTime SampledAt, string SamplerName);

public sealed record TubeView(
    Guid Id, string Barcode, Guid RoundId, Guid SiteId, int Capacity, TubeState State, int Count, string? BoxNumber, IReadOnlyList<TubeMember> Members);

/// <summary>An opened tube, and whether this request opened it (201) or it was open already (a device re-send, 200).</summary>
public sealed record TubeOpened(TubeView Tube, bool Created);

public sealed record SampleMoved(TubeView From, TubeView To);

/// <summary>
/// Tubes (试管) at a site: opened by scanning the barcode, read, sealed by hand; a wrong scan removed or a person moved to
/// another tube, each leaving the old sample in place with who did it and when (coverage counts only samples not removed).
/// </summary>
public sealed class Tubes(IDbContextFactory<AppDbContext> dbFactory, SamplingAccess access, AuditLog audit, LocalClock clock, IStringLocalizer<SamplingResource> l)
{
    public const int BarcodeLength = 40;

    public async Task<Outcome<TubeOpened>> OpenAsync(TubeInput input, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        var errors = new FieldErrors();
        if (input.RoundId is null) errors.Add("roundId", l["Error.RoundRequired"]);
        if (input.SiteId is null) errors.Add("siteId", l["Error.SiteRequired"]);
        var barcode = CheckBarcode(input.Barcode, "barcode", errors);
        if (errors.Any) return errors.ToOutcome<TubeOpened>();
        using var _ = CallerContext.Use(SamplingAccess.Worker(caller));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var work = await access.WorkAsync(db, caller, input.SiteId!.Value, input.RoundId!.Value, ct);
        if (work is not Outcome<SamplingWork>.Success { Value: var w }) return work.Fail<TubeOpened, SamplingWork>();
        if (await ExistingAsync(db, barcode!, w, ct) is { } existing) return existing;
        var tube = new Tube
        {
            Barcode = barcode!, RoundId = w.Round.Id, SiteId = w.Site.Id, CommunityCode = w.Site.CommunityCode,
            Capacity = input.SingleTube == true ? 1 : w.Round.PoolSize, State = TubeState.Open, OpenedAt = clock.UtcNow,
            OpenedBy = caller.AccountId, OpenedByName = caller.Name,
        };
        db.Tubes.Add(tube);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same barcode opened a moment ago (the device sent twice, or another device scanned it too).
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            if (await ExistingAsync(again, barcode!, w, ct) is { } raced) return raced;
            throw;
        }
        return new TubeOpened((await ViewsAsync(db, [tube], ct))[0], true);
    }

    public async Task<Outcome<TubeView>> GetAsync(string barcode, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tube = await db.Tubes.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(t => t.Barcode == barcode.Trim(), ct);
        if (tube is null || await SamplingAccess.VisibleSiteAsync(db, caller, tube.SiteId, ct) is null) return new Outcome<TubeView>.NotFound(l["Error.TubeNotFound"]);
        return (await ViewsAsync(db, [tube], ct))[0];
    }

    public async Task<Outcome<TubeView>> SealAsync(string barcode, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        using var _ = CallerContext.Use(SamplingAccess.Worker(caller));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tube = await db.Tubes.IgnoreQueryFilters().FirstOrDefaultAsync(t => t.Barcode == barcode.Trim(), ct);
        if (tube is null) return new Outcome<TubeView>.NotFound(l["Error.TubeNotFound"]);
        if (await access.WorkOnTubeAsync(db, caller, tube, ct) is not Outcome<SamplingWork>.Success and var refused) return refused.Fail<TubeView, SamplingWork>();
        if (tube.State != TubeState.Open) return new Outcome<TubeView>.Conflict(l["Error.TubeNotOpen"]);
        if (tube.Count == 0) return new Outcome<TubeView>.Conflict(l["Error.TubeEmpty"]);
        // Only state and time change: a sample the writer is adding meanwhile finds the tube closed and is refused.
        tube.State = TubeState.Sealed;
        tube.SealedAt = clock.UtcNow;
        await db.SaveChangesAsync(ct);
        return (await ViewsAsync(db, [tube], ct))[0];
    }

    public async Task<Outcome<TubeView>> RemoveAsync(Guid sampleId, RemoveInput? input, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        var reason = input?.Reason?.Trim();
        if (reason is { Length: > 200 })
        {
            var errors = new FieldErrors();
            errors.Add("reason", l["Error.ReasonTooLong"]);
            return errors.ToOutcome<TubeView>();
        }
        using var _ = CallerContext.Use(SamplingAccess.Worker(caller));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindSampleAsync(db, caller, sampleId, ct);
        if (found is not Outcome<(Sample, Tube)>.Success { Value: var (sample, tube) }) return found.Fail<TubeView, (Sample, Tube)>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Retire(sample, SampleRemoval.WrongScan, null, caller);
        if (!string.IsNullOrEmpty(reason))
            db.AuditEntries.Add(audit.Entry(AuditAction.Update, nameof(Sample), sample.Id.ToString(), sample.CommunityCode, reason, caller: caller));
        await db.SaveChangesAsync(ct);
        if (!await TakeOutAsync(db, tube.Id, ct)) return new Outcome<TubeView>.Conflict(l["Error.TubeBoxed"]);
        await transaction.CommitAsync(ct);
        return await ViewOfAsync(db, tube.Id, ct);
    }

    public async Task<Outcome<SampleMoved>> MoveAsync(Guid sampleId, MoveInput input, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        var errors = new FieldErrors();
        var barcode = CheckBarcode(input.ToTubeBarcode, "toTubeBarcode", errors);
        if (errors.Any) return errors.ToOutcome<SampleMoved>();
        using var _ = CallerContext.Use(SamplingAccess.Worker(caller));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindSampleAsync(db, caller, sampleId, ct);
        if (found is not Outcome<(Sample, Tube)>.Success { Value: var (sample, from) }) return found.Fail<SampleMoved, (Sample, Tube)>();
        var to = await db.Tubes.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(t => t.Barcode == barcode, ct);
        if (to is null || await SamplingAccess.VisibleSiteAsync(db, caller, to.SiteId, ct) is null) errors.Add("toTubeBarcode", l["Error.TubeNotFound"]);
        else if (to.Id == from.Id) errors.Add("toTubeBarcode", l["Error.TubeSame"]);
        else if (to.RoundId != from.RoundId) errors.Add("toTubeBarcode", l["Error.TubeOtherRound"]);
        else if (to.State != TubeState.Open) errors.Add("toTubeBarcode", l["Error.TubeNotOpen"]);
        else if (to.Count >= to.Capacity) errors.Add("toTubeBarcode", l["Error.TubeFull", to.Capacity]);
        if (errors.Any) return errors.ToOutcome<SampleMoved>();
        if (await access.WorkOnTubeAsync(db, caller, to!, ct) is not Outcome<SamplingWork>.Success and var refused) return refused.Fail<SampleMoved, SamplingWork>();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Retire(sample, SampleRemoval.Moved, to!.Id, caller);
        // The swab is the same one: when and by whom it was taken stays; only the tube changes.
        db.Samples.Add(new Sample
        {
            Id = Guid.CreateVersion7(), RoundId = sample.RoundId, TubeId = to.Id, PersonId = sample.PersonId, CommunityCode = sample.CommunityCode,
            GridId = sample.GridId, HouseholdId = sample.HouseholdId, SampledAt = sample.SampledAt, ReceivedAt = clock.UtcNow,
            SamplerId = sample.SamplerId, SamplerName = sample.SamplerName, WasOffline = sample.WasOffline,
        });
        await db.SaveChangesAsync(ct);
        if (!await TakeOutAsync(db, from.Id, ct)) return new Outcome<SampleMoved>.Conflict(l["Error.TubeBoxed"]);
        if (!await PutInAsync(db, to.Id, clock.UtcNow, ct))
        {
            errors.Add("toTubeBarcode", l["Error.TubeFull", to.Capacity]);
            return errors.ToOutcome<SampleMoved>();
        }
        await transaction.CommitAsync(ct);
        return new SampleMoved(await ViewOfAsync(db, from.Id, ct), await ViewOfAsync(db, to.Id, ct));
    }

    /// <summary>One more in an open tube with room, sealed when full; false when it has none (counted in SQL: devices add at once).</summary>
    public static Task<bool> PutInAsync(AppDbContext db, Guid tubeId, DateTime now, CancellationToken ct) => PutInAsync(db, [tubeId], 1, now, ct);

    /// <summary><paramref name="count"/> more in each of the tubes, in one statement; false unless every one was open with room.</summary>
    public static async Task<bool> PutInAsync(AppDbContext db, IReadOnlyCollection<Guid> tubeIds, int count, DateTime now, CancellationToken ct) =>
        await db.Tubes.IgnoreQueryFilters()
            .Where(t => tubeIds.Contains(t.Id) && t.State == TubeState.Open && t.Count + count <= t.Capacity)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Count, t => t.Count + count)
                .SetProperty(t => t.State, t => t.Count + count == t.Capacity ? TubeState.Sealed : TubeState.Open)
                .SetProperty(t => t.SealedAt, t => t.Count + count == t.Capacity ? now : t.SealedAt), ct) == tubeIds.Count;

    /// <summary>One fewer in a tube not yet boxed; a tube that had sealed itself at capacity opens again for the free place.</summary>
    private static async Task<bool> TakeOutAsync(AppDbContext db, Guid tubeId, CancellationToken ct) =>
        await db.Tubes.IgnoreQueryFilters()
            .Where(t => t.Id == tubeId && (t.State == TubeState.Open || t.State == TubeState.Sealed) && t.Count > 0)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Count, t => t.Count - 1)
                .SetProperty(t => t.State, t => t.State == TubeState.Sealed && t.Count == t.Capacity ? TubeState.Open : t.State)
                .SetProperty(t => t.SealedAt, t => t.State == TubeState.Sealed && t.Count == t.Capacity ? null : t.SealedAt), ct) == 1;

    private void Retire(Sample sample, SampleRemoval removal, Guid? movedTo, Caller caller)
    {
        sample.Removal = removal;
        sample.MovedToTubeId = movedTo;
        sample.RemovedAt = clock.UtcNow;
        sample.RemovedBy = caller.AccountId;
        sample.RemovedByName = caller.Name;
    }

    private async Task<Outcome<(Sample, Tube)>> FindSampleAsync(AppDbContext db, Caller caller, Guid sampleId, CancellationToken ct)
    {
        var sample = await db.Samples.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == sampleId, ct);
        var tube = sample is null ? null : await db.Tubes.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(t => t.Id == sample.TubeId, ct);
        if (sample is null || tube is null || await SamplingAccess.VisibleSiteAsync(db, caller, tube.SiteId, ct) is null)
            return new Outcome<(Sample, Tube)>.NotFound(l["Error.SampleNotFound"]);
        if (await access.WorkOnTubeAsync(db, caller, tube, ct) is not Outcome<SamplingWork>.Success and var refused) return refused.Fail<(Sample, Tube), SamplingWork>();
        if (sample.RemovedAt is not null) return new Outcome<(Sample, Tube)>.Conflict(l["Error.SampleRemoved"]);
        if (tube.State is TubeState.Boxed or TubeState.Received) return new Outcome<(Sample, Tube)>.Conflict(l["Error.TubeBoxed"]);
        return (sample, tube);
    }

    private async Task<Outcome<TubeOpened>?> ExistingAsync(AppDbContext db, string barcode, SamplingWork work, CancellationToken ct)
    {
        var tube = await db.Tubes.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(t => t.Barcode == barcode, ct);
        if (tube is null) return null;
        if (tube.RoundId == work.Round.Id && tube.SiteId == work.Site.Id && tube.State == TubeState.Open)
            return new TubeOpened((await ViewsAsync(db, [tube], ct))[0], false);
        return new Outcome<TubeOpened>.Conflict(l["Error.BarcodeInUse"]);
    }

    private string? CheckBarcode(string? text, string field, FieldErrors errors)
    {
        var barcode = text?.Trim();
        if (string.IsNullOrEmpty(barcode)) errors.Add(field, l["Error.BarcodeRequired"]);
        else if (barcode.Length > BarcodeLength) errors.Add(field, l["Error.BarcodeTooLong"]);
        return barcode;
    }

    public static async Task<TubeView> ViewOfAsync(AppDbContext db, Guid tubeId, CancellationToken ct) =>
        (await ViewsAsync(db, [await db.Tubes.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.Id == tubeId, ct)], ct))[0];

    /// <summary>Tubes with their members now (masked names), in two queries whatever their number.</summary>
    public static async Task<List<TubeView>> ViewsAsync(AppDbContext db, IReadOnlyList<Tube> tubes, CancellationToken ct)
    {
        var ids = tubes.Select(t => t.Id).ToList();
        var members = ids.Count == 0 ? [] : await (
            from s in db.Samples.IgnoreQueryFilters().AsNoTracking()
            where ids.Contains(s.TubeId) && s.RemovedAt == null
            join p in db.Persons.IgnoreQueryFilters() on s.PersonId equals p.Id
            orderby s.SampledAt, s.Id
            select new { s.Id, s.TubeId, s.PersonId, p.Name, s.SampledAt, s.SamplerName }).ToListAsync(ct);
        var boxIds = tubes.Select(t => t.BoxId).OfType<Guid>().Distinct().ToList();
        var boxes = boxIds.Count == 0 ? [] : await db.TransferBoxes.IgnoreQueryFilters().Where(b => boxIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => b.Number, ct);
        var byTube = members.ToLookup(m => m.TubeId);
        return tubes.Select(t => new TubeView(
            t.Id, t.Barcode, t.RoundId, t.SiteId, t.Capacity, t.State, t.Count, t.BoxId is { } box ? boxes.GetValueOrDefault(box) : null,
            byTube[t.Id].Select(m => new TubeMember(m.Id, m.PersonId, PersonName.Mask(m.Name), DateTime.SpecifyKind(m.SampledAt, DateTimeKind.Utc), m.SamplerName)).ToList()))
            .ToList();
    }
}
