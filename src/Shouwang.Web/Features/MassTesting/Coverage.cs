using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.MassTesting;
using Shouwang.Domain.Measures;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.MassTesting;

public enum CoverageLevel { Community, Grid, Building, Household }

/// <param name="Missing">Required − sampled (required already leaves the exempt out).</param>
/// <param name="MissedTwice">Of the missing, those who also missed the previous round that covered them (不漏一轮).</param>
public sealed record CoverageRow(string? Key, string? Name, int Required, int Sampled, int Exempt, int Missing, int MissedTwice);

public sealed record CoverageReport(Guid RoundId, CoverageLevel Level, IReadOnlyList<CoverageRow> Rows, CoverageRow Totals);

public sealed record PersonTestingResult(
    Guid RoundId, string RoundName, DateTime SampledAt, string TubeBarcode, int TubeCapacity, TubeResult Result, DateTime? ResultAt);

public enum MissingReason { HomeQuarantine, DoorToDoor }

public sealed record MissingPerson(
    Guid PersonId, string Name, string Phone, string? Address, string CommunityCode, Guid? GridId, string? GridName, MissingReason? ReasonCode, string? Reason,
    bool MissedPreviousRound);

/// <summary>Live coverage of a round (required / sampled / exempt / missing) and the list of the required people not yet sampled.</summary>
public sealed class Coverage(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, AuditLog audit, IStringLocalizer<CoverageResource> l)
{
    public const int MaxExportRows = 100_000;
    internal const VulnerabilityTags DoorToDoorTags = VulnerabilityTags.Bedridden | VulnerabilityTags.LimitedMobility;

    /// <summary>One in-scope person reduced to their committee, the grouping key and a flag, so every level is one GROUP BY.</summary>
    private sealed class Flags<TKey>
    {
        public long Community { get; init; }
        public TKey Key { get; init; } = default!;
        public int Sampled { get; init; }
    }

    private sealed record Counts<TKey>(TKey Key, int InScope, int Exempt, int Sampled, int MissedTwice);

