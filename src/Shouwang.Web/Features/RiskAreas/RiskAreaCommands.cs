using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Features.Policies;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.RiskAreas;

/// <summary>Designating an area, and what staff record about it afterwards: infections, screenings, an early end.</summary>
public sealed class RiskAreaCommands(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<RiskAreasResource> l)
{
    public const int MinReasonLength = 4;
    public const int MaxTextLength = 500;

    public async Task<Outcome<RiskAreaItem>> DesignateAsync(DesignateInput input, CancellationToken cancellationToken = default)
    {
        var today = clock.Today();
        var errors = new FieldErrors();
        var reason = input.Reason?.Trim();
        var startDay = input.StartDay ?? today;
        if (input.Scope is not { } scope || !Enum.IsDefined(scope)) errors.Add(nameof(input.Scope), l["Error.ScopeInvalid"]);
        else if (scope == RiskAreaScope.Building && input.BuildingId is null) errors.Add(nameof(input.BuildingId), l["Error.BuildingRequired"]);
        else if (scope == RiskAreaScope.Compound && input.CompoundId is null) errors.Add(nameof(input.CompoundId), l["Error.CompoundRequired"]);
        else if (scope == RiskAreaScope.Community && string.IsNullOrWhiteSpace(input.CommunityCode)) errors.Add(nameof(input.CommunityCode), l["Error.CommunityRequired"]);
        if (input.Level is not { } level || !Enum.IsDefined(level)) errors.Add(nameof(input.Level), l["Error.LevelInvalid"]);
        if (startDay > today) errors.Add(nameof(input.StartDay), l["Error.DayInFuture"]);
        if (reason is null || reason.Length is < MinReasonLength or > MaxTextLength) errors.Add(nameof(input.Reason), l["Error.ReasonLength", MinReasonLength, MaxTextLength]);
        if (errors.Any) return errors.ToOutcome<RiskAreaItem>();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The place, found through the caller's scope: outside it, it is as good as unknown.
        (long Community, Guid? CompoundId, Guid? BuildingId, string Name)? place = input.Scope switch
        {
            RiskAreaScope.Building => await (from b in db.Buildings.AsNoTracking()
                                             where b.Id == input.BuildingId
                                             join c in db.Compounds on b.CompoundId equals c.Id
                                             select new { b.CommunityCode, b.CompoundId, b.Id, Name = c.Name + b.Name })
                .Select(x => new ValueTuple<long, Guid?, Guid?, string>(x.CommunityCode, x.CompoundId, x.Id, x.Name)).FirstOrDefaultAsync(cancellationToken),
            RiskAreaScope.Compound => await db.Compounds.AsNoTracking().Where(c => c.Id == input.CompoundId)
                .Select(c => new ValueTuple<long, Guid?, Guid?, string>(c.CommunityCode, c.Id, null, c.Name)).FirstOrDefaultAsync(cancellationToken),
            _ => await db.FindCommitteeAsync(input.CommunityCode, cancellationToken) is { } community
                ? (community, null, null, await db.Jurisdictions.Where(j => j.Code == input.CommunityCode!.Trim()).Select(j => j.Name).FirstAsync(cancellationToken))
                : null,
        };
        if (place is not { } found || found.Community == 0 || !db.Caller.Covers(found.Community)) return new Outcome<RiskAreaItem>.NotFound(l["Error.PlaceNotFound"]);

        if (await PolicyLookup.ForCommunityAsync(db, found.Community, startDay, cancellationToken) is not var (policy, _))
        {
            errors.Add(nameof(input.Level), l["Error.NoPolicyInForce"]);
            return errors.ToOutcome<RiskAreaItem>();
        }
        var version = policy.ToVersion();
        if (version.RiskAreas.Count == 0)
        {
            errors.Add(nameof(input.Level), l["Error.PolicyDesignatesNone", policy.Name]);
            return errors.ToOutcome<RiskAreaItem>();
        }
        if (version.RiskAreas.All(k => k.Level != input.Level))
        {
            errors.Add(nameof(input.Level), l["Error.LevelNotDesignated", policy.Name, l[$"Level.{input.Level}"]]);
            return errors.ToOutcome<RiskAreaItem>();
        }

        var active = db.RiskAreas.Where(a => a.State == RiskAreaState.Active && a.Scope == input.Scope);
        var taken = input.Scope switch
        {
            RiskAreaScope.Building => await active.AnyAsync(a => a.BuildingId == found.BuildingId, cancellationToken),
            RiskAreaScope.Compound => await active.AnyAsync(a => a.CompoundId == found.CompoundId, cancellationToken),
            _ => await active.AnyAsync(a => a.CommunityCode == found.Community, cancellationToken),
        };
        if (taken) return new Outcome<RiskAreaItem>.Conflict(l["Error.AlreadyDesignated", found.Name]);

        var caller = db.Caller;
        var now = clock.UtcNow;
        var area = new RiskArea
        {
            CommunityCode = found.Community, Scope = input.Scope!.Value, CompoundId = found.CompoundId, BuildingId = found.BuildingId, Name = found.Name,
            Level = input.Level!.Value, StartDay = startDay, LevelSince = startDay, Reason = reason!, State = RiskAreaState.Active,
            CreatedBy = caller.AccountId, CreatedByName = caller.Name, CreatedAt = now, UpdatedAt = now,
        };
        db.RiskAreas.Add(area);
        db.RiskAreaEvents.Add(Event(area, RiskAreaEventKind.Designated, startDay, reason, caller, now, toLevel: area.Level));
        await db.SaveChangesAsync(cancellationToken);
        return RiskAreaItem.From(area, today, null, null);
    }

