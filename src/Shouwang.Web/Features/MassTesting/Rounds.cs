using System.Linq.Expressions;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

/// <param name="Scope">Division codes of the nodes to test (any level), each within the caller's jurisdiction.</param>
/// <param name="RequiredResidenceTypes">Residence types to sample; empty or absent: all.</param>
/// <param name="InfantsUnderYears">Children younger than this are not required (0–6); null: nobody by age.</param>
public sealed record RoundInput(
    string? Name, DateTime? StartsAt, DateTime? EndsAt, int? PoolSize, List<string>? Scope,
    List<ResidenceType>? RequiredResidenceTypes, int? InfantsUnderYears);

public sealed record ScopeNode(string Code, string? Name);

public sealed record RoundItem(
    Guid Id, string Name, DateTime StartsAt, DateTime EndsAt, int PoolSize, RoundState State,
    IReadOnlyList<ResidenceType> RequiredResidenceTypes, int? InfantsUnderYears, IReadOnlyList<ScopeNode> Scope,
    string CreatedByName, DateTime CreatedAt);

/// <param name="Required">People to sample now (in scope, residence type required, old enough, not exempt), within the caller's jurisdiction.</param>
/// <param name="SingleTube">Of the required, those living in an active lockdown or controlled area: sampled one tube each.</param>
public sealed record RoundDetails(RoundItem Round, int Required, int Exempt, int SingleTube);

public sealed record ExemptionInput(Guid? PersonId, ExemptionReason? Reason, string? Note);

public sealed record ExemptionItem(
    Guid PersonId, string Name, string DocumentNumber, string CommunityCode, ExemptionReason Reason, string? Note, string ByName, DateTime At);

public sealed record PoolRow(int Size, double TestsPerPerson, bool Recommended, int? Tubes);

public sealed record PoolingAdvice(double PositiveRate, IReadOnlyList<PoolRow> Options, int OptimalSize, int? Required);

public sealed record PositiveRate(double Rate, int Sampled, int Positive, DateTime Since);

public sealed class Rounds(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<MassTestingResource> l)
{
    public static readonly int[] PoolSizes = [1, 5, 10, 20];
    private static readonly ResidenceType[] AllTypes = Enum.GetValues<ResidenceType>();

    public async Task<Outcome<RoundDetails>> CreateAsync(RoundInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (errors, nodes) = await ValidateAsync(db, input, ct);
        if (errors.Any) return errors.ToOutcome<RoundDetails>();
        var now = clock.UtcNow;
        var round = new TestingRound
        {
            Name = input.Name!.Trim(), CreatedBy = db.Caller.AccountId, CreatedByName = db.Caller.Name, CreatedAt = now, UpdatedAt = now,
        };
        Apply(round, input);
        db.TestingRounds.Add(round);
        db.TestingRoundScopes.AddRange(nodes.Select(n => ScopeRow(round.Id, n)));
        await db.SaveChangesAsync(ct);
        return await DetailsAsync(db, round, ct);
    }

    public async Task<Outcome<RoundDetails>> UpdateAsync(Guid id, RoundInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.TestingRounds.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return new Outcome<RoundDetails>.NotFound(l["Error.RoundNotFound"]);
        if (await CheckWholeScopeAsync(db, id, ct) is { } forbidden) return forbidden;
        if (round.State == RoundState.Closed) return new Outcome<RoundDetails>.Conflict(l["Error.RoundClosed"]);
        var (errors, nodes) = await ValidateAsync(db, input, ct);
        if (errors.Any) return errors.ToOutcome<RoundDetails>();
        round.Name = input.Name!.Trim();
        Apply(round, input);
        round.UpdatedAt = clock.UtcNow;
        var old = await db.TestingRoundScopes.IgnoreQueryFilters().Where(s => s.RoundId == id).ToListAsync(ct);
        var wanted = nodes.Select(n => n.Value).ToHashSet();
        db.TestingRoundScopes.RemoveRange(old.Where(s => !wanted.Contains(s.NodeCode)));
        db.TestingRoundScopes.AddRange(nodes.Where(n => old.All(s => s.NodeCode != n.Value)).Select(n => ScopeRow(id, n)));
        await db.SaveChangesAsync(ct);
        return await DetailsAsync(db, round, ct);
    }