    public async Task<Outcome<CoverageReport>> SummaryAsync(Guid id, string? level, string? node, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        CoverageLevel parsedLevel = CoverageLevel.Community;
        if (level is not null && (!Enum.TryParse(level, true, out parsedLevel) || !Enum.IsDefined(parsedLevel) || int.TryParse(level, out _)))
            errors.Add("level", l["Error.Level"]);
        var (nodeGrid, nodeRange, nodeOk) = ParseNode(node);
        if (!nodeOk) errors.Add("node", l["Error.Node"]);
        else if (parsedLevel == CoverageLevel.Household && nodeGrid is null && !IsCommittee(node?.Trim() ?? ""))
            errors.Add("level", l["Error.HouseholdNeedsNode"]);
        if (errors.Any) return errors.ToOutcome<CoverageReport>();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.TestingRounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return new Outcome<CoverageReport>.NotFound(l["Error.RoundNotFound"]);
        var today = clock.Today();
        var scopes = await Rounds.ScopeRangesAsync(db, id, ct);
        // 不漏一轮 needs a round before this one; the first round of a place skips the costliest part of the summary.
        var counting = new Counting(round, today, await HasEarlierRoundAsync(db, round, ct));
        // A query of the people is built per context: the counts run on two contexts at once.
        IQueryable<Person> Persons(AppDbContext c)
        {
            var persons = Rounds.InScope(c, round, today, scopes);
            if (nodeGrid is { } g) persons = persons.Where(p => p.GridId == g);
            if (nodeRange is { } range) persons = persons.Where(p => p.CommunityCode >= range.Min && p.CommunityCode <= range.Max);
            return persons;
        }

        List<CoverageRow> rows;
        switch (parsedLevel)
        {
            case CoverageLevel.Community:
            {
                var counts = await CountAsync(db, counting, c => Persons(c).Select(p => new Keyed<long> { P = p, Key = p.CommunityCode }), ct, keyIsCommittee: true);
                var codes = counts.Select(c => c.Key.ToString(CultureInfo.InvariantCulture)).ToList();
                var names = await db.Jurisdictions.IgnoreQueryFilters().Where(j => codes.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, ct);
                rows = counts.Select(c => Row(c, c.Key.ToString(CultureInfo.InvariantCulture), names.GetValueOrDefault(c.Key.ToString(CultureInfo.InvariantCulture))))
                    .OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
                break;
            }
            case CoverageLevel.Grid:
            {
                var counts = await CountAsync(db, counting, c => Persons(c).Select(p => new Keyed<Guid?> { P = p, Key = p.GridId }), ct);
                var ids = counts.Where(c => c.Key != null).Select(c => c.Key!.Value).ToList();
                var names = await db.Grids.IgnoreQueryFilters().Where(x => ids.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
                rows = counts.Select(c => Row(c, c.Key?.ToString(), c.Key is { } k ? names.GetValueOrDefault(k) : null))
                    .OrderBy(r => r.Name ?? "\uffff", StringComparer.Ordinal).ToList();
                break;
            }
            case CoverageLevel.Building:
            {
                var counts = await CountAsync(db, counting, c => from p in Persons(c)
                                                                 join h in c.Households.IgnoreQueryFilters() on p.HouseholdId equals h.Id into hs
                                                                 from h in hs.DefaultIfEmpty()
                                                                 select new Keyed<Guid?> { P = p, Key = h == null ? null : h.BuildingId }, ct);
                var ids = counts.Where(c => c.Key != null).Select(c => c.Key!.Value).ToList();
                var names = await (from b in db.Buildings.IgnoreQueryFilters()
                                   where ids.Contains(b.Id)
                                   join c in db.Compounds.IgnoreQueryFilters() on b.CompoundId equals c.Id into cs
                                   from c in cs.DefaultIfEmpty()
                                   select new { b.Id, Name = c == null ? b.Name : c.Name + " " + b.Name }).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
                rows = counts.Select(c => Row(c, c.Key?.ToString(), c.Key is { } k ? names.GetValueOrDefault(k) : null))
                    .OrderBy(r => r.Name ?? "\uffff", StringComparer.Ordinal).ToList();
                break;
            }
            default:
            {
                var counts = await CountAsync(db, counting, c => Persons(c).Select(p => new Keyed<Guid?> { P = p, Key = p.HouseholdId }), ct);
                var ids = counts.Where(c => c.Key != null).Select(c => c.Key!.Value).ToList();
                var names = await db.Households.IgnoreQueryFilters().Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => h.Address, ct);
                rows = counts.Select(c => Row(c, c.Key?.ToString(), c.Key is { } k ? names.GetValueOrDefault(k) : null))
                    .OrderBy(r => r.Name ?? "\uffff", StringComparer.Ordinal).ToList();
                break;
            }
        }
        var totals = new CoverageRow(null, l["Totals"], rows.Sum(r => r.Required), rows.Sum(r => r.Sampled), rows.Sum(r => r.Exempt), rows.Sum(r => r.Missing),
            rows.Sum(r => r.MissedTwice));
        return new CoverageReport(id, parsedLevel, rows, totals);
    }

    /// <param name="twoRounds">Only those who also missed the previous round that covered them.</param>
    public async Task<Outcome<Paged<MissingPerson>>> MissingAsync(Guid id, string? communityCode, Guid? gridId, int? page, int? pageSize,
        bool? twoRounds = null, CancellationToken ct = default)
    {
        var (p, size) = Paging.Clamp(page, pageSize);
        var (errors, community) = ValidateCommunity(communityCode);
        if (errors.Any) return errors.ToOutcome<Paged<MissingPerson>>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.TestingRounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return new Outcome<Paged<MissingPerson>>.NotFound(l["Error.RoundNotFound"]);
        var hasPrevious = await HasEarlierRoundAsync(db, round, ct);
        if (twoRounds == true && !hasPrevious) return new Paged<MissingPerson>([], 0, p, size);
        var (rows, total) = await PageAsync(db, round, community, gridId, (p - 1) * size, size, hasPrevious, twoRounds == true, ct);
        return new Paged<MissingPerson>(ToItems(rows), total, p, size);
    }

