using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Checkpoints;
using Shouwang.Domain.People;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Arrivals;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Checkpoints;

public sealed record ScanInput(string? Input, PassageKind? Kind);

public sealed record PassView(int Allowed, int Used, string WindowFirstDay, string WindowLastDay, int OpenTrips, int MaxHoursOut);

public sealed record VisitorView(DocumentType DocumentType, string DocumentNumber, string? Name, string Phone, string? OriginCode, string? OriginName,
    string? Reason, string? Destination);

public sealed record ScanResult
{
    public bool Found { get; init; }
    public PassageSource Source { get; init; }
    public Guid? PersonId { get; init; }
    public Guid? HouseholdId { get; init; }
    public Guid? VisitorId { get; init; }
    public string? NameMasked { get; init; }
    public string? DocumentMasked { get; init; }
    public string? Address { get; init; }
    public int? HouseholdSize { get; init; }
    public bool LivesHere { get; init; }
    public StatusColour Colour { get; init; }
    public IReadOnlyList<string> ColourReasons { get; init; } = [];
    public PassageVerdict Verdict { get; init; }
    public IReadOnlyList<ReasonView> Reasons { get; init; } = [];
    public PassView? Pass { get; init; }
    public decimal FeverThreshold { get; init; }
    public bool AskOrigin { get; init; }
    public VisitorView? Visitor { get; init; }
    public required string Ticket { get; init; }
}

