using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.FollowUps;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.FollowUps;

public sealed record FollowUpInput
{
    public Guid MeasureId { get; init; }
    /// <summary>The local day; today when not given. Yesterday may still be recorded (it stays flagged if it was missed).</summary>
    public DateOnly? Day { get; init; }
    public int Slot { get; init; } = 1;
    public bool? Reached { get; init; }
    /// <summary>°C, 34.0–43.0; required when the person was reached.</summary>
    public decimal? Temperature { get; init; }
    public Symptoms Symptoms { get; init; }
    public string? Note { get; init; }
}

public sealed record RecordedFollowUp(Guid Id, Guid MeasureId, DateOnly Day, int Slot, bool Missed, bool Referred, Guid? WorkOrderId, string? WorkOrderNumber);

/// <summary>
/// Records one check (recording again updates it). Fever or a symptom refers the person: in the same transaction a fever
/// work order for their grid (due in 2 hours) and an alert, once per person and day.
/// </summary>
public sealed class RecordFollowUp(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<FollowUpsResource> l)
{
    public const decimal MinTemperature = 34.0m;
    public const decimal MaxTemperature = 43.0m;
    public const int MaxNoteLength = 500;
    public static readonly TimeSpan ReferralTimeLimit = TimeSpan.FromHours(2);
    private static readonly Symptoms AllSymptoms = Enum.GetValues<Symptoms>().Aggregate(Symptoms.None, (a, s) => a | s);

    public async Task<Outcome<RecordedFollowUp>> HandleAsync(FollowUpInput input, CancellationToken cancellationToken = default)
    {
        var today = clock.Today();
        var day = input.Day ?? today;
        var errors = new FieldErrors();
        if (day > today) errors.Add(nameof(input.Day), l["Error.DayInFuture"]);
        else if (day < today.AddDays(-1)) errors.Add(nameof(input.Day), l["Error.DayTooOld"]);
        if (input.Reached is null) errors.Add(nameof(input.Reached), l["Error.ReachedRequired"]);
        if (input.Reached == true && input.Temperature is null) errors.Add(nameof(input.Temperature), l["Error.TemperatureRequired"]);
        if (input.Temperature is { } t && (t < MinTemperature || t > MaxTemperature))
            errors.Add(nameof(input.Temperature), l["Error.TemperatureRange", MinTemperature, MaxTemperature]);
        // Thermometers read to 0.1 ℃ and the column keeps one decimal: 37.25 would be stored as 37.3 yet judged below the fever line.
        else if (input.Temperature is { } reading && decimal.Round(reading, 1) != reading)
            errors.Add(nameof(input.Temperature), l["Error.TemperatureDecimals"]);
        if ((input.Symptoms & ~AllSymptoms) != 0) errors.Add(nameof(input.Symptoms), l["Error.SymptomsUnknown"]);
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (note?.Length > MaxNoteLength) errors.Add(nameof(input.Note), l["Error.NoteTooLong", MaxNoteLength]);
        if (errors.Any) return errors.ToOutcome<RecordedFollowUp>();

        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var measure = await db.ControlMeasures.AsNoTracking().FirstOrDefaultAsync(m => m.Id == input.MeasureId, cancellationToken);
            if (measure is null) return new Outcome<RecordedFollowUp>.NotFound(l["Error.MeasureNotFound"]);
            if (!measure.IsInForceOn(day)) errors.Add(nameof(input.MeasureId), l["Error.MeasureNotInForce", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);
            else if (input.Slot < 1 || input.Slot > measure.ChecksPerDay) errors.Add(nameof(input.Slot), l["Error.SlotInvalid", measure.ChecksPerDay]);
            if (errors.Any) return errors.ToOutcome<RecordedFollowUp>();

            var caller = db.Caller;
            var now = clock.UtcNow;
            var reached = input.Reached!.Value;
            var temperature = reached ? input.Temperature : null;
            var symptoms = reached ? input.Symptoms : Symptoms.None;
            var row = await db.FollowUps.FirstOrDefaultAsync(f => f.MeasureId == measure.Id && f.Day == day && f.Slot == input.Slot, cancellationToken);
            if (row is null)
            {
                row = new FollowUp { MeasureId = measure.Id, PersonId = measure.PersonId, Day = day, Slot = input.Slot };
                db.FollowUps.Add(row);
            }
            (row.CommunityCode, row.GridId) = (measure.CommunityCode, measure.GridId);
            (row.Reached, row.Temperature, row.Symptoms, row.Note) = (reached, temperature, symptoms, note);
            (row.RecordedAt, row.RecordedBy, row.RecordedByName) = (now, caller.AccountId, caller.Name);

            WorkOrder? order = null;
            if (FollowUp.NeedsReferral(temperature, symptoms) && row.WorkOrderId is null
                && !await db.FollowUps.AnyAsync(f => f.PersonId == measure.PersonId && f.Day == day && f.WorkOrderId != null, cancellationToken))
            {
                var name = await db.Persons.Where(p => p.Id == measure.PersonId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken) ?? "";
                var what = Describe(temperature, symptoms);
                order = new WorkOrder
                {
                    Number = WorkOrderNumbers.New(today), Source = WorkOrderSource.FeverReferral, Need = UrgentNeed.MedicalCare,
                    Title = Truncate(l["Referral.Title", name, what], 100), Description = note, SubjectKind = WorkOrderSubject.Person,
                    PersonId = measure.PersonId, CommunityCode = measure.CommunityCode, GridId = measure.GridId, AssigneeGridId = measure.GridId,
                    DueAt = now + ReferralTimeLimit, Status = measure.GridId is null ? WorkOrderStatus.Pending : WorkOrderStatus.Assigned,
                    CreatedBy = caller.AccountId, CreatedAt = now, UpdatedAt = now,
                };
                db.WorkOrders.Add(order);
                db.WorkOrderEvents.Add(new WorkOrderEvent { WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Created, AccountId = caller.AccountId, Actor = caller.Name });
                if (measure.GridId is not null)
                    db.WorkOrderEvents.Add(new WorkOrderEvent { WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Assigned, AccountId = caller.AccountId, Actor = caller.Name });
                row.WorkOrderId = order.Id;
                db.Alerts.Add(new Alert
                {
                    Kind = AlertKind.FeverOrSymptoms, CommunityCode = measure.CommunityCode, GridId = measure.GridId, PersonId = measure.PersonId,
                    WorkOrderId = order.Id, SubjectId = row.Id, Title = Truncate(l["Alert.Fever", name, what, order.Number], 200), CreatedAt = now,
                });
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new RecordedFollowUp(row.Id, row.MeasureId, row.Day, row.Slot, row.Missed, order is not null, row.WorkOrderId, order?.Number);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Two people recorded the same check at once (or the end-of-day flag got there first), or an order number was
                // drawn twice: read again and update the row that won.
            }
        }
    }

    private string Describe(decimal? temperature, Symptoms symptoms)
    {
        var parts = new List<string>();
        if (temperature is { } t) parts.Add(t.ToString("0.0", CultureInfo.InvariantCulture) + "℃");
        parts.AddRange(Enum.GetValues<Symptoms>().Where(s => s != Symptoms.None && symptoms.HasFlag(s)).Select(s => l[$"Symptom.{s}"].Value));
        return string.Join("、", parts);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