    public async Task<Outcome<(byte[] Content, string FileName)>> ExportMissingAsync(Guid id, string? communityCode, Guid? gridId, bool? twoRounds = null,
        CancellationToken ct = default)
    {
        var (errors, community) = ValidateCommunity(communityCode);
        if (errors.Any) return errors.ToOutcome<(byte[], string)>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.TestingRounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return new Outcome<(byte[], string)>.NotFound(l["Error.RoundNotFound"]);
        var hasPrevious = await HasEarlierRoundAsync(db, round, ct);
        var rows = twoRounds == true && !hasPrevious
            ? []
            : (await PageAsync(db, round, community, gridId, 0, MaxExportRows, hasPrevious, twoRounds == true, ct)).Rows;
        var items = ToItems(rows);
        var content = ExcelExport.ToXlsx(items, [
            (l["Field.Name"], m => m.Name),
            (l["Field.Phone"], m => m.Phone),
            (l["Field.Address"], m => m.Address),
            (l["Field.Community"], m => m.CommunityCode),
            (l["Field.Grid"], m => m.GridName),
            (l["Field.Reason"], m => m.Reason),
            (l["Field.MissedPreviousRound"], m => m.MissedPreviousRound ? l["Yes"].Value : ""),
        ], l["Missing.Title"]);
        await audit.WriteExportAsync("List:RoundMissing", new { roundId = id, communityCode, gridId, twoRounds }, items.Count, CallerContext.Current.ScopeMin,
            id.ToString(), ct);
        return (content, ExcelExport.FileName("missing", clock.ToLocal(clock.UtcNow)));
    }

