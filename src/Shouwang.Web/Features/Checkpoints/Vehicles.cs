using System.Buffers.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Arrivals;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Checkpoints;

public sealed record VehicleInput
{
    public Guid Id { get; init; }
    public DateTimeOffset At { get; init; }
    public PassageKind Kind { get; init; }
    public string? Plate { get; init; }
    public int Occupants { get; init; }
    public string? OriginCode { get; init; }
    public string? Destination { get; init; }
    public bool ThroughTraffic { get; init; }
    public string? CommitmentSignerName { get; init; }
    public string? CommitmentSignerPhone { get; init; }
    /// <summary>The signature drawn on screen: "data:image/png;base64,…", 150 KB at most.</summary>
    public string? CommitmentSignature { get; init; }
}

public sealed record VehicleRecorded(Guid Id, bool Duplicate, string? CommitmentUrl);

public sealed record VehicleSearch(DateOnly? From = null, DateOnly? To = null, string? Plate = null, int? Page = 1, int? PageSize = 20);

public sealed record VehicleItem(
    Guid Id, Guid CheckpointId, string Plate, PassageKind Kind, DateTime At,
    int Occupants, string? OriginCode, string? OriginName, string? Destination, bool ThroughTraffic, string? SignerNameMasked, string? SignerPhoneMasked,
    bool HasCommitment, string? CommitmentUrl, int PassengersRecorded, string? OperatorName);

/// <summary>The commitment as its printout shows it; the phone masked, the signature as drawn.</summary>
public sealed record VehicleCommitment(
    Guid Id, string CheckpointName, string Plate, DateTime At, int Occupants, string? OriginName, string? Destination,
    string? SignerName, string? SignerPhoneMasked, string? Signature, DateTime? SignedAt);

/// <summary>中国机动车号牌: 湘A12345, and new-energy 湘AD12345 / 湘A12345D; letters I and O are never used.</summary>
public static partial class VehiclePlate
{
    [GeneratedRegex("^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-Z](?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]|[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF])$")]
    private static partial Regex Pattern();

    public static bool TryNormalize(string? input, out string plate)
    {
        plate = string.Concat(TextNormalizer.Normalize(input).ToUpperInvariant().Where(c => !char.IsWhiteSpace(c) && c is not ('·' or '-' or '.')));
        return Pattern().IsMatch(plate);
    }
}

public sealed class Vehicles(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<CheckpointLogsResource> l)
{
    public const int MaxSignatureBytes = 150 * 1024;
    private const string PngDataUrl = "data:image/png;base64,";

    public static string CommitmentUrl(Guid id) => $"/checkpoints/vehicles/{id}/commitment";

    public async Task<Outcome<VehicleRecorded>> RecordAsync(Guid checkpointId, VehicleInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var checkpoint = await db.Checkpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Id == checkpointId, cancellationToken);
        if (checkpoint is null) return new Outcome<VehicleRecorded>.NotFound(l["Error.CheckpointNotFound"]);

        // A re-sent record (the device lost the answer) is the same vehicle: nothing new.
        // An id already used at another checkpoint is somebody else's record: say so, and nothing about it.
        if (input.Id != Guid.Empty && await db.Vehicles.IgnoreQueryFilters().Where(v => v.Id == input.Id)
                .Select(v => new { v.CheckpointId, Signed = v.CommitmentSignature != null }).FirstOrDefaultAsync(cancellationToken) is { } stored)
            return stored.CheckpointId == checkpointId
                ? Recorded(input.Id, duplicate: true, stored.Signed)
                : new Outcome<VehicleRecorded>.Conflict(l["Error.Vehicle.IdTaken"]);

