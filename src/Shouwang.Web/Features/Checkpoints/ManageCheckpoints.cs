using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Checkpoints;

public sealed record CheckpointInput
{
    public string? Name { get; init; }
    public CheckpointKind? Kind { get; init; }
    /// <summary>The committee the post stands in.</summary>
    public string? CommunityCode { get; init; }
    /// <summary>The committee or one of its ancestors (the street, the county...); the committee when not given.</summary>
    public string? GuardedCode { get; init; }
    public Guid? CompoundId { get; init; }
    public Guid? GridId { get; init; }
    public string? Location { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public TimeOnly? OpensAt { get; init; }
    public TimeOnly? ClosesAt { get; init; }
    public YellowCodeAction? YellowCode { get; init; }
    public int? VaccinationDosesRequired { get; init; }
    public decimal? FeverThreshold { get; init; }
    public int? RiskWindowDays { get; init; }
    public bool? IsActive { get; init; }
}

public sealed record DutyItem(Guid AccountId, string Name, DateTime SignedInAt);

public sealed record CheckpointItem(
    Guid Id, string Name, CheckpointKind Kind, string CommunityCode, string GuardedCode, Guid? CompoundId, Guid? GridId, string Location,
    double? Latitude, double? Longitude, TimeOnly? OpensAt, TimeOnly? ClosesAt, YellowCodeAction YellowCode, int? VaccinationDosesRequired,
    decimal FeverThreshold, int RiskWindowDays, bool IsActive, IReadOnlyList<DutyItem> OnDuty);

/// <summary>Checkpoints of the caller's jurisdiction: list, create, change; staff signing in and out on duty (值守).</summary>
public sealed class ManageCheckpoints(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<CheckpointsResource> l)
{
    public const decimal MinFeverThreshold = 36.0m;
    public const decimal MaxFeverThreshold = 39.0m;

    public async Task<IReadOnlyList<CheckpointItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Checkpoints.AsNoTracking().OrderBy(c => c.CommunityCode).ThenBy(c => c.Name).ToListAsync(cancellationToken);
        var ids = rows.Select(c => c.Id).ToList();
        var duty = await db.CheckpointDuties.AsNoTracking().Where(d => ids.Contains(d.CheckpointId) && d.SignedOutAt == null).ToListAsync(cancellationToken);
        return rows.Select(c => Item(c, duty.Where(d => d.CheckpointId == c.Id))).ToList();
    }