    /// <summary>A person's samples (not removed) across rounds with their tube's result, newest first.</summary>
    public async Task<Outcome<IReadOnlyList<PersonTestingResult>>> PersonResultsAsync(Guid personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Persons.AnyAsync(p => p.Id == personId, ct))
            return new Outcome<IReadOnlyList<PersonTestingResult>>.NotFound(l["Error.PersonNotFound"]);
        // The person is in the caller's scope; their tubes may have been filled at a site of another committee.
        var rows = await (from s in db.Samples.IgnoreQueryFilters().AsNoTracking()
                          where s.PersonId == personId && s.RemovedAt == null
                          join t in db.Tubes.IgnoreQueryFilters() on s.TubeId equals t.Id
                          join r in db.TestingRounds.IgnoreQueryFilters() on s.RoundId equals r.Id
                          orderby s.SampledAt descending
                          select new { s.RoundId, r.Name, s.SampledAt, t.Barcode, t.Capacity, t.Result, t.ResultAt }).Take(200).ToListAsync(ct);
        return rows.Select(x => new PersonTestingResult(x.RoundId, x.Name, DateTime.SpecifyKind(x.SampledAt, DateTimeKind.Utc), x.Barcode, x.Capacity,
            x.Result, x.ResultAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null)).ToList();
    }

    internal sealed class MissingRow
    {
        public Person Person { get; init; } = null!;
        public string? Address { get; init; }
        public string? GridName { get; init; }
        public bool HomeQuarantine { get; init; }
        public bool MissedPrevious { get; init; }
    }

    internal IQueryable<MissingRow> MissingQuery(AppDbContext db, TestingRound round, long? community, Guid? gridId, bool twoRounds,
        IReadOnlyList<(long Min, long Max)>? scopes = null)
    {
        var today = clock.Today();
        var missedPrevious = MissedPrevious(db, round, today);
        return from r in WithPlaces(db, InPlace(MissingPersons(db, round, twoRounds, scopes), community, gridId))
               select new MissingRow
               {
                   Person = r.Person, Address = r.Address, GridName = r.GridName,
                   HomeQuarantine = db.ControlMeasures.IgnoreQueryFilters().Any(m => m.PersonId == r.Person.Id && m.State == MeasureState.Active
                       && m.Place == MeasurePlace.Home && m.StartDay <= today && today <= m.EndDay),
                   MissedPrevious = twoRounds || missedPrevious.Any(q => q.Id == r.Person.Id),
               };
    }

    /// <summary>The round's required people with no sample that counts (in the whole scope: callers narrow it).</summary>
    private IQueryable<Person> MissingPersons(AppDbContext db, TestingRound round, bool twoRounds, IReadOnlyList<(long Min, long Max)>? scopes)
    {
        var id = round.Id;
        var today = clock.Today();
        var persons = Rounds.Required(db, round, today, scopes)
            .Where(p => !db.Samples.IgnoreQueryFilters().Any(s => s.RoundId == id && s.PersonId == p.Id && s.RemovedAt == null));
        if (twoRounds)
        {
            var missedPrevious = MissedPrevious(db, round, today);
            persons = persons.Where(p => missedPrevious.Any(q => q.Id == p.Id));
        }
        return persons;
    }

    private static IQueryable<Person> InPlace(IQueryable<Person> persons, long? community, Guid? gridId)
    {
        if (community is { } c) persons = persons.Where(p => p.CommunityCode == c);
        if (gridId is { } g) persons = persons.Where(p => p.GridId == g);
        return persons;
    }

    /// <summary>People with their household's address and grid's name.</summary>
    private static IQueryable<MissingRow> WithPlaces(AppDbContext db, IQueryable<Person> persons) =>
        from p in persons
        join h in db.Households.IgnoreQueryFilters() on p.HouseholdId equals h.Id into hs
        from h in hs.DefaultIfEmpty()
        join gr in db.Grids.IgnoreQueryFilters() on p.GridId equals gr.Id into gs
        from gr in gs.DefaultIfEmpty()
        select new MissingRow { Person = p, Address = h == null ? null : h.Address, GridName = gr == null ? null : gr.Name };

    /// <summary>The list's order: no address first (PostgreSQL would put it last), then by address, then by person.</summary>
    private static IQueryable<MissingRow> Ordered(IQueryable<MissingRow> rows) =>
        rows.OrderBy(r => r.Address == null ? 0 : 1).ThenBy(r => r.Address).ThenBy(r => r.Person.Id);

    /// <summary>Households read at first for a committee's page, and at most per query after that.</summary>
    private const int FirstHouseholds = 256, MaxHouseholds = 2_048;

    /// <summary>
    /// A page of the missing list (or an export), with the count, then the two flags for its rows only (in SQL the flags' subqueries
    /// would run for every missing person before the sort picks the page).
    /// A committee's page is read household by household in address order, as many as fill it: sorting every missing person of a
    /// 40,000-person committee by address costs a household lookup for each, most of the list's time. That relies on a person's
    /// committee and grid being their household's (<see cref="Person.MoveTo"/>, and a household that moves takes its people along).
    /// </summary>
    private async Task<(List<MissingRow> Rows, int Total)> PageAsync(AppDbContext db, TestingRound round, long? community, Guid? gridId, int skip,
        int take, bool hasPrevious, bool twoRounds, CancellationToken ct)
    {
        var missing = MissingPersons(db, round, twoRounds, await Rounds.ScopeRangesAsync(db, round.Id, ct));
        var total = await InPlace(missing, community, gridId).CountAsync(ct);
        List<MissingRow> rows;
        if (total <= skip) rows = [];
        else if (community is not { } c) rows = await Ordered(WithPlaces(db, InPlace(missing, null, gridId))).Skip(skip).Take(take).ToListAsync(ct);
        else
        {
            var households = await db.Households.IgnoreQueryFilters().AsNoTracking()
                .Where(h => h.CommunityCode == c && (gridId == null || h.GridId == gridId))
                .OrderBy(h => h.Address).ThenBy(h => h.Id).Select(h => new { h.Id, h.Address }).ToListAsync(ct);
            // No household means no address, which sorts first. The committee as a range, not an equality, keeps SQLite on the
            // household index for these few instead of reading every person of the committee; the grid is checked here.
            var found = (await Ordered(WithPlaces(db, missing.Where(p => p.HouseholdId == null && p.CommunityCode >= c && p.CommunityCode <= c))).ToListAsync(ct))
                .Where(r => gridId is null || r.Person.GridId == gridId).ToList();
            var need = Math.Min(total, skip + take);
            for (int next = 0, size = FirstHouseholds; found.Count < need && next < households.Count; size = Math.Min(size * 2, MaxHouseholds))
            {
                var end = Math.Min(next + size, households.Count);
                // One address's people sort by person across its households: they are read together.
                while (end < households.Count && households[end].Address == households[end - 1].Address) end++;
                var ids = households.GetRange(next, end - next).Select(h => (Guid?)h.Id).ToList();
                // By household only: the committee's own filter would steer SQLite to the committee's index instead.
                found.AddRange(await Ordered(WithPlaces(db, missing.Where(p => ids.Contains(p.HouseholdId)))).ToListAsync(ct));
                next = end;
            }
            rows = found.Skip(skip).Take(take).ToList();
        }

        var today = clock.Today();
        var quarantined = new HashSet<Guid>();
        var missedPrevious = new HashSet<Guid>();
        foreach (var chunk in rows.Select(r => r.Person.Id).Chunk(5_000))
        {
            quarantined.UnionWith(await db.ControlMeasures.IgnoreQueryFilters().Where(m => chunk.Contains(m.PersonId) && m.State == MeasureState.Active
                && m.Place == MeasurePlace.Home && m.StartDay <= today && today <= m.EndDay).Select(m => m.PersonId).ToListAsync(ct));
            if (hasPrevious && !twoRounds)
                missedPrevious.UnionWith(await MissedPrevious(db, round, today).Where(q => chunk.Contains(q.Id)).Select(q => q.Id).ToListAsync(ct));
        }
        return (rows.Select(r => new MissingRow
        {
            Person = r.Person, Address = r.Address, GridName = r.GridName, HomeQuarantine = quarantined.Contains(r.Person.Id),
            MissedPrevious = twoRounds || missedPrevious.Contains(r.Person.Id),
        }).ToList(), total);
    }

    /// <summary>Whether 不漏一轮 can find anyone: an earlier round (not merely planned) exists.</summary>
    private static Task<bool> HasEarlierRoundAsync(AppDbContext db, TestingRound round, CancellationToken ct)
    {
        var (id, start) = (round.Id, round.StartsAt);
        return db.TestingRounds.IgnoreQueryFilters().AnyAsync(r => r.Id != id && r.StartsAt < start && r.State != RoundState.Planned, ct);
    }

    private List<MissingPerson> ToItems(List<MissingRow> rows) =>
        rows.Select(r =>
        {
            MissingReason? reason = r.HomeQuarantine ? MissingReason.HomeQuarantine
                : (r.Person.Tags & DoorToDoorTags) != 0 ? MissingReason.DoorToDoor : null;
            return new MissingPerson(r.Person.Id, PersonName.Mask(r.Person.Name), PhoneNumber.Mask(r.Person.Phone), r.Address,
                r.Person.CommunityCode.ToString(CultureInfo.InvariantCulture), r.Person.GridId, r.GridName,
                reason, reason is { } x ? l[$"Reason.{x}"].Value : null, r.MissedPrevious);
        }).ToList();

    private sealed class Keyed<TKey>
    {
        public Person P { get; init; } = null!;
        public TKey Key { get; init; } = default!;
    }

    /// <summary>
    /// 不漏一轮: the people who missed the round before this one. A person counts as missing twice when they are required in this round
    /// and not sampled in it, and were also required in the previous round that covered them — the latest other round (not merely
    /// planned) with StartsAt before this round's whose scope covers their committee — and not sampled in that one either. Required
    /// there means that round's rules: its residence types, its infant age (on today, as for every round) and no exemption from it, so
    /// a round they were exempt from is not a missed one. This query is only the "missed the previous round" half; callers add "missing
    /// now". It stays one correlated EXISTS per row (no loop over people): rounds are few, samples and exemptions are indexed by round and person.
    /// </summary>
    private static IQueryable<Person> MissedPrevious(AppDbContext db, TestingRound round, DateOnly today)
    {
        var (id, start) = (round.Id, round.StartsAt);
        // InfantsUnderYears is 0–6; a column can't feed AddYears in SQL, so each age's cut-off goes in as a parameter.
        var (b1, b2, b3, b4, b5, b6) = (today.AddYears(-1), today.AddYears(-2), today.AddYears(-3), today.AddYears(-4), today.AddYears(-5), today.AddYears(-6));
        const int registered = 1 << (int)ResidenceType.Registered, resident = 1 << (int)ResidenceType.Resident,
            temporary = 1 << (int)ResidenceType.Temporary, floating = 1 << (int)ResidenceType.Floating;
        return db.Persons.IgnoreQueryFilters().Where(q => db.TestingRounds.IgnoreQueryFilters()
            .Where(r => r.Id != id && r.StartsAt < start && r.State != RoundState.Planned
                && db.TestingRoundScopes.IgnoreQueryFilters().Any(s => s.RoundId == r.Id && q.CommunityCode >= s.Min && q.CommunityCode <= s.Max))
            .OrderByDescending(r => r.StartsAt).ThenByDescending(r => r.Id).Take(1)
            .Any(r => (r.RequiredResidenceTypes & (q.ResidenceType == ResidenceType.Registered ? registered
                        : q.ResidenceType == ResidenceType.Resident ? resident : q.ResidenceType == ResidenceType.Temporary ? temporary : floating)) != 0
                && (r.InfantsUnderYears == null || r.InfantsUnderYears <= 0 || q.BirthDate == null
                    || q.BirthDate <= (r.InfantsUnderYears == 1 ? b1 : r.InfantsUnderYears == 2 ? b2 : r.InfantsUnderYears == 3 ? b3
                        : r.InfantsUnderYears == 4 ? b4 : r.InfantsUnderYears == 5 ? b5 : b6))
                && !db.RoundExemptions.IgnoreQueryFilters().Any(e => e.RoundId == r.Id && e.PersonId == q.Id)
                && !db.Samples.IgnoreQueryFilters().Any(s => s.RoundId == r.Id && s.PersonId == q.Id && s.RemovedAt == null)));
    }

    /// <param name="HasEarlierRound">Whether 不漏一轮 can count anyone: only when a round before this one exists.</param>
    private sealed record Counting(TestingRound Round, DateOnly Today, bool HasEarlierRound);

    /// <summary>
    /// Per key: in scope, exempt, sampled and missed twice. A person costs one index probe (a live sample in this round) on the
    /// partial index IX_Samples_Live, read from the covering index IX_Persons_Coverage; the exempt are few, so they are counted
    /// from the exemptions (with their samples, which do not count) instead of a second probe per person. The exempt and the
    /// missed-twice counts run on a second context while the first counts everyone: on a million people that hides their ~0.1 s.
    /// </summary>
    private async Task<List<Counts<TKey>>> CountAsync<TKey>(AppDbContext db, Counting counting, Func<AppDbContext, IQueryable<Keyed<TKey>>> keyedIn,
        CancellationToken ct, bool keyIsCommittee = false)
    {
        // Started first and on the pool: Microsoft.Data.Sqlite runs a query synchronously even when awaited.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var fewTask = Task.Run(() => ExemptAndMissedTwiceAsync(counting, keyedIn, stop.Token), stop.Token);
        try
        {
            var id = counting.Round.Id;
            var flags = keyedIn(db).Select(x => new Flags<TKey>
            {
                Community = x.P.CommunityCode, Key = x.Key,
                Sampled = db.Samples.IgnoreQueryFilters().Any(s => s.RoundId == id && s.PersonId == x.P.Id && s.RemovedAt == null) ? 1 : 0,
            });
            // A finer key is grouped within its committee, as IX_Persons_Coverage is ordered, so that SQLite counts as it reads instead of
            // sorting a million rows first (a grid or building lies in one committee; a key whose people disagree is summed up below).
            // The committee itself is grouped alone: GROUP BY CommunityCode, CommunityCode makes SQLite sort again.
            var everyone = keyIsCommittee
                ? await flags.GroupBy(f => f.Key).Select(g => new { g.Key, InScope = g.Count(), Sampled = g.Sum(f => f.Sampled) }).ToListAsync(stop.Token)
                : await flags.GroupBy(f => new { f.Community, f.Key }).Select(g => new { g.Key.Key, InScope = g.Count(), Sampled = g.Sum(f => f.Sampled) })
                    .ToListAsync(stop.Token);
            var (exempt, twice) = await fewTask;
            return everyone
                .GroupBy(c => Box(c.Key)).Select(g => new { Key = g.Key.Item1, InScope = g.Sum(c => c.InScope), Sampled = g.Sum(c => c.Sampled) })
                .Select(c =>
                {
                    var e = exempt.GetValueOrDefault(Box(c.Key));
                    return new Counts<TKey>(c.Key, c.InScope, e.Exempt, c.Sampled - e.Sampled, twice.GetValueOrDefault(Box(c.Key)));
                }).ToList();
        }
        catch
        {
            // The main count failed (or was cancelled): stop the other one too instead of leaving it running on its connection.
            await stop.CancelAsync();
            try
            {
                await fewTask;
            }
            catch
            {
                // Its own failure or this cancellation; the main count's error is the one the caller gets.
            }
            throw;
        }
    }

    private async Task<(Dictionary<ValueTuple<TKey>, (int Exempt, int Sampled)> Exempt, Dictionary<ValueTuple<TKey>, int> Twice)> ExemptAndMissedTwiceAsync<TKey>(
        Counting counting, Func<AppDbContext, IQueryable<Keyed<TKey>>> keyedIn, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var id = counting.Round.Id;
        var keyed = keyedIn(db);
        var samples = db.Samples.IgnoreQueryFilters();
        var exempt = (await (from x in keyed
                             join e in db.RoundExemptions.IgnoreQueryFilters() on x.P.Id equals e.PersonId
                             where e.RoundId == id
                             select new Flags<TKey>
                             {
                                 Key = x.Key, Sampled = samples.Any(s => s.RoundId == id && s.PersonId == x.P.Id && s.RemovedAt == null) ? 1 : 0,
                             })
                .GroupBy(f => f.Key).Select(g => new { g.Key, Exempt = g.Count(), Sampled = g.Sum(f => f.Sampled) })
                .ToListAsync(ct)).ToDictionary(c => Box(c.Key), c => (c.Exempt, c.Sampled));
        if (!counting.HasEarlierRound) return (exempt, []);
        var missedPrevious = MissedPrevious(db, counting.Round, counting.Today);
        var twice = (await keyed
                .Where(x => !db.RoundExemptions.IgnoreQueryFilters().Any(e => e.RoundId == id && e.PersonId == x.P.Id)
                    && !samples.Any(s => s.RoundId == id && s.PersonId == x.P.Id && s.RemovedAt == null)
                    && missedPrevious.Any(q => q.Id == x.P.Id))
                .GroupBy(x => x.Key).Select(g => new { g.Key, Count = g.Count() })
                .ToListAsync(ct)).ToDictionary(c => Box(c.Key), c => c.Count);
        return (exempt, twice);
    }

    /// <summary>Keys may be null (no grid, no household); a dictionary can't hold a null key, a boxed tuple can.</summary>
    private static ValueTuple<TKey> Box<TKey>(TKey key) => new(key);

    private static CoverageRow Row<TKey>(Counts<TKey> c, string? key, string? name)
    {
        var required = c.InScope - c.Exempt;
        return new CoverageRow(key, name, required, c.Sampled, c.Exempt, required - c.Sampled, c.MissedTwice);
    }

    private (FieldErrors Errors, long? Community) ValidateCommunity(string? communityCode)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(communityCode)) return (errors, null);
        if (IsCommittee(communityCode.Trim())) return (errors, long.Parse(communityCode.Trim(), CultureInfo.InvariantCulture));
        errors.Add("communityCode", l["Error.CommunityCode"]);
        return (errors, null);
    }

    private static bool IsCommittee(string code) => code.Length == 12 && JurisdictionCode.TryParse(code, out _);

    private static (Guid? Grid, (long Min, long Max)? Range, bool Ok) ParseNode(string? node)
    {
        if (string.IsNullOrWhiteSpace(node)) return (null, null, true);
        node = node.Trim();
        if (Guid.TryParse(node, out var grid)) return (grid, null, true);
        if (JurisdictionCode.TryParse(node, out var code)) return (null, code.Value.SubtreeRange, true);
        return (null, null, false);
    }
}
