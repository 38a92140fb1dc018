using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Arrivals;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Hotline;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Arrivals;

/// <summary>A report as staff list it; ID and phone masked.</summary>
public sealed record ArrivalListItem(
    Guid Id, string Number, ArrivalSource Source, string Name, string DocumentNumber, string Phone, string OriginCode, string OriginName,
    RiskAreaLevel? OriginRiskLevel, OriginRiskSource OriginRiskSource, PersonCategory? ProposedCategory, DateOnly LeftOn, DateOnly ArrivedOn,
    string CommunityCode, string StayAddress, ArrivalState State, Guid? PersonId, Guid? CourseId, DateTime CreatedAt);

/// <summary>A registry person the report may be about (same document number).</summary>
public sealed record ArrivalPersonMatch(Guid Id, string Name, string CommunityCode, Guid? HouseholdId, string? Address);

public sealed record ArrivalDetail(
    ArrivalListItem Report, DocumentType DocumentType, string? Route, Transport Transport, string? TransportDetail, string? ReviewNote, string? ReviewedByName,
    DateTime? ReviewedAt, IReadOnlyList<RiskInside> RiskInside, IReadOnlyList<ArrivalPersonMatch> Matches);

public sealed record ArrivalFilter
{
    /// <summary>Submitted, MeasureIssued, NoMeasureNeeded or Dismissed.</summary>
    public string? State { get; init; }
    /// <summary>A node code (street, committee): reports of stays under it.</summary>
    public string? Jurisdiction { get; init; }
    /// <summary>Arrival day from (yyyy-MM-dd).</summary>
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
}

/// <summary>What a reporter learns from the status page: nothing personal.</summary>
public sealed record PublicArrivalStatus(string Number, ArrivalState State, DateTime SubmittedAt, PersonCategory? Category);

public sealed class ArrivalQueries(IDbContextFactory<AppDbContext> dbFactory, PublicRateLimits limits, IStringLocalizer<ArrivalsResource> l)
{
    public async Task<Outcome<Paged<ArrivalListItem>>> ListAsync(ArrivalFilter filter, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        ArrivalState? state = null;
        if (!string.IsNullOrWhiteSpace(filter.State))
        {
            if (SubmitArrival.TryParseEnum<ArrivalState>(filter.State, out var parsed)) state = parsed;
            else errors.Add(nameof(filter.State), l["Error.StateInvalid"]);
        }
        JurisdictionCode? node = null;
        if (!string.IsNullOrWhiteSpace(filter.Jurisdiction))
        {
            if (JurisdictionCode.TryParse(filter.Jurisdiction, out var parsed)) node = parsed;
            else errors.Add(nameof(filter.Jurisdiction), l["Error.JurisdictionInvalid"]);
        }
        if (errors.Any) return errors.ToOutcome<Paged<ArrivalListItem>>();

        var (page, size) = Paging.Clamp(filter.Page, filter.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.ArrivalReports.AsNoTracking();
        if (state is { } s) query = query.Where(a => a.State == s);
        if (node is { } n)
        {
            var (min, max) = n.SubtreeRange;
            query = query.Where(a => a.CommunityCode >= min && a.CommunityCode <= max);
        }
        if (filter.From is { } from) query = query.Where(a => a.ArrivedOn >= from);
        if (filter.To is { } to) query = query.Where(a => a.ArrivedOn <= to);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new Paged<ArrivalListItem>(rows.Select(ToItem).ToList(), total, page, size);
    }

    public async Task<Outcome<ArrivalDetail>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await DetailAsync(db, id, cancellationToken) is { } detail ? detail : new Outcome<ArrivalDetail>.NotFound(l["Error.ReportNotFound"]);
    }

    /// <summary>By the number and the last four digits of the phone used; one answer for any mismatch, so neither can be probed alone.</summary>
    public async Task<Outcome<PublicArrivalStatus>> LookUpPublicAsync(string? number, string? phoneTail, CancellationToken cancellationToken = default)
    {
        var reference = TextNormalizer.Normalize(number).ToUpperInvariant();
        var tail = TextNormalizer.Normalize(phoneTail);
        var notFound = new Outcome<PublicArrivalStatus>.NotFound(l["Status.NotFound"]);
        if (reference.Length is 0 or > 20 || tail.Length != 4 || !tail.All(char.IsAsciiDigit)) return notFound;
        if (!limits.TryAcquireLookup(reference)) return new Outcome<PublicArrivalStatus>.TooManyRequests(l["Error.TooManyLookups"]);
        await using var db = await dbFactory.CreateSystemContextAsync(cancellationToken);
        var report = await db.ArrivalReports.AsNoTracking().Where(a => a.Number == reference)
            .Select(a => new { a.Number, a.State, a.CreatedAt, a.Phone, a.CourseId }).FirstOrDefaultAsync(cancellationToken);
        if (report is null || !report.Phone.EndsWith(tail, StringComparison.Ordinal)) return notFound;
        PersonCategory? category = null;
        if (report.State == ArrivalState.MeasureIssued && report.CourseId is { } courseId)
        {
            category = await db.ControlMeasures.AsNoTracking().Where(m => m.CourseId == courseId).Select(m => (PersonCategory?)m.Category).FirstOrDefaultAsync(cancellationToken);
        }
        return new PublicArrivalStatus(report.Number, report.State, report.CreatedAt, category);
    }

    internal static async Task<ArrivalDetail?> DetailAsync(AppDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var report = await db.ArrivalReports.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (report is null) return null;
        var risk = await OriginRisk.LookUpAsync(db, report.OriginCode, report.LeftOn, cancellationToken);
        var matches = await (from p in db.Persons.AsNoTracking()
                             where p.DocumentType == report.DocumentType && p.DocumentNumber == report.DocumentNumber
                             join h in db.Households on p.HouseholdId equals h.Id into hs
                             from h in hs.DefaultIfEmpty()
                             select new { p.Id, p.Name, p.CommunityCode, p.HouseholdId, Address = h == null ? null : h.Address }).ToListAsync(cancellationToken);
        return new ArrivalDetail(ToItem(report), report.DocumentType, report.Route, report.Transport, report.TransportDetail, report.ReviewNote, report.ReviewedByName,
            report.ReviewedAt, risk.Inside,
            matches.Select(m => new ArrivalPersonMatch(m.Id, m.Name, m.CommunityCode.ToString(CultureInfo.InvariantCulture), m.HouseholdId, m.Address)).ToList());
    }

    internal static ArrivalListItem ToItem(ArrivalReport a) => new(
        a.Id, a.Number, a.Source, a.Name, DocumentNumber.Mask(a.DocumentNumber), PhoneNumber.Mask(a.Phone), a.OriginCode, a.OriginName, a.OriginRiskLevel,
        a.OriginRiskSource, a.ProposedCategory, a.LeftOn, a.ArrivedOn, a.CommunityCode.ToString(CultureInfo.InvariantCulture), a.StayAddress, a.State,
        a.PersonId, a.CourseId, a.CreatedAt);
}