/// <summary>
/// 扫码: who is at the gate and what the rules say, before the operator measures and confirms. Read-only and quick: one query
/// for the checkpoint, a few batched ones for the facts; a ticket carries the decision to the confirming passage.
/// </summary>
public sealed class ScanCheckpoint(IDbContextFactory<AppDbContext> dbFactory, ScanSubjects subjects, CheckpointFacts facts, CodeSigner signer,
    LocalClock clock, IStringLocalizer<CheckpointsResource> l)
{
    public async Task<Outcome<ScanResult>> HandleAsync(Guid checkpointId, ScanInput input, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        if (input.Kind is not (PassageKind.Entry or PassageKind.Exit)) errors.Add(nameof(input.Kind), l["Error.KindEntryOrExit"]);
        if (string.IsNullOrWhiteSpace(input.Input)) errors.Add(nameof(input.Input), l["Error.InputRequired"]);
        if (errors.Any) return errors.ToOutcome<ScanResult>();

        var checkpoint = await CheckpointsQuery.FindAsync(dbFactory, checkpointId, cancellationToken);
        if (checkpoint is null) return new Outcome<ScanResult>.NotFound(l["Error.CheckpointNotFound"]);
        // A closed post scans nobody new; what devices recorded there before it closed still syncs (passages are accepted).
        if (!checkpoint.IsActive) return new Outcome<ScanResult>.Conflict(l["Error.CheckpointInactive"]);
        var (subject, error) = (await subjects.ResolveAsync([input.Input], cancellationToken))[0];
        if (subject is null)
        {
            errors.Add(nameof(input.Input), InputError(l, error!.Value));
            return errors.ToOutcome<ScanResult>();
        }
        var result = await ScanAsync(checkpoint, subject, input.Kind!.Value, cancellationToken);
        if (result is null)
        {
            errors.Add(nameof(input.Input), InputError(l, ScanInputError.InvalidCode));
            return errors.ToOutcome<ScanResult>();
        }
        return result;
    }

    public static string InputError(IStringLocalizer<CheckpointsResource> l, ScanInputError error) => l[$"Error.Input.{error}"];

    private async Task<ScanResult?> ScanAsync(Checkpoint checkpoint, ScanSubject subject, PassageKind kind, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var now = clock.UtcNow;
        var settings = CheckpointSettings.Of(checkpoint);
        var leaving = kind == PassageKind.Exit;

        if (subject.PersonId is { } personId)
        {
            if (!(await facts.ForPersonsAsync(checkpoint, [personId], today, householdSizes: true, cancellationToken)).TryGetValue(personId, out var person))
                return null;
            var usedUp = leaving && person.Pass is { UsedUp: true } p ? p.UsedUpFact : null;
            var decision = CheckpointRules.Decide(settings, person.Facts, kind, new Observation(null, null), usedUp);
            var ticket = new ScanTicket(checkpoint.Id, kind, subject.Source, person.PersonId, person.HouseholdId, null, person.Facts.LivesHere,
                person.Facts.VaccinationDoses, null, Sealable(decision), now, person.CommunityCode, person.GridId, PersonName.Mask(person.Name), TicketPass.Of(person.Pass));
            return new ScanResult
            {
                Found = true, Source = subject.Source, PersonId = person.PersonId, HouseholdId = person.HouseholdId,
                NameMasked = PersonName.Mask(person.Name), DocumentMasked = DocumentNumber.Mask(person.DocumentNumber), Address = person.Address,
                HouseholdSize = person.HouseholdId is null ? null : person.HouseholdSize, LivesHere = person.Facts.LivesHere,
                Colour = person.Facts.Colour, ColourReasons = person.Facts.ColourReasons, Verdict = decision.Verdict, Reasons = ReasonView.From(decision.Reasons, l),
                Pass = PassViewOf(person.Pass), FeverThreshold = checkpoint.FeverThreshold, Ticket = await ticket.SealAsync(signer, cancellationToken),
            };
        }

        if (subject.HouseholdId is { } householdId)
        {
            if (await facts.ForHouseholdAsync(checkpoint, householdId, today, cancellationToken) is not { } household) return null;
            var usedUp = leaving && household.Pass is { UsedUp: true } p ? p.UsedUpFact : null;
            var decision = CheckpointRules.Decide(settings, household.Facts, kind, new Observation(null, null), usedUp);
            var ticket = new ScanTicket(checkpoint.Id, kind, subject.Source, null, household.Id, null, household.LivesHere, null, null, Sealable(decision), now,
                household.CommunityCode, household.GridId, null, TicketPass.Of(household.Pass));
            return new ScanResult
            {
                Found = true, Source = PassageSource.PassCard, HouseholdId = household.Id, Address = household.Address, HouseholdSize = household.Size,
                LivesHere = household.LivesHere, Colour = StatusColour.Green, Verdict = decision.Verdict, Reasons = ReasonView.From(decision.Reasons, l),
                Pass = PassViewOf(household.Pass), FeverThreshold = checkpoint.FeverThreshold, Ticket = await ticket.SealAsync(signer, cancellationToken),
            };
        }

        // Not in the registry: perhaps a visitor seen before, by document or phone.
        Visitor? known;
        using (CallerContext.AsSystem())
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var visitors = db.Visitors.AsNoTracking();
            known = subject.DocumentNumber is { } number
                ? await visitors.Where(v => v.DocumentType == DocumentType.ResidentIdCard && v.DocumentNumber == number).OrderByDescending(v => v.UpdatedAt).FirstOrDefaultAsync(cancellationToken)
                : await visitors.Where(v => v.Phone == subject.Phone).OrderByDescending(v => v.UpdatedAt).FirstOrDefaultAsync(cancellationToken);
        }
        var origin = known?.OriginCode is { } code ? (await facts.OriginRisksAsync(checkpoint, [code], today, cancellationToken)).GetValueOrDefault(code) : null;
        var visitorFacts = CheckpointFacts.VisitorFacts(origin, null);
        var visitorDecision = CheckpointRules.Decide(settings, visitorFacts, kind, new Observation(null, null));
        var key = known?.DocumentNumber is { } doc ? ScanSubjects.VisitorKey(known.DocumentType, doc)
            : subject.DocumentNumber is { } typed ? ScanSubjects.VisitorKey(DocumentType.ResidentIdCard, typed) : null;
        var visitorTicket = new ScanTicket(checkpoint.Id, kind, PassageSource.Visitor, null, null, key, false, null, known?.OriginCode,
            Sealable(visitorDecision), now, null, null, null, null);
        return new ScanResult
        {
            Found = false, Source = PassageSource.Visitor, VisitorId = known?.Id, NameMasked = known?.Name is { } n ? PersonName.Mask(n) : null,
            DocumentMasked = (known?.DocumentNumber ?? subject.DocumentNumber) is { } d ? DocumentNumber.Mask(d) : null,
            Colour = StatusColour.Green, Verdict = visitorDecision.Verdict, Reasons = ReasonView.From(visitorDecision.Reasons, l),
            FeverThreshold = checkpoint.FeverThreshold, AskOrigin = true,
            // Masked like everyone at a gate; why they came and where to only at the committee that registered them.
            Visitor = known is null ? null : new VisitorView(known.DocumentType, known.DocumentNumber is { } v ? DocumentNumber.Mask(v) : "",
                known.Name is { } name ? PersonName.Mask(name) : null, PhoneNumber.Mask(known.Phone), known.OriginCode, Origins.FullName(known.OriginCode),
                known.CommunityCode == checkpoint.CommunityCode ? known.Reason : null, known.CommunityCode == checkpoint.CommunityCode ? known.Destination : null),
            Ticket = await visitorTicket.SealAsync(signer, cancellationToken),
        };
    }

    /// <summary>The quota is the writer's to enforce at commit; the ticket keeps every other reason.</summary>
    private static List<DecisionReason> Sealable(CheckpointDecision decision) => decision.Reasons.Where(r => r.Code != ReasonCode.PassUsedUp).ToList();


    private static PassView? PassViewOf(PassState? pass) => pass is null ? null
        : new PassView(pass.Allowed, pass.Used, pass.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            pass.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), pass.OpenTrips, pass.MaxHoursOut);
}

/// <summary>The checkpoint row a gate works at, read in the caller's scope (outside it: not found).</summary>
public static class CheckpointsQuery
{
    public static async Task<Checkpoint?> FindAsync(IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Checkpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
    }
}