        var errors = new FieldErrors();
        if (input.Id == Guid.Empty) errors.Add(nameof(input.Id), l["Error.Vehicle.Id"]);
        var now = clock.UtcNow;
        if (input.At == default) errors.Add(nameof(input.At), l["Error.Vehicle.At"]);
        else if (input.At.UtcDateTime > now.AddMinutes(5)) errors.Add(nameof(input.At), l["Error.Vehicle.AtFuture"]);
        else if (input.At.UtcDateTime < now.AddDays(-30)) errors.Add(nameof(input.At), l["Error.Vehicle.AtOld"]);
        if (input.Kind is not (PassageKind.Entry or PassageKind.Exit)) errors.Add(nameof(input.Kind), l["Error.Vehicle.Kind"]);
        if (!VehiclePlate.TryNormalize(input.Plate, out var plate)) errors.Add(nameof(input.Plate), l["Error.Vehicle.Plate"]);
        if (input.Occupants is < 1 or > 60) errors.Add(nameof(input.Occupants), l["Error.Vehicle.Occupants"]);
        var origin = string.IsNullOrWhiteSpace(input.OriginCode) ? null : input.OriginCode.Trim();
        if (origin is not null && !Origins.Exists(origin)) errors.Add(nameof(input.OriginCode), l["Error.Vehicle.Origin"]);
        var destination = string.IsNullOrWhiteSpace(input.Destination) ? null : TextNormalizer.CleanText(input.Destination);
        if (destination is { Length: > 200 }) errors.Add(nameof(input.Destination), l["Error.Vehicle.Destination"]);

        var signerName = string.IsNullOrWhiteSpace(input.CommitmentSignerName) ? null : TextNormalizer.CleanText(input.CommitmentSignerName);
        string? signerPhone = null;
        var signature = string.IsNullOrWhiteSpace(input.CommitmentSignature) ? null : input.CommitmentSignature.Trim();
        // Through traffic at a traffic health point must sign; anyone who signs must be named.
        var commitmentRequired = (input.ThroughTraffic && checkpoint.Kind == CheckpointKind.TrafficHealthPoint) || signature is not null;
        if (signerName is { Length: > 50 }) errors.Add(nameof(input.CommitmentSignerName), l["Error.Vehicle.SignerNameLong"]);
        else if (signerName is null && commitmentRequired) errors.Add(nameof(input.CommitmentSignerName), l["Error.Vehicle.SignerName"]);
        if (!string.IsNullOrWhiteSpace(input.CommitmentSignerPhone) || commitmentRequired)
        {
            if (!PhoneNumber.TryNormalize(input.CommitmentSignerPhone, out signerPhone) || signerPhone.Length != 11 || signerPhone[0] != '1')
            {
                errors.Add(nameof(input.CommitmentSignerPhone), l["Error.Vehicle.SignerPhone"]);
                signerPhone = null;
            }
        }
        if (signature is not null || commitmentRequired)
        {
            var problem = SignatureProblem(signature);
            if (problem is not null) errors.Add(nameof(input.CommitmentSignature), l[problem]);
        }
        if (errors.Any) return errors.ToOutcome<VehicleRecorded>();