    public async Task<Outcome<RoundDetails>> ChangeStateAsync(Guid id, RoundState to, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.TestingRounds.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return new Outcome<RoundDetails>.NotFound(l["Error.RoundNotFound"]);
        if (await CheckWholeScopeAsync(db, id, ct) is { } forbidden) return forbidden;
        var allowed = (round.State, to) is (RoundState.Planned, RoundState.Open) or (RoundState.Open, RoundState.Closed) or (RoundState.Planned, RoundState.Closed);
        if (!allowed) return new Outcome<RoundDetails>.Conflict(l["Error.StateChange"]);
        round.State = to;
        round.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(ct);
        return await DetailsAsync(db, round, ct);
    }

    public async Task<Paged<RoundItem>> SearchAsync(int? page, int? pageSize, CancellationToken ct = default)
    {
        var (p, size) = Paging.Clamp(page, pageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rounds = db.TestingRounds.AsNoTracking();
        var total = await rounds.CountAsync(ct);
        var rows = await rounds.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        var scopes = await ScopesAsync(db, rows.Select(r => r.Id).ToList(), ct);
        return new Paged<RoundItem>(rows.Select(r => ToItem(r, scopes.GetValueOrDefault(r.Id) ?? [])).ToList(), total, p, size);
    }

    public async Task<Outcome<RoundDetails>> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.TestingRounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return new Outcome<RoundDetails>.NotFound(l["Error.RoundNotFound"]);
        return await DetailsAsync(db, round, ct);
    }

