using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.Measures;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Checkpoints;
using Shouwang.Web.Features.RiskAreas;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

public sealed record SampleInput
{
    public Guid Id { get; init; }
    public string? TubeBarcode { get; init; }
    /// <summary>The scanned person code, or a typed ID number or mobile number.</summary>
    public string? Input { get; init; }
    public DateTimeOffset At { get; init; }
    public bool Offline { get; init; }
}

public sealed record SamplesInput(List<SampleInput?>? Samples);

public enum SampleWarning { AlreadySampled, OutOfScope, Exempt, UnderMeasure, SingleTubeRequired }

public sealed record WarningView(SampleWarning Code, string Label);

public sealed record SampleResult(
    Guid Id, bool Duplicate, Guid PersonId, string Name, string TubeBarcode, int TubeCount, int TubeCapacity, bool TubeSealed, IReadOnlyList<WarningView> Warnings);

public sealed record SamplesResult(IReadOnlyList<SampleResult> Results);

/// <summary>
/// 采样: a device's scans (one, or its whole offline queue) into open tubes. Each names a registered person (code, ID or phone,
/// read by the checkpoints' <see cref="ScanSubjects"/>); all the request's facts are read in a handful of queries whatever its
/// size, and the samples are committed through <see cref="SampleWriter"/>. Warnings never refuse a sample (the swab is taken):
/// they tell the sampler to remove or move it.
/// </summary>
public sealed class RecordSamples(IDbContextFactory<AppDbContext> dbFactory, ScanSubjects subjects, SampleWriter writer, LocalClock clock,
    IStringLocalizer<SamplingResource> l)
{
    public const int MaxSamples = 500;

    private sealed record TubeFacts(Tube Tube, TestingRound Round, long SiteCode, bool Assigned);

    /// <param name="UnderMeasure">A control measure in force today.</param>
    /// <param name="Quarantined">One of them a quarantine (single tube required).</param>
    private sealed record PersonFacts(Guid Id, string DocumentNumber, string Name, long CommunityCode, Guid? GridId, Guid? HouseholdId, ResidenceType ResidenceType,
        DateOnly? BirthDate, bool UnderMeasure = false, bool Quarantined = false);

    private static IQueryable<PersonFacts> Facts(AppDbContext db, DateOnly today, IQueryable<Person> persons) =>
        persons.Select(p => new PersonFacts(p.Id, p.DocumentNumber, p.Name, p.CommunityCode, p.GridId, p.HouseholdId, p.ResidenceType, p.BirthDate,
            db.ControlMeasures.Any(m => m.PersonId == p.Id && m.State == MeasureState.Active && m.StartDay <= today && today <= m.EndDay),
            db.ControlMeasures.Any(m => m.PersonId == p.Id && m.State == MeasureState.Active && m.StartDay <= today && today <= m.EndDay
                && (m.Kind == MeasureKind.CentralisedQuarantine || m.Kind == MeasureKind.HomeQuarantine))));

    public async Task<Outcome<SamplesResult>> HandleAsync(SamplesInput input, CancellationToken ct = default)
    {
        var caller = CallerContext.Current;
        var errors = new FieldErrors();
        var rows = input.Samples;
        if (rows is null || rows.Count is 0 or > MaxSamples)
        {
            errors.Add("Samples", l["Error.SamplesRequired"]);
            return errors.ToOutcome<SamplesResult>();
        }
        var now = clock.UtcNow;
        var nowOffset = new DateTimeOffset(now, TimeSpan.Zero);
        for (var i = 0; i < rows.Count; i++)
        {
            var field = $"Samples[{i}].";
            if (rows[i] is not { } row) { errors.Add($"Samples[{i}]", l["Error.SampleRequired"]); continue; }
            if (row.Id == Guid.Empty) errors.Add(field + nameof(row.Id), l["Error.IdRequired"]);
            if (row.At == default || row.At > nowOffset + RecordPassages.MaxFuture || row.At < nowOffset - RecordPassages.MaxAge)
                errors.Add(field + nameof(row.At), l["Error.AtRange"]);
            if (string.IsNullOrWhiteSpace(row.TubeBarcode)) errors.Add(field + nameof(row.TubeBarcode), l["Error.BarcodeRequired"]);
            else if (row.TubeBarcode.Trim().Length > Tubes.BarcodeLength) errors.Add(field + nameof(row.TubeBarcode), l["Error.BarcodeTooLong"]);
            if (string.IsNullOrWhiteSpace(row.Input)) errors.Add(field + nameof(row.Input), l["Error.Input.Required"]);
        }
        if (errors.Any) return errors.ToOutcome<SamplesResult>();

        using var system = CallerContext.AsSystem();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);

        // 1. Tubes, their sites and rounds: may the caller put people in them?
        var barcodes = rows.Select(r => r!.TubeBarcode!.Trim()).Distinct().ToList();
        var account = caller.AccountId;
        var tubes = await (from t in db.Tubes.AsNoTracking()
                           where EF.Parameter(barcodes).Contains(t.Barcode)
                           join s in db.SamplingSites on t.SiteId equals s.Id
                           join r in db.TestingRounds on t.RoundId equals r.Id
                           select new TubeFacts(t, r, s.CommunityCode, db.SamplingSiteStaff.Any(x => x.SiteId == t.SiteId && x.AccountId == account)))
            .ToDictionaryAsync(t => t.Tube.Barcode, ct);
        var roundIds = tubes.Values.Select(t => t.Tube.RoundId).Distinct().ToList();
        var rounds = tubes.Values.Select(t => t.Round).DistinctBy(r => r.Id).ToDictionary(r => r.Id);
        var scopes = (await db.TestingRoundScopes.AsNoTracking().Where(s => EF.Parameter(roundIds).Contains(s.RoundId)).ToListAsync(ct)).ToLookup(s => s.RoundId);
        var manages = caller.Can(Permission.ManageTesting);
        var tubeOf = new Tube?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var field = $"Samples[{i}].TubeBarcode";
            if (!tubes.TryGetValue(rows[i]!.TubeBarcode!.Trim(), out var facts) || !(facts.Assigned || caller.Covers(facts.SiteCode)))
            {
                errors.Add(field, l["Error.TubeNotFound"]);
                continue;
            }
            if (!facts.Assigned && !manages) return new Outcome<SamplesResult>.Forbidden(l["Error.NotAssigned"]);
            if (facts.Round.State != RoundState.Open) errors.Add(field, l["Error.RoundNotOpen"]);
            else if (facts.Tube.State != TubeState.Open) errors.Add(field, l["Error.TubeNotOpen"]);
            tubeOf[i] = facts.Tube;
        }
        if (errors.Any) return errors.ToOutcome<SamplesResult>();

        // 2. Whom each scan names, with what the round needs to know about them (where they live, measures in force). An ID number,
        // what samplers mostly type, is read with the person's facts in one query; codes and phones go through ScanSubjects first.
        var today = clock.Today();
        var numbers = rows.Select(r => ScanSubjects.IdNumberOf(r!.Input)).ToArray();
        var others = Enumerable.Range(0, rows.Count).Where(i => numbers[i] is null).ToList();
        var resolved = others.Count == 0 ? [] : await subjects.ResolveAsync(others.Select(i => rows[i]!.Input).ToList(), db, ct);
        var wanted = numbers.OfType<string>().Distinct().ToList();
        var byNumber = wanted.Count == 0
            ? []
            : await Facts(db, today, db.Persons.AsNoTracking().Where(p => EF.Parameter(wanted).Contains(p.DocumentNumber) && p.DocumentType == DocumentType.ResidentIdCard))
                .ToDictionaryAsync(p => p.DocumentNumber, ct);
        var ids = resolved.Select(r => r.Subject?.PersonId).OfType<Guid>().Distinct().ToList();
        var byId = ids.Count == 0 ? [] : await Facts(db, today, db.Persons.AsNoTracking().Where(p => EF.Parameter(ids).Contains(p.Id))).ToDictionaryAsync(p => p.Id, ct);
        var personOf = new PersonFacts?[rows.Count];
        for (var k = 0; k < others.Count; k++)
        {
            var (subject, error) = resolved[k];
            var field = $"Samples[{others[k]}].Input";
            if (error is { } e) errors.Add(field, l[$"Error.Input.{e}"]);
            else if (subject!.PersonId is not { } id) errors.Add(field, l[subject.Source == PassageSource.PassCard ? "Error.Input.NotAPerson" : "Error.Input.NotRegistered"]);
            else if (byId.TryGetValue(id, out var facts)) personOf[others[k]] = facts;
            else errors.Add(field, l["Error.Input.NotRegistered"]);
        }
        for (var i = 0; i < rows.Count; i++)
        {
            if (numbers[i] is not { } number) continue;
            if (byNumber.TryGetValue(number, out var facts)) personOf[i] = facts;
            else errors.Add($"Samples[{i}].Input", l["Error.Input.NotRegistered"]);
        }
        if (errors.Any) return errors.ToOutcome<SamplesResult>();

        // 3. The round's exemptions and designated areas for them.
        var persons = personOf.OfType<PersonFacts>().DistinctBy(p => p.Id).ToDictionary(p => p.Id);
        var personIds = persons.Keys.ToList();
        var exempt = (await db.RoundExemptions.AsNoTracking().Where(e => EF.Parameter(roundIds).Contains(e.RoundId) && EF.Parameter(personIds).Contains(e.PersonId))
            .Select(e => new { e.RoundId, e.PersonId }).ToListAsync(ct)).Select(e => (e.RoundId, e.PersonId)).ToHashSet();
        var covers = await RiskAreaCover.ForResidentsAsync(db, persons.Values.Select(p => new RiskAreaCover.Resident(p.Id, p.CommunityCode, p.HouseholdId)).ToList(), ct);

        // The reads end before the wait on the writer (see ReadSnapshot).
        await snapshot.DisposeAsync();

        // 4. Write, then answer with what was stored.
        var samples = new List<Sample>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i]!;
            var person = personOf[i]!;
            samples.Add(new Sample
            {
                Id = row.Id, RoundId = tubeOf[i]!.RoundId, TubeId = tubeOf[i]!.Id, PersonId = person.Id,
                CommunityCode = person.CommunityCode, GridId = person.GridId, HouseholdId = person.HouseholdId,
                SampledAt = row.At.UtcDateTime, SamplerId = caller.AccountId, SamplerName = caller.Name, WasOffline = row.Offline,
            });
        }
        var written = await writer.WriteAsync(samples, CancellationToken.None);
        if (written.Written is not { } stored)
        {
            foreach (var (index, reason, capacity) in written.Refused)
                errors.Add($"Samples[{index}].TubeBarcode", reason == TubeRefusal.Full ? l["Error.TubeFull", capacity] : l["Error.TubeNotOpen"]);
            return errors.ToOutcome<SamplesResult>();
        }

        // A duplicate may name another person than this request's scan (the first send was read then): its facts may be missing.
        var missing = stored.Select(w => w.PersonId).Where(p => !persons.ContainsKey(p)).Distinct().ToList();
        if (missing.Count > 0)
            foreach (var p in await db.Persons.AsNoTracking().Where(p => missing.Contains(p.Id))
                .Select(p => new PersonFacts(p.Id, p.DocumentNumber, p.Name, p.CommunityCode, p.GridId, p.HouseholdId, p.ResidenceType, p.BirthDate)).ToListAsync(ct))
                persons[p.Id] = p;
        // A label per warning kind, looked up once per request rather than once per sample.
        var labels = new Dictionary<SampleWarning, WarningView>();
        WarningView View(SampleWarning code) => labels.TryGetValue(code, out var view) ? view : labels[code] = new WarningView(code, l[$"Warning.{code}"]);
        return new SamplesResult(stored.Select(w =>
        {
            var warnings = new List<SampleWarning>();
            var round = rounds.GetValueOrDefault(w.RoundId);
            var person = persons.GetValueOrDefault(w.PersonId);
            if (w.AlreadySampled) warnings.Add(SampleWarning.AlreadySampled);
            if (round is not null && person is not null)
            {
                if (!InScope(round, scopes[round.Id], person, today)) warnings.Add(SampleWarning.OutOfScope);
                if (exempt.Contains((round.Id, person.Id))) warnings.Add(SampleWarning.Exempt);
            }
            if (person is { UnderMeasure: true }) warnings.Add(SampleWarning.UnderMeasure);
            var singleTube = covers.GetValueOrDefault(w.PersonId) is { SingleTubeSampling: true } || person is { Quarantined: true };
            if (singleTube && w.TubeCapacity > 1) warnings.Add(SampleWarning.SingleTubeRequired);
            return new SampleResult(w.Id, w.Duplicate, w.PersonId, person is null ? "" : PersonName.Mask(person.Name), w.TubeBarcode, w.TubeCount, w.TubeCapacity,
                w.TubeSealed, warnings.Select(View).ToList());
        }).ToList());
    }

    /// <summary>The rule of <see cref="Rounds.InScope"/>, on facts already read.</summary>
    private static bool InScope(TestingRound round, IEnumerable<TestingRoundScope> scopes, PersonFacts person, DateOnly today) =>
        scopes.Any(s => person.CommunityCode >= s.Min && person.CommunityCode <= s.Max)
        && round.Requires(person.ResidenceType)
        && (round.InfantsUnderYears is not ({ } years and > 0) || person.BirthDate is null || person.BirthDate <= today.AddYears(-years));
}
