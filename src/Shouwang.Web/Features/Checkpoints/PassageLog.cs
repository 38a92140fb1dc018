using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Checkpoints;

public sealed record PassageSearch(
    Guid? CheckpointId = null, Guid? PlaceId = null, Guid? PersonId = null, DateOnly? From = null, DateOnly? To = null,
    PassageVerdict? Verdict = null, PassageKind? Kind = null, int? Page = 1, int? PageSize = 20);

public sealed record PassageReasonItem(ReasonCode Code, PassageVerdict Verdict, string Label, string? Detail, string? Basis);

public sealed record PassageLogItem(
    Guid Id, DateTime At, DateTime ReceivedAt, PassageKind Kind, PassageVerdict Verdict, PassageSource Source,
    Guid? CheckpointId, string? CheckpointName, Guid? PlaceId, string? PlaceName, Guid? PersonId, Guid? VisitorId,
    string? NameMasked, string? DocumentMasked, IReadOnlyList<PassageReasonItem> Reasons, decimal? Temperature, bool? Mask,
    string? OperatorName, bool Offline, Guid? VehicleId);

/// <summary>通行记录: the passages of the checkpoints and places in the caller's scope, newest first, people masked.</summary>
public sealed class PassageLog(IDbContextFactory<AppDbContext> dbFactory, AuditLog audit, LocalClock clock, IStringLocalizer<CheckpointLogsResource> l,
    IStringLocalizer<CheckpointsResource> decisions)
{
    public const int MaxExportRows = 100_000;
    private const int LookupChunk = 1000;

    public async Task<Paged<PassageLogItem>> SearchAsync(PassageSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Filter(db, search);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(p => p.At).ThenByDescending(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<PassageLogItem>(await ToItemsAsync(db, rows, cancellationToken), total, page, pageSize);
    }

    public async Task<(byte[] Content, string FileName)> ExportAsync(PassageSearch search, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await Filter(db, search).OrderByDescending(p => p.At).ThenByDescending(p => p.Id).Take(MaxExportRows).ToListAsync(cancellationToken);
        var items = await ToItemsAsync(db, rows, cancellationToken);
        string Time(DateTime utc) => clock.ToLocal(utc).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var content = ExcelExport.ToXlsx(items, [
            (l["Field.At"], p => Time(p.At)),
            (l["Field.Checkpoint"], p => p.CheckpointName ?? p.PlaceName),
            (l["Field.Kind"], p => l[$"PassageKind.{p.Kind}"].Value),
            (l["Field.Name"], p => p.NameMasked),
            (l["Field.Document"], p => p.DocumentMasked),
            (l["Field.Verdict"], p => decisions[$"Verdict.{p.Verdict}"].Value),
            (l["Field.Reasons"], p => string.Join("；", p.Reasons.Select(r => r.Detail is null ? r.Label : $"{r.Label}（{r.Detail}）"))),
            (l["Field.Temperature"], p => p.Temperature),
            (l["Field.Mask"], p => p.Mask is null ? null : l[p.Mask.Value ? "Mask.Yes" : "Mask.No"].Value),
            (l["Field.Operator"], p => p.OperatorName),
            (l["Field.Offline"], p => p.Offline ? l["Offline.Yes"].Value : ""),
        ], l["Log.Title"]);
        await audit.WriteExportAsync("List:Passages", search with { Page = null, PageSize = null }, items.Count, CallerContext.Current.ScopeMin, cancellationToken: cancellationToken);
        return (content, ExcelExport.FileName("passages", clock.ToLocal(clock.UtcNow)));
    }

    /// <summary>The checkpoints in scope, for the log's filter.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> CheckpointsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Checkpoints.AsNoTracking().OrderBy(c => c.CommunityCode).ThenBy(c => c.Name).Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.Name)).ToList();
    }

    private static IQueryable<Passage> Filter(AppDbContext db, PassageSearch search)
    {
        var query = db.Passages.AsNoTracking();
        if (search.CheckpointId is { } checkpoint) query = query.Where(p => p.CheckpointId == checkpoint);
        if (search.PlaceId is { } place) query = query.Where(p => p.PlaceId == place);
        if (search.PersonId is { } person) query = query.Where(p => p.PersonId == person);
        // From and to are local days, both included.
        if (search.From is { } from) query = query.Where(p => p.At >= LocalClock.StartOfDayUtcOf(from));
        if (search.To is { } to) query = query.Where(p => p.At < LocalClock.StartOfDayUtcOf(to.AddDays(1)));
        if (search.Verdict is { } verdict) query = query.Where(p => p.Verdict == verdict);
        if (search.Kind is { } kind) query = query.Where(p => p.Kind == kind);
        return query;
    }

    private async Task<List<PassageLogItem>> ToItemsAsync(AppDbContext db, List<Passage> rows, CancellationToken cancellationToken)
    {
        var checkpointIds = rows.Where(p => p.CheckpointId != null).Select(p => p.CheckpointId!.Value).Distinct().ToList();
        var checkpoints = new Dictionary<Guid, string>();
        foreach (var chunk in checkpointIds.Chunk(LookupChunk))
            foreach (var c in await db.Checkpoints.AsNoTracking().Where(c => chunk.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken))
                checkpoints[c.Id] = c.Name;
        var placeIds = rows.Where(p => p.PlaceId != null).Select(p => p.PlaceId!.Value).Distinct().ToList();
        var places = new Dictionary<Guid, string>();
        foreach (var chunk in placeIds.Chunk(LookupChunk))
            foreach (var c in await db.Places.AsNoTracking().Where(c => chunk.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken))
                places[c.Id] = c.Name;

        // A gate sees people from anywhere: their names come from the whole registry, and only ever masked.
        var persons = new Dictionary<Guid, (string Name, string Document)>();
        var visitors = new Dictionary<Guid, (string? Name, string? Document)>();
        var personIds = rows.Where(p => p.PersonId != null).Select(p => p.PersonId!.Value).Distinct().ToList();
        var visitorIds = rows.Where(p => p.VisitorId != null).Select(p => p.VisitorId!.Value).Distinct().ToList();
        if (personIds.Count > 0 || visitorIds.Count > 0)
        {
            using var _ = CallerContext.AsSystem();
            await using var all = await dbFactory.CreateDbContextAsync(cancellationToken);
            foreach (var chunk in personIds.Chunk(LookupChunk))
                foreach (var p in await all.Persons.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => new { p.Id, p.Name, p.DocumentNumber }).ToListAsync(cancellationToken))
                    persons[p.Id] = (PersonName.Mask(p.Name), DocumentNumber.Mask(p.DocumentNumber));
            foreach (var chunk in visitorIds.Chunk(LookupChunk))
                foreach (var v in await all.Visitors.AsNoTracking().Where(v => chunk.Contains(v.Id)).Select(v => new { v.Id, v.Name, v.DocumentNumber, v.Phone }).ToListAsync(cancellationToken))
                    visitors[v.Id] = (v.Name is null ? null : PersonName.Mask(v.Name),
                        v.DocumentNumber is not null ? DocumentNumber.Mask(v.DocumentNumber) : v.Phone is not null ? PhoneNumber.Mask(v.Phone) : null);
        }

        // The same labels the gate showed when it decided.
        var labels = Enum.GetValues<ReasonCode>().ToDictionary(c => c, c => decisions[$"Reason.{c}"].Value);
        return rows.Select(p =>
        {
            string? name = null, document = null;
            if (p.PersonId is { } personId && persons.TryGetValue(personId, out var person)) (name, document) = person;
            else if (p.VisitorId is { } visitorId && visitors.TryGetValue(visitorId, out var visitor)) (name, document) = visitor;
            var reasons = PassageReasons.FromJson(p.Reasons).Select(r => new PassageReasonItem(r.Code, r.Verdict, labels[r.Code], r.Detail, r.Basis)).ToList();
            return new PassageLogItem(
                p.Id, p.At, p.ReceivedAt, p.Kind, p.Verdict, p.Source,
                p.CheckpointId, p.CheckpointId is { } c ? checkpoints.GetValueOrDefault(c) : null,
                p.PlaceId, p.PlaceId is { } pl ? places.GetValueOrDefault(pl) : null,
                p.PersonId, p.VisitorId, name, document, reasons, p.Temperature, p.Mask, p.OperatorName, p.WasOffline, p.VehicleId);
        }).ToList();
    }
}