    public async Task<Outcome<ExemptionItem>> ExemptAsync(Guid id, ExemptionInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.TestingRounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return new Outcome<ExemptionItem>.NotFound(l["Error.RoundNotFound"]);
        var errors = new FieldErrors();
        if (input.PersonId is null) errors.Add("personId", l["Error.PersonRequired"]);
        if (input.Reason is null || !Enum.IsDefined(input.Reason.Value)) errors.Add("reason", l["Error.ReasonRequired"]);
        var note = input.Note?.Trim();
        if (note is { Length: > 200 }) errors.Add("note", l["Error.NoteTooLong"]);
        if (input.Reason == ExemptionReason.Other && string.IsNullOrEmpty(note)) errors.Add("note", l["Error.NoteRequired"]);
        if (errors.Any) return errors.ToOutcome<ExemptionItem>();
        if (round.State == RoundState.Closed) return new Outcome<ExemptionItem>.Conflict(l["Error.RoundClosed"]);
        var person = await db.Persons.AsNoTracking().FirstOrDefaultAsync(p => p.Id == input.PersonId, ct);
        if (person is null) return new Outcome<ExemptionItem>.NotFound(l["Error.PersonNotFound"]);
        var inRound = await db.TestingRoundScopes.IgnoreQueryFilters()
            .AnyAsync(s => s.RoundId == id && person.CommunityCode >= s.Min && person.CommunityCode <= s.Max, ct);
        if (!inRound)
        {
            errors.Add("personId", l["Error.PersonOutsideRound"]);
            return errors.ToOutcome<ExemptionItem>();
        }
        if (await db.RoundExemptions.IgnoreQueryFilters().AnyAsync(e => e.RoundId == id && e.PersonId == person.Id, ct))
            return new Outcome<ExemptionItem>.Conflict(l["Error.AlreadyExempt"]);
        var exemption = new RoundExemption
        {
            RoundId = id, PersonId = person.Id, CommunityCode = person.CommunityCode, GridId = person.GridId, Reason = input.Reason!.Value,
            Note = string.IsNullOrEmpty(note) ? null : note, By = db.Caller.AccountId, ByName = db.Caller.Name, At = clock.UtcNow,
        };
        db.RoundExemptions.Add(exemption);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new Outcome<ExemptionItem>.Conflict(l["Error.AlreadyExempt"]);
        }
        return ToExemptionItem(exemption, person);
    }

    public async Task<Outcome<bool>> RemoveExemptionAsync(Guid id, Guid personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.TestingRounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return new Outcome<bool>.NotFound(l["Error.RoundNotFound"]);
        var exemption = await db.RoundExemptions.FirstOrDefaultAsync(e => e.RoundId == id && e.PersonId == personId, ct);
        if (exemption is null) return new Outcome<bool>.NotFound(l["Error.ExemptionNotFound"]);
        if (round.State == RoundState.Closed) return new Outcome<bool>.Conflict(l["Error.RoundClosed"]);
        db.RoundExemptions.Remove(exemption);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<Outcome<Paged<ExemptionItem>>> ExemptionsAsync(Guid id, int? page, int? pageSize, CancellationToken ct = default)
    {
        var (p, size) = Paging.Clamp(page, pageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.TestingRounds.AnyAsync(r => r.Id == id, ct)) return new Outcome<Paged<ExemptionItem>>.NotFound(l["Error.RoundNotFound"]);
        var exemptions = db.RoundExemptions.AsNoTracking().Where(e => e.RoundId == id);
        var total = await exemptions.CountAsync(ct);
        var rows = await (from e in exemptions
                          join person in db.Persons.IgnoreQueryFilters() on e.PersonId equals person.Id
                          orderby e.At descending, e.Id
                          select new { e, person }).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<ExemptionItem>(rows.Select(r => ToExemptionItem(r.e, r.person)).ToList(), total, p, size);
    }

    public async Task<Outcome<PoolingAdvice>> AdviseAsync(string? positiveRate, Guid? roundId, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (!double.TryParse(positiveRate, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || double.IsNaN(rate) || rate is < 0 or > 1)
            errors.Add("positiveRate", l["Error.PositiveRate"]);
        if (errors.Any) return errors.ToOutcome<PoolingAdvice>();
        int? required = null;
        if (roundId is { } id)
        {
            var details = await GetAsync(id, ct);
            if (details is not Outcome<RoundDetails>.Success s) return new Outcome<PoolingAdvice>.NotFound(l["Error.RoundNotFound"]);
            required = s.Value.Required;
        }
        var rows = Pooling.Advise(rate)
            .Select(o => new PoolRow(o.Size, Math.Round(o.TestsPerPerson, 3), o.Recommended, required is { } n ? Pooling.TubesFor(n, o.Size) : null))
            .ToList();
        return new PoolingAdvice(rate, rows, Pooling.OptimalSize(rate), required);
    }

    public async Task<Outcome<PositiveRate>> RecentPositiveRateAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.TestingRounds.AnyAsync(r => r.Id == id, ct)) return new Outcome<PositiveRate>.NotFound(l["Error.RoundNotFound"]);
        var since = clock.UtcNow.AddDays(-7);
        var samples = db.Samples.AsNoTracking()
            .Where(s => s.RemovedAt == null && s.SampledAt >= since
                && db.TestingRoundScopes.Any(r => r.RoundId == id && s.CommunityCode >= r.Min && s.CommunityCode <= r.Max));
        var sampled = await samples.Select(s => s.PersonId).Distinct().CountAsync(ct);
        var positive = await samples.Where(s => db.Tubes.Any(t => t.Id == s.TubeId && t.Result == TubeResult.Positive))
            .Select(s => s.PersonId).Distinct().CountAsync(ct);
        return new PositiveRate(sampled == 0 ? 0 : (double)positive / sampled, sampled, positive, since);
    }

    /// <summary>Names of division codes as typed (for the console's scope picker); unknown codes are left out.</summary>
    public async Task<IReadOnlyList<ScopeNode>> NodesAsync(IEnumerable<string> codes, CancellationToken ct = default)
    {
        var wanted = codes.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct().Take(50).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Jurisdictions.IgnoreQueryFilters().Where(j => wanted.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, ct);
        return wanted.Select(c => new ScopeNode(c, names.GetValueOrDefault(c))).ToList();
    }

    /// <summary>
    /// People the round requires before exemptions: living in one of its scope ranges (and the caller's, by the context's filter),
    /// of a required residence type, and not younger than the infant age on <paramref name="today"/> (unknown birth dates count).
    /// </summary>
    /// <param name="scopes">The round's scope ranges when the caller has read them: then they go into the SQL as ranges instead of a
    /// subquery per person, which the coverage summary over a million people notices.</param>
    public static IQueryable<Person> InScope(AppDbContext db, TestingRound round, DateOnly today, IReadOnlyList<(long Min, long Max)>? scopes = null)
    {
        var id = round.Id;
        var types = AllTypes.Where(round.Requires).ToList();
        // IgnoreQueryFilters anywhere in a query switches off every filter in it (EF applies it to the whole query), and
        // these queries need it for the round's own rows, so the caller's scope on the people is written out here.
        var (min, max) = db.ScopeRange;
        var grid = db.ScopeGrid;
        var persons = db.Persons.AsNoTracking()
            .Where(p => p.CommunityCode >= min && p.CommunityCode <= max && (grid == null || p.GridId == grid));
        persons = scopes is null
            ? persons.Where(p => db.TestingRoundScopes.IgnoreQueryFilters().Any(s => s.RoundId == id && p.CommunityCode >= s.Min && p.CommunityCode <= s.Max))
            : persons.Where(InRanges(scopes));
        persons = persons.Where(p => types.Contains(p.ResidenceType));
        if (round.InfantsUnderYears is { } years and > 0)
        {
            var bornBy = today.AddYears(-years);
            persons = persons.Where(p => p.BirthDate == null || p.BirthDate <= bornBy);
        }
        return persons;
    }

    /// <summary>A person's committee lies in one of the ranges (an empty list matches no one).</summary>
    private static Expression<Func<Person, bool>> InRanges(IReadOnlyList<(long Min, long Max)> ranges)
    {
        var person = Expression.Parameter(typeof(Person), "p");
        var code = Expression.Property(person, nameof(Person.CommunityCode));
        Expression body = Expression.Constant(false);
        foreach (var (low, high) in ranges)
            body = Expression.OrElse(body, Expression.AndAlso(
                Expression.GreaterThanOrEqual(code, Expression.Constant(low)), Expression.LessThanOrEqual(code, Expression.Constant(high))));
        return Expression.Lambda<Func<Person, bool>>(body, person);
    }

    public static async Task<List<(long Min, long Max)>> ScopeRangesAsync(AppDbContext db, Guid roundId, CancellationToken ct) =>
        (await db.TestingRoundScopes.IgnoreQueryFilters().Where(s => s.RoundId == roundId).OrderBy(s => s.Min)
            .Select(s => new { s.Min, s.Max }).ToListAsync(ct)).Select(s => (s.Min, s.Max)).ToList();

    public static IQueryable<Person> Required(AppDbContext db, TestingRound round, DateOnly today, IReadOnlyList<(long Min, long Max)>? scopes = null)
    {
        var id = round.Id;
        return InScope(db, round, today, scopes).Where(p => !db.RoundExemptions.IgnoreQueryFilters().Any(e => e.RoundId == id && e.PersonId == p.Id));
    }

    private async Task<Outcome<RoundDetails>> DetailsAsync(AppDbContext db, TestingRound round, CancellationToken ct)
    {
        var today = clock.Today();
        var id = round.Id;
        var inScope = InScope(db, round, today);
        var all = await inScope.CountAsync(ct);
        var required = Required(db, round, today);
        var requiredCount = await required.CountAsync(ct);
        var singleTube = await required.Where(p => db.RiskAreas.Any(a => a.State == RiskAreaState.Active
                && (a.Level == RiskAreaLevel.High || a.Level == RiskAreaLevel.Medium) && a.CommunityCode == p.CommunityCode
                && (a.Scope == RiskAreaScope.Community || db.Households.Any(h => h.Id == p.HouseholdId
                    && ((a.Scope == RiskAreaScope.Compound && h.CompoundId == a.CompoundId) || (a.Scope == RiskAreaScope.Building && h.BuildingId == a.BuildingId))))))
            .CountAsync(ct);
        var scopes = await ScopesAsync(db, [id], ct);
        return new RoundDetails(ToItem(round, scopes.GetValueOrDefault(id) ?? []), requiredCount, all - requiredCount, singleTube);
    }

    private static async Task<Dictionary<Guid, List<ScopeNode>>> ScopesAsync(AppDbContext db, List<Guid> ids, CancellationToken ct)
    {
        var rows = await (from s in db.TestingRoundScopes.IgnoreQueryFilters().AsNoTracking()
                          where ids.Contains(s.RoundId)
                          join j in db.Jurisdictions.IgnoreQueryFilters() on s.NodeCode equals j.Code into js
                          from j in js.DefaultIfEmpty()
                          orderby s.NodeCode
                          select new { s.RoundId, s.NodeCode, Name = j == null ? null : j.Name }).ToListAsync(ct);
        return rows.GroupBy(r => r.RoundId).ToDictionary(g => g.Key, g => g.Select(r => new ScopeNode(r.NodeCode, r.Name)).ToList());
    }

    /// <summary>Changing a round changes it for everyone in it, so only someone whose jurisdiction covers all its nodes may.</summary>
    private async Task<Outcome<RoundDetails>?> CheckWholeScopeAsync(AppDbContext db, Guid id, CancellationToken ct)
    {
        var ranges = await db.TestingRoundScopes.IgnoreQueryFilters().Where(s => s.RoundId == id).Select(s => new { s.Min, s.Max }).ToListAsync(ct);
        return ranges.All(r => r.Min >= db.Caller.ScopeMin && r.Max <= db.Caller.ScopeMax)
            ? null
            : new Outcome<RoundDetails>.Forbidden(l["Error.RoundBeyondScope"]);
    }

    private async Task<(FieldErrors Errors, List<JurisdictionCode> Nodes)> ValidateAsync(AppDbContext db, RoundInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("name", l["Error.NameRequired"]);
        else if (name.Length > 100) errors.Add("name", l["Error.NameTooLong"]);
        if (input.StartsAt is null) errors.Add("startsAt", l["Error.StartsAtRequired"]);
        if (input.EndsAt is null) errors.Add("endsAt", l["Error.EndsAtRequired"]);
        else if (input.StartsAt is { } starts && input.EndsAt is { } ends)
        {
            if (ends.ToUniversalTime() <= starts.ToUniversalTime()) errors.Add("endsAt", l["Error.EndsBeforeStarts"]);
            else if (ends.ToUniversalTime() - starts.ToUniversalTime() > TimeSpan.FromDays(7)) errors.Add("endsAt", l["Error.TooLong"]);
        }
        if (input.PoolSize is not { } size || !PoolSizes.Contains(size)) errors.Add("poolSize", l["Error.PoolSize"]);
        if (input.InfantsUnderYears is < 0 or > 6) errors.Add("infantsUnderYears", l["Error.InfantsUnderYears"]);
        var nodes = new List<JurisdictionCode>();
        var codes = (input.Scope ?? []).Select(c => c?.Trim() ?? "").Where(c => c.Length > 0).Distinct().ToList();
        if (codes.Count == 0) errors.Add("scope", l["Error.ScopeRequired"]);
        else if (codes.Count > 50) errors.Add("scope", l["Error.ScopeTooMany"]);
        else
        {
            var known = await db.Jurisdictions.IgnoreQueryFilters().Where(j => codes.Contains(j.Code)).Select(j => j.Code).ToListAsync(ct);
            foreach (var code in codes)
            {
                if (!JurisdictionCode.TryParse(code, out var parsed) || parsed is not { } node || !known.Contains(node.Value))
                    errors.Add("scope", string.Format(CultureInfo.CurrentCulture, l["Error.ScopeUnknown"], code));
                else if (!db.Caller.Covers(node))
                    errors.Add("scope", string.Format(CultureInfo.CurrentCulture, l["Error.ScopeOutside"], code));
                else nodes.Add(node);
            }
        }
        return (errors, nodes);
    }

    private static void Apply(TestingRound round, RoundInput input)
    {
        round.StartsAt = input.StartsAt!.Value.ToUniversalTime();
        round.EndsAt = input.EndsAt!.Value.ToUniversalTime();
        round.PoolSize = input.PoolSize!.Value;
        round.RequiredResidenceTypes = input.RequiredResidenceTypes is { Count: > 0 } types
            ? types.Aggregate(0, (bits, t) => bits | (1 << (int)t))
            : TestingRound.AllResidenceTypes;
        round.InfantsUnderYears = input.InfantsUnderYears;
    }

    private static TestingRoundScope ScopeRow(Guid roundId, JurisdictionCode node)
    {
        var (min, max) = node.SubtreeRange;
        return new TestingRoundScope { RoundId = roundId, NodeCode = node.Value, Min = min, Max = max };
    }

    private static RoundItem ToItem(TestingRound r, IReadOnlyList<ScopeNode> scope) => new(
        r.Id, r.Name, DateTime.SpecifyKind(r.StartsAt, DateTimeKind.Utc), DateTime.SpecifyKind(r.EndsAt, DateTimeKind.Utc), r.PoolSize, r.State,
        AllTypes.Where(r.Requires).ToList(), r.InfantsUnderYears, scope, r.CreatedByName, DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc));

    private static ExemptionItem ToExemptionItem(RoundExemption e, Person person) => new(
        e.PersonId, PersonName.Mask(person.Name), DocumentNumber.Mask(person.DocumentNumber), e.CommunityCode.ToString(CultureInfo.InvariantCulture),
        e.Reason, e.Note, e.ByName, DateTime.SpecifyKind(e.At, DateTimeKind.Utc));
}
