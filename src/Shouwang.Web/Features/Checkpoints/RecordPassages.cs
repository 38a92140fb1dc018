using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.People;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Arrivals;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Checkpoints;

public sealed record VisitorInput(DocumentType? DocumentType, string? DocumentNumber, string? Name, string? Phone, string? OriginCode, string? Reason, string? Destination);

public sealed record PassageInput
{
    public Guid Id { get; init; }
    public DateTimeOffset At { get; init; }
    public PassageKind? Kind { get; init; }
    public string? Ticket { get; init; }
    public Guid? PersonId { get; init; }
    public Guid? HouseholdId { get; init; }
    public string? Input { get; init; }
    public VisitorInput? Visitor { get; init; }
    public decimal? Temperature { get; init; }
    public bool? Mask { get; init; }
    public string? OriginCode { get; init; }
    public int? VaccinationDoses { get; init; }
    public Guid? VehicleId { get; init; }
    public bool Offline { get; init; }
}

public sealed record PassagesInput(List<PassageInput?>? Passages);

public sealed record PassageResult(Guid Id, bool Duplicate, PassageVerdict Verdict, IReadOnlyList<ReasonView> Reasons, string? WorkOrderNumber);

public sealed record PassagesResult(IReadOnlyList<PassageResult> Results);

/// <summary>
/// 一记: confirms passages, one or a device's whole offline queue. Each is decided on the server (from the scan's ticket when it
/// is valid, else from facts gathered again, batched for the whole request) with the operator's observation, and committed
/// through <see cref="PassageWriter"/>: a client id already stored is answered as a duplicate, a household's pass quota is
/// taken atomically, and alerts and a fever-referral order are written with the passage.
/// </summary>
public sealed class RecordPassages(IDbContextFactory<AppDbContext> dbFactory, ScanSubjects subjects, CheckpointFacts facts, CodeSigner signer,
    PassageWriter writer, LocalClock clock, IStringLocalizer<CheckpointsResource> l)
{
    public const int MaxPassages = 500;
    public static readonly TimeSpan MaxFuture = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);
    public static readonly TimeSpan ReferralTimeLimit = TimeSpan.FromHours(2);

    /// <summary>Everything a passage's decision and effects need about its subject.</summary>
    private sealed class Subject
    {
        public PassageSource Source { get; set; }
        public Guid? PersonId { get; set; }
        public Guid? HouseholdId { get; set; }
        public Guid? VisitorId { get; set; }
        public long? Community { get; set; }
        public Guid? Grid { get; set; }
        public string? Name { get; set; }
        public SubjectFacts Facts { get; set; } = SubjectFacts.Unknown;
        public TicketPass? Pass { get; set; }
        public bool FromTicket { get; set; }
        public string? VisitorDocument { get; set; }
        public DocumentType VisitorDocumentType { get; set; }
        public string? Origin { get; set; }
        public string? UnknownDocument { get; set; }
        public string? UnknownPhone { get; set; }
    }

    public async Task<Outcome<PassagesResult>> HandleAsync(Guid checkpointId, PassagesInput input, CancellationToken cancellationToken = default)
    {
        var checkpoint = await CheckpointsQuery.FindAsync(dbFactory, checkpointId, cancellationToken);
        if (checkpoint is null) return new Outcome<PassagesResult>.NotFound(l["Error.CheckpointNotFound"]);
        var errors = new FieldErrors();
        var rows = input.Passages;
        if (rows is null || rows.Count == 0 || rows.Count > MaxPassages)
        {
            errors.Add(nameof(input.Passages), l["Error.PassagesCount", MaxPassages]);
            return errors.ToOutcome<PassagesResult>();
        }

        var caller = CallerContext.Current;
        var culture = CultureInfo.CurrentUICulture;
        var now = clock.UtcNow;
        var nowOffset = new DateTimeOffset(now, TimeSpan.Zero);
        var today = clock.Today();
        var subjectsOf = new Subject?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var field = $"Passages[{i}].";
            if (rows[i] is not { } row) { errors.Add($"Passages[{i}]", l["Error.PassageRequired"]); continue; }
            if (row.Id == Guid.Empty) errors.Add(field + nameof(row.Id), l["Error.IdRequired"]);
            if (row.At == default || row.At > nowOffset + MaxFuture || row.At < nowOffset - MaxAge) errors.Add(field + nameof(row.At), l["Error.AtRange"]);
            if (row.Kind is not (PassageKind.Entry or PassageKind.Exit)) errors.Add(field + nameof(row.Kind), l["Error.KindEntryOrExit"]);
            if (row.Temperature is { } t && !CheckpointRules.IsPlausibleTemperature(t)) errors.Add(field + nameof(row.Temperature), l["Error.TemperatureRange"]);
            if (row.VaccinationDoses is < 0 or > 10) errors.Add(field + nameof(row.VaccinationDoses), l["Error.DosesRange"]);
            if (row.OriginCode is { Length: > 0 } origin && !Origins.IsValidOrigin(origin)) errors.Add(field + nameof(row.OriginCode), l["Error.OriginInvalid"]);
            if (row.PersonId is null && row.HouseholdId is null && string.IsNullOrWhiteSpace(row.Input) && row.Visitor is null)
                errors.Add(field + nameof(row.PersonId), l["Error.SubjectRequired"]);
            if (row.Visitor is { } visitor) subjectsOf[i] = ValidateVisitor(visitor, field + nameof(row.Visitor) + ".", errors);
        }
        if (errors.Any) return errors.ToOutcome<PassagesResult>();
        await CheckVehiclesAsync(checkpoint.Id, rows, errors, cancellationToken);
        if (errors.Any) return errors.ToOutcome<PassagesResult>();

        // 1. Valid tickets: the scan's decision stands, no facts are read again.
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i]!;
            if (await ScanTicket.OpenAsync(signer, row.Ticket, nowOffset, cancellationToken) is not { } ticket
                || ticket.Checkpoint != checkpoint.Id || ticket.Kind != row.Kind) continue;
            if (subjectsOf[i] is { } visitor)
            {
                if (ticket.Visitor is null || ticket.Visitor != ScanSubjects.VisitorKey(visitor.VisitorDocumentType, visitor.VisitorDocument!)) continue;
                if (ticket.Origin == visitor.Origin)
                {
                    visitor.Facts = ticket.Facts() with { VaccinationDoses = row.VaccinationDoses };
                    visitor.FromTicket = true;
                }
                continue;
            }
            var matches = ticket.Person is { } person
                ? row.PersonId == person && (row.HouseholdId is null || row.HouseholdId == ticket.Household)
                : ticket.Household is { } household && row.PersonId is null && row.HouseholdId == household;
            if (!matches) continue;
            subjectsOf[i] = new Subject
            {
                Source = ticket.Source, PersonId = ticket.Person, HouseholdId = ticket.Household, Community = ticket.Community, Grid = ticket.Grid,
                Name = ticket.Name, Facts = ticket.Facts(), Pass = ticket.Pass, FromTicket = true,
            };
        }

        // 2. Offline records: resolve the raw scanned text, as /scan would.
        var toResolve = Enumerable.Range(0, rows.Count).Where(i => subjectsOf[i] is null && rows[i]!.PersonId is null && rows[i]!.HouseholdId is null).ToList();
        var resolved = await subjects.ResolveAsync(toResolve.Select(i => rows[i]!.Input).ToList(), cancellationToken);
        var subjectPerson = new Guid?[rows.Count];
        var subjectHousehold = new Guid?[rows.Count];
        var sourceOf = new PassageSource[rows.Count];
        for (var k = 0; k < toResolve.Count; k++)
        {
            var i = toResolve[k];
            var (subject, error) = resolved[k];
            if (subject is null) { errors.Add($"Passages[{i}].Input", ScanCheckpoint.InputError(l, error!.Value)); continue; }
            sourceOf[i] = subject.Source;
            if (subject.PersonId is not null || subject.HouseholdId is not null) (subjectPerson[i], subjectHousehold[i]) = (subject.PersonId, subject.HouseholdId);
            else subjectsOf[i] = new Subject
            {
                Source = PassageSource.Visitor, UnknownDocument = subject.DocumentNumber, UnknownPhone = subject.DocumentNumber is null ? subject.Phone : null,
                Origin = rows[i]!.OriginCode,
            };
        }
        for (var i = 0; i < rows.Count; i++)
        {
            if (subjectsOf[i] is not null || toResolve.Contains(i)) continue;
            (subjectPerson[i], subjectHousehold[i]) = (rows[i]!.PersonId, rows[i]!.PersonId is null ? rows[i]!.HouseholdId : null);
            sourceOf[i] = rows[i]!.PersonId is null ? PassageSource.PassCard : PassageSource.PersonCode;
        }
        if (errors.Any) return errors.ToOutcome<PassagesResult>();

        // 3. Facts for everyone without a ticket, in one batch.
        var personIds = subjectPerson.Where(p => p is not null).Select(p => p!.Value).Distinct().ToList();
        var people = await facts.ForPersonsAsync(checkpoint, personIds, today, householdSizes: false, cancellationToken);
        for (var i = 0; i < rows.Count; i++)
        {
            if (subjectPerson[i] is { } personId)
            {
                if (!people.TryGetValue(personId, out var person)) { errors.Add($"Passages[{i}].PersonId", l["Error.PersonNotFound"]); continue; }
                subjectsOf[i] = new Subject
                {
                    Source = sourceOf[i], PersonId = personId, HouseholdId = person.HouseholdId, Community = person.CommunityCode, Grid = person.GridId,
                    Name = PersonName.Mask(person.Name), Facts = person.Facts, Pass = TicketPass.Of(person.Pass),
                };
            }
            else if (subjectHousehold[i] is { } householdId)
            {
                if (await facts.ForHouseholdAsync(checkpoint, householdId, today, cancellationToken) is not { } household)
                {
                    errors.Add($"Passages[{i}].HouseholdId", l["Error.HouseholdNotFound"]);
                    continue;
                }
                subjectsOf[i] = new Subject
                {
                    Source = sourceOf[i], HouseholdId = householdId, Community = household.CommunityCode, Grid = household.GridId,
                    Facts = household.Facts, Pass = TicketPass.Of(household.Pass),
                };
            }
        }
        if (errors.Any) return errors.ToOutcome<PassagesResult>();

        // 4. Visitors: register or update them, and look up where they came from.
        await RegisterVisitorsAsync(checkpoint, rows, subjectsOf, now, cancellationToken);
        var origins = await facts.OriginRisksAsync(checkpoint,
            subjectsOf.Where(s => s is { Source: PassageSource.Visitor, FromTicket: false, Origin: not null }).Select(s => s!.Origin!), today, cancellationToken);
        for (var i = 0; i < rows.Count; i++)
        {
            if (subjectsOf[i] is { Source: PassageSource.Visitor, FromTicket: false } visitor)
                visitor.Facts = CheckpointFacts.VisitorFacts(visitor.Origin is { } o ? origins.GetValueOrDefault(o) : null, rows[i]!.VaccinationDoses);
        }

        // 5. Decide and write.
        var settings = CheckpointSettings.Of(checkpoint);
        var items = new List<PassageToWrite>(rows.Count);
        var orderNumbers = new string?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i]!;
            var subject = subjectsOf[i]!;
            var kind = row.Kind!.Value;
            var observation = new Observation(row.Temperature, row.Mask);
            var decidedOffline = row.Offline && !subject.FromTicket;
            var decision = WithOffline(CheckpointRules.Decide(settings, subject.Facts, kind, observation), decidedOffline);
            var at = row.At.UtcDateTime;
            var passage = new Passage
            {
                Id = row.Id, Kind = kind, CheckpointId = checkpoint.Id, CommunityCode = checkpoint.CommunityCode, GridId = checkpoint.GridId, At = at,
                PersonId = subject.PersonId, VisitorId = subject.VisitorId, HouseholdId = subject.HouseholdId, Source = subject.Source,
                Temperature = row.Temperature, Mask = row.Mask, OriginCode = subject.Origin ?? row.OriginCode, VehicleId = row.VehicleId,
                WasOffline = row.Offline, OperatorId = caller.AccountId, OperatorName = caller.Name,
            };
            var fever = decision.Reasons.Any(r => r.OpensFeverReferral);
            var number = fever ? WorkOrderNumbers.New(today) : null;
            orderNumbers[i] = number;
            var item = new PassageToWrite(passage, decision)
            {
                Effects = (p, d) => InCulture(culture, () => Effects(checkpoint, subject, p, d, number, caller, now, kind).ToList()),
            };
            if (subject.Pass is { } pass && subject.HouseholdId is { } household)
            {
                if (kind == PassageKind.Exit)
                {
                    var usedUp = new BlockingFact($"{pass.Allowed}/{pass.Allowed}", $"pass-card-rule:{pass.Rule}");
                    item = item with
                    {
                        Quota = new PassQuota(pass.Rule, pass.Allowed, pass.WindowOn(LocalClock.DayOf(row.At)), at.AddHours(pass.MaxHours), household, pass.Community, pass.Grid),
                        DecisionIfUsedUp = WithOffline(CheckpointRules.Decide(settings, subject.Facts, kind, observation, usedUp), decidedOffline),
                    };
                }
                else item = item with { ReturningHouseholdId = household };
            }
            items.Add(item);
        }
        var written = await writer.WriteAsync(items, cancellationToken);
        return new PassagesResult(written.Select((w, i) => new PassageResult(w.Id, w.Duplicate, w.Verdict, ReasonView.From(w.Reasons, l),
            !w.Duplicate && w.Reasons.Any(r => r.OpensFeverReferral) ? orderNumbers[i] : null)).ToList());
    }

    private static CheckpointDecision WithOffline(CheckpointDecision decision, bool offline) =>
        offline ? decision with { Reasons = [.. decision.Reasons, new DecisionReason(ReasonCode.RecordedOffline, PassageVerdict.Allow, null, "offline")] } : decision;


    private Subject? ValidateVisitor(VisitorInput visitor, string field, FieldErrors errors)
    {
        var type = visitor.DocumentType ?? DocumentType.ResidentIdCard;
        if (!Enum.IsDefined(type)) errors.Add(field + nameof(visitor.DocumentType), l["Error.DocumentTypeInvalid"]);
        string? number = null;
        if (string.IsNullOrWhiteSpace(visitor.DocumentNumber)) errors.Add(field + nameof(visitor.DocumentNumber), l["Error.DocumentRequired"]);
        else if (!DocumentNumber.TryNormalize(type, visitor.DocumentNumber, out number, out _)) errors.Add(field + nameof(visitor.DocumentNumber), l["Error.DocumentInvalid"]);
        var name = visitor.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(field + nameof(visitor.Name), l["Error.NameRequired"]);
        else if (name.Length > 50) errors.Add(field + nameof(visitor.Name), l["Error.TooLong", 50]);
        if (!PhoneNumber.TryNormalize(visitor.Phone, out _)) errors.Add(field + nameof(visitor.Phone), l["Error.PhoneInvalid"]);
        if (!Origins.IsValidOrigin(visitor.OriginCode)) errors.Add(field + nameof(visitor.OriginCode), l["Error.OriginInvalid"]);
        if (string.IsNullOrWhiteSpace(visitor.Destination)) errors.Add(field + nameof(visitor.Destination), l["Error.DestinationRequired"]);
        else if (visitor.Destination.Trim().Length > 200) errors.Add(field + nameof(visitor.Destination), l["Error.TooLong", 200]);
        if (visitor.Reason?.Trim().Length > 200) errors.Add(field + nameof(visitor.Reason), l["Error.TooLong", 200]);
        return number is null ? null : new Subject
        {
            Source = PassageSource.Visitor, VisitorDocument = number, VisitorDocumentType = type, Origin = visitor.OriginCode, Name = name is null ? null : PersonName.Mask(name),
        };
    }

    /// <summary>Visitors are registered where first seen and kept up to date by document; any gate may meet them again.</summary>
    private async Task RegisterVisitorsAsync(Checkpoint checkpoint, List<PassageInput?> rows, Subject?[] subjectsOf, DateTime now, CancellationToken cancellationToken)
    {
        var registering = Enumerable.Range(0, rows.Count).Where(i => rows[i]!.Visitor is not null && subjectsOf[i]?.VisitorDocument is not null).ToList();
        var unknown = Enumerable.Range(0, rows.Count).Where(i => subjectsOf[i] is { UnknownDocument: not null } or { UnknownPhone: not null }).ToList();
        if (registering.Count == 0 && unknown.Count == 0) return;
        using var _ = CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var numbers = registering.Select(i => subjectsOf[i]!.VisitorDocument!).Concat(unknown.Select(i => subjectsOf[i]!.UnknownDocument).OfType<string>()).Distinct().ToList();
        var phones = unknown.Select(i => subjectsOf[i]!.UnknownPhone).OfType<string>().Distinct().ToList();
        var existing = await db.Visitors.Where(v => v.DocumentNumber != null && numbers.Contains(v.DocumentNumber)).ToListAsync(cancellationToken);
        if (phones.Count > 0)
            existing.AddRange(await db.Visitors.Where(v => v.DocumentNumber == null && v.Phone != null && phones.Contains(v.Phone)).ToListAsync(cancellationToken));
        foreach (var i in registering)
        {
            var subject = subjectsOf[i]!;
            var input = rows[i]!.Visitor!;
            var visitor = existing.Where(v => v.DocumentType == subject.VisitorDocumentType && v.DocumentNumber == subject.VisitorDocument)
                .OrderByDescending(v => v.UpdatedAt).FirstOrDefault();
            if (visitor is null)
            {
                visitor = new Visitor
                {
                    DocumentType = subject.VisitorDocumentType, DocumentNumber = subject.VisitorDocument, CommunityCode = checkpoint.CommunityCode, CreatedAt = now,
                };
                db.Visitors.Add(visitor);
                existing.Add(visitor);
            }
            PhoneNumber.TryNormalize(input.Phone, out var phone);
            visitor.Name = input.Name!.Trim();
            visitor.Phone = phone;
            visitor.OriginCode = input.OriginCode;
            visitor.Reason = string.IsNullOrWhiteSpace(input.Reason) ? visitor.Reason : input.Reason.Trim();
            visitor.Destination = input.Destination!.Trim();
            visitor.UpdatedAt = now;
            subject.VisitorId = visitor.Id;
        }
        // Someone recorded offline and not in the registry: kept as a visitor by what was scanned, so tracing can find them.
        foreach (var i in unknown)
        {
            var subject = subjectsOf[i]!;
            var visitor = subject.UnknownDocument is { } document
                ? existing.Where(v => v.DocumentType == DocumentType.ResidentIdCard && v.DocumentNumber == document).OrderByDescending(v => v.UpdatedAt).FirstOrDefault()
                : existing.Where(v => v.DocumentNumber == null && v.Phone == subject.UnknownPhone).OrderByDescending(v => v.UpdatedAt).FirstOrDefault();
            if (visitor is null)
            {
                visitor = new Visitor
                {
                    DocumentType = DocumentType.ResidentIdCard, DocumentNumber = subject.UnknownDocument, Phone = subject.UnknownPhone,
                    OriginCode = subject.Origin, CommunityCode = checkpoint.CommunityCode, CreatedAt = now, UpdatedAt = now,
                };
                db.Visitors.Add(visitor);
                existing.Add(visitor);
            }
            subject.VisitorId = visitor.Id;
            subject.Name = visitor.Name is null ? null : PersonName.Mask(visitor.Name);
            subject.Origin ??= visitor.OriginCode;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A passage names a vehicle recorded at this checkpoint, or none.</summary>
    private async Task CheckVehiclesAsync(Guid checkpointId, List<PassageInput?> rows, FieldErrors errors, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r!.VehicleId).OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0) return;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = await db.Vehicles.AsNoTracking().Where(v => ids.Contains(v.Id) && v.CheckpointId == checkpointId).Select(v => v.Id).ToListAsync(cancellationToken);
        for (var i = 0; i < rows.Count; i++)
            if (rows[i]!.VehicleId is { } vehicle && !known.Contains(vehicle)) errors.Add($"Passages[{i}].VehicleId", l["Error.VehicleNotFound"]);
    }

    private IEnumerable<object> Effects(Checkpoint checkpoint, Subject subject, Passage passage, CheckpointDecision decision, string? number, Caller caller,
        DateTime now, PassageKind kind)
    {
        if (!decision.Alerts) yield break;
        var community = subject.Community ?? checkpoint.CommunityCode;
        var grid = subject.Community is null ? checkpoint.GridId : subject.Grid;
        var name = subject.Name ?? l["Visitor.Unnamed"];
        var fever = decision.Reasons.FirstOrDefault(r => r.OpensFeverReferral);
        WorkOrder? order = null;
        if (fever is not null && number is not null)
        {
            order = new WorkOrder
            {
                Number = number, Source = WorkOrderSource.FeverReferral, Need = UrgentNeed.MedicalCare,
                Title = Truncate(l["Referral.Title", name, fever.Detail ?? "", checkpoint.Name], 100),
                SubjectKind = subject.PersonId is null ? WorkOrderSubject.None : WorkOrderSubject.Person, PersonId = subject.PersonId,
                HouseholdId = subject.HouseholdId, CommunityCode = community, GridId = grid, AssigneeGridId = grid,
                DueAt = now + ReferralTimeLimit, Status = grid is null ? WorkOrderStatus.Pending : WorkOrderStatus.Assigned,
                CreatedBy = caller.AccountId, CreatedAt = now, UpdatedAt = now,
            };
            yield return order;
            yield return new WorkOrderEvent { WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Created, AccountId = caller.AccountId, Actor = caller.Name };
            if (grid is not null)
                yield return new WorkOrderEvent { WorkOrderId = order.Id, At = now, Kind = WorkOrderEventKind.Assigned, AccountId = caller.AccountId, Actor = caller.Name };
        }
        var stops = decision.Reasons.Where(r => r.Alerts && !r.OpensFeverReferral).Select(r => l[$"Reason.{r.Code}"].Value).ToList();
        var title = fever is not null
            ? l["Alert.Fever", name, fever.Detail ?? "", checkpoint.Name, number ?? ""].Value
            : l["Alert.Stop", name, string.Join("、", stops), checkpoint.Name, l[$"Direction.{kind}"]].Value;
        yield return new Alert
        {
            Kind = fever is not null ? AlertKind.FeverOrSymptoms : AlertKind.CheckpointStop, CommunityCode = community, GridId = grid,
            PersonId = subject.PersonId, WorkOrderId = order?.Id, SubjectId = passage.Id, Title = Truncate(title, 200), CreatedAt = now,
        };
    }

    /// <summary>Effects are made on the writer's loop: their titles are in the language of the request that recorded them.</summary>
    private static List<object> InCulture(CultureInfo culture, Func<List<object>> make)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            return make();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