    public async Task<Outcome<CheckpointItem>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var checkpoint = await db.Checkpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (checkpoint is null) return new Outcome<CheckpointItem>.NotFound(l["Error.CheckpointNotFound"]);
        return Item(checkpoint, await OnDutyAsync(db, id, cancellationToken));
    }

    public async Task<Outcome<CheckpointItem>> CreateAsync(CheckpointInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.UtcNow;
        var checkpoint = new Checkpoint { Name = "", GuardedCode = "", Location = "", CreatedAt = now };
        if (await ApplyAsync(db, checkpoint, input, cancellationToken) is { } invalid) return invalid;
        checkpoint.UpdatedAt = now;
        db.Checkpoints.Add(checkpoint);
        await db.SaveChangesAsync(cancellationToken);
        return Item(checkpoint, (IReadOnlyList<DutyItem>)[]);
    }

    public async Task<Outcome<CheckpointItem>> UpdateAsync(Guid id, CheckpointInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var checkpoint = await db.Checkpoints.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (checkpoint is null) return new Outcome<CheckpointItem>.NotFound(l["Error.CheckpointNotFound"]);
        if (await ApplyAsync(db, checkpoint, input, cancellationToken) is { } invalid) return invalid;
        checkpoint.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        return Item(checkpoint, await OnDutyAsync(db, id, cancellationToken));
    }

    /// <summary>Signs the caller in on duty; signing in again while on duty changes nothing.</summary>
    public async Task<Outcome<IReadOnlyList<DutyItem>>> SignInAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var checkpoint = await db.Checkpoints.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Id, c.CommunityCode, c.IsActive }).FirstOrDefaultAsync(cancellationToken);
        if (checkpoint is null) return new Outcome<IReadOnlyList<DutyItem>>.NotFound(l["Error.CheckpointNotFound"]);
        if (!checkpoint.IsActive) return new Outcome<IReadOnlyList<DutyItem>>.Conflict(l["Error.CheckpointInactive"]);
        var caller = db.Caller;
        if (caller.AccountId is not { } accountId) return new Outcome<IReadOnlyList<DutyItem>>.Forbidden(l["Error.AccountRequired"]);
        if (!await db.CheckpointDuties.AnyAsync(d => d.CheckpointId == id && d.AccountId == accountId && d.SignedOutAt == null, cancellationToken))
        {
            db.CheckpointDuties.Add(new CheckpointDuty
            {
                CheckpointId = id, CommunityCode = checkpoint.CommunityCode, AccountId = accountId, AccountName = caller.Name, SignedInAt = clock.UtcNow,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        return new Outcome<IReadOnlyList<DutyItem>>.Success(await OnDutyAsync(db, id, cancellationToken));
    }

    public async Task<Outcome<IReadOnlyList<DutyItem>>> SignOutAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Checkpoints.AnyAsync(c => c.Id == id, cancellationToken)) return new Outcome<IReadOnlyList<DutyItem>>.NotFound(l["Error.CheckpointNotFound"]);
        var accountId = db.Caller.AccountId;
        var open = await db.CheckpointDuties.Where(d => d.CheckpointId == id && d.AccountId == accountId && d.SignedOutAt == null).ToListAsync(cancellationToken);
        foreach (var duty in open) duty.SignedOutAt = clock.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<IReadOnlyList<DutyItem>>.Success(await OnDutyAsync(db, id, cancellationToken));
    }

    public async Task<Outcome<IReadOnlyList<DutyItem>>> DutyAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Checkpoints.AnyAsync(c => c.Id == id, cancellationToken)) return new Outcome<IReadOnlyList<DutyItem>>.NotFound(l["Error.CheckpointNotFound"]);
        return new Outcome<IReadOnlyList<DutyItem>>.Success(await OnDutyAsync(db, id, cancellationToken));
    }

    private static async Task<IReadOnlyList<DutyItem>> OnDutyAsync(AppDbContext db, Guid id, CancellationToken cancellationToken) =>
        (await db.CheckpointDuties.AsNoTracking().Where(d => d.CheckpointId == id && d.SignedOutAt == null).ToListAsync(cancellationToken))
        .OrderBy(d => d.SignedInAt).Select(d => new DutyItem(d.AccountId, d.AccountName, d.SignedInAt)).ToList();

    private static CheckpointItem Item(Checkpoint c, IEnumerable<CheckpointDuty> duty) =>
        Item(c, duty.OrderBy(d => d.SignedInAt).Select(d => new DutyItem(d.AccountId, d.AccountName, d.SignedInAt)).ToList());

    private static CheckpointItem Item(Checkpoint c, IReadOnlyList<DutyItem> duty) => new(
        c.Id, c.Name, c.Kind, c.CommunityCode.ToString(CultureInfo.InvariantCulture), c.GuardedCode, c.CompoundId, c.GridId, c.Location, c.Latitude, c.Longitude,
        c.OpensAt, c.ClosesAt, c.YellowCode, c.VaccinationDosesRequired, c.FeverThreshold, c.RiskWindowDays, c.IsActive, duty);

    /// <summary>Checks every field and applies them all, or none (returns the field errors).</summary>
    private async Task<Outcome<CheckpointItem>?> ApplyAsync(AppDbContext db, Checkpoint checkpoint, CheckpointInput input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(nameof(input.Name), l["Error.NameRequired"]);
        else if (name.Length > 100) errors.Add(nameof(input.Name), l["Error.TooLong", 100]);
        if (input.Kind is not { } kind || !Enum.IsDefined(kind)) errors.Add(nameof(input.Kind), l["Error.CheckpointKindRequired"]);
        var location = input.Location?.Trim();
        if (string.IsNullOrEmpty(location)) errors.Add(nameof(input.Location), l["Error.LocationRequired"]);
        else if (location.Length > 200) errors.Add(nameof(input.Location), l["Error.TooLong", 200]);
        if (input.Latitude is < -90 or > 90) errors.Add(nameof(input.Latitude), l["Error.LatitudeRange"]);
        if (input.Longitude is < -180 or > 180) errors.Add(nameof(input.Longitude), l["Error.LongitudeRange"]);
        if (input.OpensAt is not null && input.ClosesAt is not null && input.OpensAt == input.ClosesAt) errors.Add(nameof(input.ClosesAt), l["Error.HoursEqual"]);
        if (input.YellowCode is { } yellow && !Enum.IsDefined(yellow)) errors.Add(nameof(input.YellowCode), l["Error.YellowCodeInvalid"]);
        if (input.VaccinationDosesRequired is < 0 or > 4) errors.Add(nameof(input.VaccinationDosesRequired), l["Error.VaccinationRange"]);
        if (input.FeverThreshold is { } threshold && (threshold < MinFeverThreshold || threshold > MaxFeverThreshold || decimal.Round(threshold, 1) != threshold))
            errors.Add(nameof(input.FeverThreshold), l["Error.FeverThresholdRange", MinFeverThreshold, MaxFeverThreshold]);
        if (input.RiskWindowDays is < 1 or > 30) errors.Add(nameof(input.RiskWindowDays), l["Error.RiskWindowRange"]);

        var committee = await db.FindCommitteeAsync(input.CommunityCode, cancellationToken);
        if (committee is null) errors.Add(nameof(input.CommunityCode), l["Error.CommunityInvalid"]);
        var committeeCode = committee?.ToString(CultureInfo.InvariantCulture);
        var guarded = string.IsNullOrWhiteSpace(input.GuardedCode) ? committeeCode : input.GuardedCode.Trim();
        if (committeeCode is not null && (!JurisdictionCode.TryParse(guarded, out var guardedCode) || !committeeCode.StartsWith(guardedCode.Value.Value, StringComparison.Ordinal)))
            errors.Add(nameof(input.GuardedCode), l["Error.GuardedCodeInvalid"]);
        if (committee is { } c)
        {
            if (input.CompoundId is { } compoundId && !await db.Compounds.AnyAsync(x => x.Id == compoundId && x.CommunityCode == c, cancellationToken))
                errors.Add(nameof(input.CompoundId), l["Error.CompoundInvalid"]);
            if (input.GridId is { } gridId && !await db.Grids.AnyAsync(x => x.Id == gridId && x.CommunityCode == c, cancellationToken))
                errors.Add(nameof(input.GridId), l["Error.GridInvalid"]);
        }
        if (errors.Any) return errors.ToOutcome<CheckpointItem>();

        checkpoint.Name = name!;
        checkpoint.Kind = input.Kind!.Value;
        checkpoint.CommunityCode = committee!.Value;
        checkpoint.GuardedCode = guarded!;
        checkpoint.CompoundId = input.CompoundId;
        checkpoint.GridId = input.GridId;
        checkpoint.Location = location!;
        (checkpoint.Latitude, checkpoint.Longitude) = (input.Latitude, input.Longitude);
        (checkpoint.OpensAt, checkpoint.ClosesAt) = (input.OpensAt, input.ClosesAt);
        checkpoint.YellowCode = input.YellowCode ?? Checkpoint.DefaultYellowCode(checkpoint.Kind);
        checkpoint.VaccinationDosesRequired = input.VaccinationDosesRequired;
        checkpoint.FeverThreshold = input.FeverThreshold ?? Checkpoint.DefaultFeverThreshold;
        checkpoint.RiskWindowDays = input.RiskWindowDays ?? Checkpoint.DefaultRiskWindowDays;
        checkpoint.IsActive = input.IsActive ?? true;
        return null;
    }
}
