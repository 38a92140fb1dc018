using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Checkpoints;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.PlaceCodes;

public sealed record PresenceInput
{
    /// <summary>Made when the form was shown: a form sent twice is one presence.</summary>
    public Guid? ClientId { get; init; }
    public string? Phone { get; init; }
    public string? DocumentNumber { get; init; }
}

public sealed record PresenceRecorded(Guid Id, string PlaceName, DateTime At, bool Duplicate);

/// <summary>What the public page needs of a place: its name, and whether its code still works.</summary>
public sealed record PublicPlace(Guid Id, string Name, string Address, bool IsActive);

/// <summary>Keeps one phone from flooding a place's log. In-process, like the hotline's limits; a restart forgets it.</summary>
public sealed class PresenceRateLimits : IDisposable
{
    public const int PerPhonePerHour = 30;

    private readonly PartitionedRateLimiter<string> _perPhone = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = PerPhonePerHour, Window = TimeSpan.FromHours(1), SegmentsPerWindow = 6, QueueLimit = 0, AutoReplenishment = true,
        }));

    public bool TryAcquire(string phone)
    {
        using var lease = _perPhone.AttemptAcquire(phone);
        return lease.IsAcquired;
    }

    public void Dispose() => _perPhone.Dispose();
}

/// <summary>
/// A resident scanned a place's poster and sent the form: a Presence passage at the place, naming the registry person when
/// the ID number (or else a phone only one registered person has) matches, otherwise a visitor of the place's committee.
/// Written as the platform (the resident has no account) through the passage writer, so a re-sent form is one record.
/// </summary>
public sealed class RecordPresence(IDbContextFactory<AppDbContext> dbFactory, PassageWriter writer, PresenceRateLimits limits, TimeProvider time,
    IStringLocalizer<PlaceCodesResource> t)
{
    private static readonly SemaphoreSlim VisitorLock = new(1, 1);

    public async Task<PublicPlace?> PlaceAsync(Guid placeId, CancellationToken cancellationToken = default)
    {
        using var _ = CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Places.AsNoTracking().Where(p => p.Id == placeId).Select(p => new PublicPlace(p.Id, p.Name, p.Address, p.IsActive)).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<Outcome<PresenceRecorded>> HandleAsync(Guid placeId, PresenceInput input, CancellationToken cancellationToken = default)
    {
        using var system = CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var place = await db.Places.AsNoTracking().FirstOrDefaultAsync(p => p.Id == placeId, cancellationToken);
        if (place is null) return new Outcome<PresenceRecorded>.NotFound(t["Presence.UnknownPlace"]);
        if (!place.IsActive) return new Outcome<PresenceRecorded>.NotFound(t["Presence.InactivePlace"]);

        var errors = new FieldErrors();
        string? phone = null;
        if (string.IsNullOrWhiteSpace(input.Phone)) errors.Add(nameof(PresenceInput.Phone), t["Error.PhoneRequired"]);
        else if (!ManagePlaceCodes.TryMobile(input.Phone, out phone)) errors.Add(nameof(PresenceInput.Phone), t["Error.PhoneInvalid"]);
        string? document = null;
        if (!string.IsNullOrWhiteSpace(input.DocumentNumber))
        {
            if (IdCardNumber.TryParse(input.DocumentNumber, out var id, out _)) document = id.Value.Value;
            else errors.Add(nameof(PresenceInput.DocumentNumber), t["Error.IdInvalid"]);
        }
        if (errors.Any) return errors.ToOutcome<PresenceRecorded>();

        // A form sent again is the presence already stored, and costs no permit.
        var clientId = input.ClientId is { } given && given != Guid.Empty ? given : Guid.CreateVersion7();
        var stored = await db.Passages.AsNoTracking().Where(p => p.Id == clientId).Select(p => new { p.At, p.PlaceId }).FirstOrDefaultAsync(cancellationToken);
        if (stored is not null)
            return stored.PlaceId == placeId ? new PresenceRecorded(clientId, place.Name, stored.At, true) : new Outcome<PresenceRecorded>.Conflict(t["Presence.Failed"]);
        if (!limits.TryAcquire(phone!)) return new Outcome<PresenceRecorded>.TooManyRequests(t["Presence.TooMany"]);

        var person = await MatchPersonAsync(db, document, phone!, cancellationToken);
        var visitorId = person is null ? await VisitorAsync(place.CommunityCode, document, phone!, cancellationToken) : (Guid?)null;
        var passage = new Passage
        {
            Id = clientId, Kind = PassageKind.Presence, PlaceId = place.Id, CommunityCode = place.CommunityCode, GridId = place.GridId,
            At = time.GetUtcNow().UtcDateTime, Source = PassageSource.PlaceCode, PersonId = person?.Id, HouseholdId = person?.HouseholdId, VisitorId = visitorId,
        };
        var written = (await writer.WriteAsync([new PassageToWrite(passage, new CheckpointDecision(PassageVerdict.Allow, []))], cancellationToken))[0];
        var at = passage.At;
        if (written.Duplicate)
            at = await db.Passages.AsNoTracking().Where(p => p.Id == clientId).Select(p => p.At).FirstAsync(cancellationToken);
        return new PresenceRecorded(clientId, place.Name, at, written.Duplicate);
    }

    private sealed record Match(Guid Id, Guid? HouseholdId);

    private static async Task<Match?> MatchPersonAsync(AppDbContext db, string? document, string phone, CancellationToken cancellationToken)
    {
        if (document is not null)
            return await db.Persons.AsNoTracking().Where(p => p.DocumentType == DocumentType.ResidentIdCard && p.DocumentNumber == document)
                .Select(p => new Match(p.Id, p.HouseholdId)).FirstOrDefaultAsync(cancellationToken);
        // A phone names a person only when one registered person has it (families share phones).
        var byPhone = await db.Persons.AsNoTracking().Where(p => p.Phone == phone).Select(p => new Match(p.Id, p.HouseholdId)).Take(2).ToListAsync(cancellationToken);
        return byPhone.Count == 1 ? byPhone[0] : null;
    }

    private async Task<Guid> VisitorAsync(long communityCode, string? document, string phone, CancellationToken cancellationToken)
    {
        // Serialised so that a form sent twice at once does not make two visitors.
        await VisitorLock.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var visitors = db.Visitors.Where(v => v.CommunityCode == communityCode);
            var visitor = document is not null
                ? await visitors.FirstOrDefaultAsync(v => v.DocumentType == DocumentType.ResidentIdCard && v.DocumentNumber == document, cancellationToken)
                : await visitors.FirstOrDefaultAsync(v => v.DocumentNumber == null && v.Phone == phone, cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            if (visitor is null)
            {
                visitor = new Visitor { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = document, Phone = phone, CommunityCode = communityCode, CreatedAt = now, UpdatedAt = now };
                db.Visitors.Add(visitor);
            }
            else if (visitor.Phone != phone)
            {
                visitor.Phone = phone;
                visitor.UpdatedAt = now;
            }
            await db.SaveChangesAsync(cancellationToken);
            return visitor.Id;
        }
        finally
        {
            VisitorLock.Release();
        }
    }
}