        var signed = signature is not null;
        db.Vehicles.Add(new Vehicle
        {
            Id = input.Id, CheckpointId = checkpoint.Id, CommunityCode = checkpoint.CommunityCode, Plate = plate, Kind = input.Kind,
            At = input.At.UtcDateTime, Occupants = input.Occupants, OriginCode = origin, Destination = destination, ThroughTraffic = input.ThroughTraffic,
            CommitmentSignerName = signerName, CommitmentSignerPhone = signerPhone, CommitmentSignature = signature,
            CommitmentSignedAt = signed ? now : null, OperatorId = db.Caller.AccountId, OperatorName = db.Caller.Name,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same id arrived twice at once: the other request stored it.
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await again.Vehicles.IgnoreQueryFilters().AnyAsync(v => v.Id == input.Id, cancellationToken)) return Recorded(input.Id, true, signed);
            throw;
        }
        return Recorded(input.Id, duplicate: false, signed);
    }

    private static VehicleRecorded Recorded(Guid id, bool duplicate, bool signed) => new(id, duplicate, signed ? CommitmentUrl(id) : null);

    /// <summary>The key of the message naming what is wrong with a signature, or null when it is a PNG within the size limit.</summary>
    private static string? SignatureProblem(string? signature)
    {
        if (signature is null) return "Error.Vehicle.SignatureMissing";
        if (!signature.StartsWith(PngDataUrl, StringComparison.OrdinalIgnoreCase)) return "Error.Vehicle.SignatureFormat";
        var base64 = signature[PngDataUrl.Length..];
        if (base64.Length > (MaxSignatureBytes + 2) / 3 * 4) return "Error.Vehicle.SignatureTooLarge";
        if (!Base64.IsValid(base64, out var length) || length == 0) return "Error.Vehicle.SignatureFormat";
        var bytes = Convert.FromBase64String(base64);
        ReadOnlySpan<byte> magic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        return bytes.AsSpan().StartsWith(magic) ? null : "Error.Vehicle.SignatureFormat";
    }

    public async Task<Outcome<Paged<VehicleItem>>> SearchAsync(Guid checkpointId, VehicleSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Checkpoints.AnyAsync(c => c.Id == checkpointId, cancellationToken))
            return new Outcome<Paged<VehicleItem>>.NotFound(l["Error.CheckpointNotFound"]);
        var query = db.Vehicles.AsNoTracking().Where(v => v.CheckpointId == checkpointId);
        if (search.From is { } from) query = query.Where(v => v.At >= LocalClock.StartOfDayUtcOf(from));
        if (search.To is { } to) query = query.Where(v => v.At < LocalClock.StartOfDayUtcOf(to.AddDays(1)));
        if (!string.IsNullOrWhiteSpace(search.Plate))
        {
            var plate = string.Concat(TextNormalizer.Normalize(search.Plate).ToUpperInvariant().Where(c => !char.IsWhiteSpace(c)));
            query = query.Where(v => v.Plate.Contains(plate));
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(v => v.At).ThenByDescending(v => v.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(v => new
            {
                v.Id, v.CheckpointId, v.Plate, v.Kind, v.At, v.Occupants, v.OriginCode, v.Destination, v.ThroughTraffic, v.CommitmentSignerName,
                v.CommitmentSignerPhone, Signed = v.CommitmentSignature != null, v.OperatorName,
                Passengers = db.Passages.Count(p => p.VehicleId == v.Id),
            })
            .ToListAsync(cancellationToken);
        var items = rows.Select(v => new VehicleItem(
            v.Id, v.CheckpointId, v.Plate, v.Kind, v.At, v.Occupants, v.OriginCode, Origins.FullName(v.OriginCode), v.Destination, v.ThroughTraffic,
            v.CommitmentSignerName is null ? null : PersonName.Mask(v.CommitmentSignerName), v.CommitmentSignerPhone is null ? null : PhoneNumber.Mask(v.CommitmentSignerPhone),
            v.Signed, v.Signed ? CommitmentUrl(v.Id) : null, v.Passengers, v.OperatorName)).ToList();
        return new Paged<VehicleItem>(items, total, page, pageSize);
    }

    public async Task<VehicleCommitment?> CommitmentAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await (from vehicle in db.Vehicles.AsNoTracking()
                         join c in db.Checkpoints on vehicle.CheckpointId equals c.Id
                         where vehicle.Id == id
                         select new { Vehicle = vehicle, c.Name }).FirstOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        var v = row.Vehicle;
        return new VehicleCommitment(v.Id, row.Name, v.Plate, v.At, v.Occupants, Origins.FullName(v.OriginCode) ?? v.OriginCode, v.Destination,
            v.CommitmentSignerName, v.CommitmentSignerPhone is null ? null : PhoneNumber.Mask(v.CommitmentSignerPhone), v.CommitmentSignature, v.CommitmentSignedAt);
    }
}