    public async Task<Outcome<RiskAreaItem>> RecordInfectionAsync(Guid id, InfectionInput input, CancellationToken cancellationToken = default)
    {
        var today = clock.Today();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var area = await db.RiskAreas.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (area is null) return new Outcome<RiskAreaItem>.NotFound(l["Error.AreaNotFound"]);
        var day = input.Day ?? today;
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        var errors = new FieldErrors();
        if (day > today) errors.Add(nameof(input.Day), l["Error.DayInFuture"]);
        else if (day < area.StartDay) errors.Add(nameof(input.Day), l["Error.DayBeforeStart", area.StartDay]);
        if (note?.Length > MaxTextLength) errors.Add(nameof(input.Note), l["Error.TooLong", MaxTextLength]);
        if (errors.Any) return errors.ToOutcome<RiskAreaItem>();
        if (area.State != RiskAreaState.Active) return new Outcome<RiskAreaItem>.Conflict(l["Error.AreaReleased"]);

        var now = clock.UtcNow;
        if (area.LastInfectionDay is null || day > area.LastInfectionDay) area.LastInfectionDay = day;
        area.UpdatedAt = now;
        db.RiskAreaEvents.Add(Event(area, RiskAreaEventKind.InfectionRecorded, day, note, db.Caller, now));
        // The count restarts, so a release proposed on the old count no longer holds.
        await WithdrawOpenProposalsAsync(db, area.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return await ItemAsync(db, area, today, cancellationToken);
    }

    public async Task<Outcome<ScreeningItem>> RecordScreeningAsync(Guid id, ScreeningInput input, CancellationToken cancellationToken = default)
    {
        var today = clock.Today();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var area = await db.RiskAreas.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (area is null) return new Outcome<ScreeningItem>.NotFound(l["Error.AreaNotFound"]);
        var day = input.Day ?? today;
        var required = input.Required ?? await RiskAreaQueries.ResidentsOf(db, area).CountAsync(cancellationToken);
        var errors = new FieldErrors();
        if (day > today) errors.Add(nameof(input.Day), l["Error.DayInFuture"]);
        else if (day < area.StartDay) errors.Add(nameof(input.Day), l["Error.DayBeforeStart", area.StartDay]);
        if (required < 1) errors.Add(nameof(input.Required), l["Error.RequiredAtLeastOne"]);
        if (input.Sampled is not { } sampled || sampled < 0) errors.Add(nameof(input.Sampled), l["Error.SampledInvalid"]);
        else if (sampled > required) errors.Add(nameof(input.Sampled), l["Error.SampledAboveRequired", required]);
        if (input.Positive is not { } positive || positive < 0) errors.Add(nameof(input.Positive), l["Error.PositiveInvalid"]);
        else if (input.Sampled is { } s && positive > s) errors.Add(nameof(input.Positive), l["Error.PositiveAboveSampled"]);
        if (errors.Any) return errors.ToOutcome<ScreeningItem>();
        if (area.State != RiskAreaState.Active) return new Outcome<ScreeningItem>.Conflict(l["Error.AreaReleased"]);

        var caller = db.Caller;
        var now = clock.UtcNow;
        var screening = await db.RiskAreaScreenings.FirstOrDefaultAsync(s => s.RiskAreaId == id && s.Day == day, cancellationToken);
        if (screening is null)
        {
            screening = new RiskAreaScreening { RiskAreaId = id, CommunityCode = area.CommunityCode, Day = day, RecordedByName = caller.Name };
            db.RiskAreaScreenings.Add(screening);
        }
        screening.Required = required;
        screening.Sampled = input.Sampled!.Value;
        screening.Positive = input.Positive!.Value;
        screening.RecordedBy = caller.AccountId;
        screening.RecordedByName = caller.Name;
        screening.RecordedAt = now;
        area.UpdatedAt = now;
        db.RiskAreaEvents.Add(Event(area, RiskAreaEventKind.ScreeningRecorded, day,
            l["Event.Screening", screening.Sampled, screening.Required, screening.Positive], caller, now));
        await db.SaveChangesAsync(cancellationToken);
        return ScreeningItem.From(screening);
    }

    public async Task<Outcome<RiskAreaItem>> EndAsync(Guid id, EndInput input, CancellationToken cancellationToken = default)
    {
        var today = clock.Today();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var area = await db.RiskAreas.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (area is null) return new Outcome<RiskAreaItem>.NotFound(l["Error.AreaNotFound"]);
        var reason = input.Reason?.Trim();
        if (reason is null || reason.Length is < MinReasonLength or > MaxTextLength)
        {
            var errors = new FieldErrors();
            errors.Add(nameof(input.Reason), l["Error.ReasonLength", MinReasonLength, MaxTextLength]);
            return errors.ToOutcome<RiskAreaItem>();
        }
        if (area.State != RiskAreaState.Active) return new Outcome<RiskAreaItem>.Conflict(l["Error.AreaReleased"]);
        var now = clock.UtcNow;
        Release(db, area, today, reason, db.Caller, now, area.Level, null);
        await WithdrawOpenProposalsAsync(db, area.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return await ItemAsync(db, area, today, cancellationToken);
    }

    internal static void Release(AppDbContext db, RiskArea area, DateOnly day, string? note, Accounts.Caller caller, DateTime now, RiskAreaLevel from, RiskAreaLevel? to)
    {
        area.State = RiskAreaState.Released;
        area.EndDay = day;
        area.UpdatedAt = now;
        db.RiskAreaEvents.Add(Event(area, RiskAreaEventKind.Released, day, note, caller, now, from, to));
    }

    internal static RiskAreaEvent Event(RiskArea area, RiskAreaEventKind kind, DateOnly day, string? note, Accounts.Caller caller, DateTime now,
        RiskAreaLevel? fromLevel = null, RiskAreaLevel? toLevel = null) => new()
    {
        RiskAreaId = area.Id, CommunityCode = area.CommunityCode, Kind = kind, FromLevel = fromLevel, ToLevel = toLevel, Day = day,
        Note = note?.Length > MaxTextLength ? note[..MaxTextLength] : note, By = caller.AccountId, ByName = caller.Name, At = now,
    };

    internal static async Task WithdrawOpenProposalsAsync(AppDbContext db, Guid areaId, CancellationToken cancellationToken)
    {
        var open = await db.RiskAreaReleaseProposals.Where(p => p.RiskAreaId == areaId && p.State == ReleaseProposalState.Proposed).ToListAsync(cancellationToken);
        foreach (var proposal in open) proposal.State = ReleaseProposalState.Withdrawn;
    }

    internal static async Task<RiskAreaItem> ItemAsync(AppDbContext db, RiskArea area, DateOnly today, CancellationToken cancellationToken)
    {
        var latest = await db.RiskAreaScreenings.AsNoTracking().Where(s => s.RiskAreaId == area.Id).OrderByDescending(s => s.Day).FirstOrDefaultAsync(cancellationToken);
        var pending = await db.RiskAreaReleaseProposals.AsNoTracking().Where(p => p.RiskAreaId == area.Id && p.State == ReleaseProposalState.Proposed)
            .Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        return RiskAreaItem.From(area, today, latest, pending);
    }
}
