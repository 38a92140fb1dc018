using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Alerts;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Policies;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.RiskAreas;

/// <summary>
/// 每日解封评估: every active area against the release rules of the policy in force in its community that day. An area that meets
/// one gets a proposal (at most one a day, and none while one awaits the command's decision), a ReleaseProposed event and an alert
/// for its community. Runs as the platform over all areas, loading everything in a handful of queries.
/// </summary>
public sealed class EvaluateReleases(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<RiskAreasResource> l,
    ILogger<EvaluateReleases> logger)
{
    public async Task<EvaluationSummary> RunAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        using var _ = CallerContext.AsSystem();
        // What it writes (event notes, alert titles) is stored, so it is in the platform's language whoever pressed the button.
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = StoredTextCulture;
        try
        {
            return await EvaluateAsync(day, cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // Another run (the timer and a manual one) proposed the same area first; a second pass skips what it wrote.
            logger.LogInformation(e, "Release evaluation for {Day} raced another run; evaluating again", day);
            return await EvaluateAsync(day, cancellationToken);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    private static readonly CultureInfo StoredTextCulture = CultureInfo.GetCultureInfo("zh-CN");

    private async Task<EvaluationSummary> EvaluateAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var areas = await db.RiskAreas.AsNoTracking().Where(a => a.State == RiskAreaState.Active && a.StartDay <= day)
            .Select(a => new { a.Id, a.CommunityCode, a.Name, a.Level, a.LevelSince, a.DowngradedFrom, a.LastInfectionDay })
            .ToListAsync(cancellationToken);
        if (areas.Count == 0) return new EvaluationSummary(day, 0, 0);

        var active = db.RiskAreas.Where(a => a.State == RiskAreaState.Active);
        var blocked = (await db.RiskAreaReleaseProposals.AsNoTracking()
                .Where(p => (p.State == ReleaseProposalState.Proposed || p.ProposedOn == day) && active.Any(a => a.Id == p.RiskAreaId))
                .Select(p => p.RiskAreaId).ToListAsync(cancellationToken))
            .ToHashSet();
        var screenings = (await db.RiskAreaScreenings.AsNoTracking()
                .Where(s => s.Day <= day && active.Any(a => a.Id == s.RiskAreaId)).ToListAsync(cancellationToken))
            .ToLookup(s => s.RiskAreaId);
        var policies = await PoliciesAsync(db, day, cancellationToken);

        var now = clock.UtcNow;
        var proposed = 0;
        foreach (var area in areas)
        {
            if (blocked.Contains(area.Id) || policies.For(area.CommunityCode) is not var (code, version)) continue;
            var standing = new AreaStanding(area.Level, area.LevelSince, area.DowngradedFrom, area.LastInfectionDay);
            if (ReleaseEvaluation.Evaluate(standing, version.ReleaseRules, day, screenings[area.Id]) is not { } evidence) continue;
            var proposal = new RiskAreaReleaseProposal
            {
                RiskAreaId = area.Id, CommunityCode = area.CommunityCode, ProposedOn = day, FromLevel = evidence.Rule.From, ToLevel = evidence.Rule.To,
                DaysWithoutNewInfection = evidence.DaysWithoutNewInfection, ScreeningDay = evidence.Screening?.Day,
                ScreeningRequired = evidence.Screening?.Required, ScreeningSampled = evidence.Screening?.Sampled, ScreeningPositive = evidence.Screening?.Positive,
                PolicyCode = code, State = ReleaseProposalState.Proposed, CreatedAt = now,
            };
            db.RiskAreaReleaseProposals.Add(proposal);
            var from = l[$"Level.{evidence.Rule.From}"];
            var to = l[$"Level.{evidence.Rule.To}"];
            db.RiskAreaEvents.Add(new RiskAreaEvent
            {
                RiskAreaId = area.Id, CommunityCode = area.CommunityCode, Kind = RiskAreaEventKind.ReleaseProposed, FromLevel = evidence.Rule.From,
                ToLevel = evidence.Rule.To, Day = day, Note = l["Event.Proposed", evidence.DaysWithoutNewInfection, code], ByName = l["Actor.System"], At = now,
            });
            db.Alerts.Add(new Alert
            {
                Kind = AlertKind.ReleaseProposed, CommunityCode = area.CommunityCode, SubjectId = proposal.Id, CreatedAt = now,
                Title = l["Alert.ReleaseProposed", area.Name, from, to, evidence.DaysWithoutNewInfection],
            });
            proposed++;
        }
        if (proposed > 0) await db.SaveChangesAsync(cancellationToken);
        return new EvaluationSummary(day, areas.Count, proposed);
    }

    /// <summary>The policy in force for each committee, as <see cref="PolicyLookup"/> decides it, from two small tables read once.</summary>
    private static async Task<PolicyMap> PoliciesAsync(AppDbContext db, DateOnly day, CancellationToken cancellationToken)
    {
        var choices = await db.PoliciesInForce.AsNoTracking().Where(p => p.FromDay <= day).ToListAsync(cancellationToken);
        var ids = choices.Select(c => c.PolicyId).Distinct().ToList();
        var versions = (await db.Policies.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken))
            .ToDictionary(p => p.Id, p => (p.Code, Version: p.ToVersion()));
        return new PolicyMap(choices.GroupBy(c => c.JurisdictionCode)
            .ToDictionary(g => g.Key, g => versions[g.OrderByDescending(c => c.FromDay).First().PolicyId]));
    }

    private sealed class PolicyMap(Dictionary<string, (string Code, PolicyVersion Version)> byNode)
    {
        private readonly Dictionary<long, (string, PolicyVersion)?> _byCommunity = [];

        public (string Code, PolicyVersion Version)? For(long community)
        {
            if (_byCommunity.TryGetValue(community, out var known)) return known;
            (string, PolicyVersion)? found = null;
            for (JurisdictionCode? at = JurisdictionCode.FromCommunityNumber(community); at is { } node; at = node.Parent)
            {
                if (byNode.TryGetValue(node.Value, out var applied)) { found = applied; break; }
            }
            return _byCommunity[community] = found;
        }
    }
}

/// <summary>Evaluates releases each day at 07:00 local time, and on start when that hour has passed today (the run is idempotent).</summary>
public sealed class ReleaseEvaluationService(EvaluateReleases evaluate, LocalClock clock, TimeProvider time, ILogger<ReleaseEvaluationService> logger) : BackgroundService
{
    public static readonly TimeOnly RunAt = new(7, 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateOnly? lastRun = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var local = clock.ToLocal(clock.UtcNow);
            var today = DateOnly.FromDateTime(local);
            if (lastRun != today && TimeOnly.FromDateTime(local) >= RunAt)
            {
                try
                {
                    var summary = await evaluate.RunAsync(today, stoppingToken);
                    if (summary.Proposed > 0) logger.LogInformation("Proposed {Count} risk area releases for {Day}", summary.Proposed, today);
                    lastRun = today;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Evaluating risk area releases failed");
                }
            }
            var next = today.ToDateTime(RunAt);
            if (next <= local) next = next.AddDays(1);
            var wait = clock.ToUtc(next) - clock.UtcNow;
            // After a failure, try again in a minute rather than tomorrow.
            if (lastRun != today && TimeOnly.FromDateTime(local) >= RunAt) wait = TimeSpan.FromMinutes(1);
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1), time, stoppingToken);
        }
    }
}
