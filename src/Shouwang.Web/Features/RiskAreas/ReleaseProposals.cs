using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Policies;
using Shouwang.Domain.RiskAreas;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Policies;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.RiskAreas;

/// <summary>
/// The command's decision on a proposed release. Approved, the area steps down to the proposal's level from the approval day
/// (that day is day 1 of the new level's count); reaching low, or the lowest level the policy in force designates, releases it.
/// </summary>
public sealed class ReleaseProposals(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<RiskAreasResource> l)
{
    public async Task<Paged<ProposalItem>> SearchAsync(ReleaseProposalState? state, int? page, int? pageSize, CancellationToken cancellationToken = default)
    {
        var (p, size) = Paging.Clamp(page, pageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = from proposal in db.RiskAreaReleaseProposals.AsNoTracking()
                    join area in db.RiskAreas on proposal.RiskAreaId equals area.Id
                    select new { proposal, area.Name };
        if (state is { } s) query = query.Where(x => x.proposal.State == s);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(x => x.proposal.ProposedOn).ThenBy(x => x.proposal.Id).Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new Paged<ProposalItem>(rows.Select(x => ProposalItem.From(x.proposal, x.Name)).ToList(), total, p, size);
    }

    public async Task<Outcome<ProposalItem>> ApproveAsync(Guid id, DecisionInput input, CancellationToken cancellationToken = default)
    {
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (note?.Length > RiskAreaCommands.MaxTextLength)
        {
            var errors = new FieldErrors();
            errors.Add(nameof(input.Note), l["Error.TooLong", RiskAreaCommands.MaxTextLength]);
            return errors.ToOutcome<ProposalItem>();
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindAsync(db, id, cancellationToken) is not var (proposal, area)) return new Outcome<ProposalItem>.NotFound(l["Error.ProposalNotFound"]);
        if (proposal.State != ReleaseProposalState.Proposed) return new Outcome<ProposalItem>.Conflict(l["Error.ProposalDecided"]);
        if (area.State != RiskAreaState.Active || area.Level != proposal.FromLevel) return new Outcome<ProposalItem>.Conflict(l["Error.ProposalStale"]);

        var today = clock.Today();
        var now = clock.UtcNow;
        var caller = db.Caller;
        Decide(proposal, ReleaseProposalState.Approved, note, caller, now);
        var designated = await PolicyLookup.ForCommunityAsync(db, area.CommunityCode, today, cancellationToken) is var (policy, _)
            ? policy.ToVersion().RiskAreas.Select(k => k.Level).ToList()
            : [];
        var lowest = designated.Count == 0 ? RiskAreaLevel.Low : designated.Max();
        var from = area.Level;
        area.Level = proposal.ToLevel;
        area.DowngradedFrom = from;
        area.LevelSince = today;
        if (proposal.ToLevel >= lowest) RiskAreaCommands.Release(db, area, today, note, caller, now, from, proposal.ToLevel);
        else
        {
            area.UpdatedAt = now;
            db.RiskAreaEvents.Add(RiskAreaCommands.Event(area, RiskAreaEventKind.Downgraded, today, note, caller, now, from, proposal.ToLevel));
        }
        await AcknowledgeAlertsAsync(db, proposal.Id, caller, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ProposalItem.From(proposal, area.Name);
    }

    public async Task<Outcome<ProposalItem>> RejectAsync(Guid id, DecisionInput input, CancellationToken cancellationToken = default)
    {
        var note = input.Note?.Trim();
        if (string.IsNullOrEmpty(note) || note.Length > RiskAreaCommands.MaxTextLength)
        {
            var errors = new FieldErrors();
            errors.Add(nameof(input.Note), string.IsNullOrEmpty(note) ? l["Error.NoteRequired"] : l["Error.TooLong", RiskAreaCommands.MaxTextLength]);
            return errors.ToOutcome<ProposalItem>();
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindAsync(db, id, cancellationToken) is not var (proposal, area)) return new Outcome<ProposalItem>.NotFound(l["Error.ProposalNotFound"]);
        if (proposal.State != ReleaseProposalState.Proposed) return new Outcome<ProposalItem>.Conflict(l["Error.ProposalDecided"]);
        var now = clock.UtcNow;
        Decide(proposal, ReleaseProposalState.Rejected, note, db.Caller, now);
        area.UpdatedAt = now;
        db.RiskAreaEvents.Add(RiskAreaCommands.Event(area, RiskAreaEventKind.ReleaseRejected, clock.Today(), note, db.Caller, now, proposal.FromLevel, proposal.ToLevel));
        await AcknowledgeAlertsAsync(db, proposal.Id, db.Caller, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ProposalItem.From(proposal, area.Name);
    }

    private static async Task<(RiskAreaReleaseProposal, RiskArea)?> FindAsync(AppDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var proposal = await db.RiskAreaReleaseProposals.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (proposal is null) return null;
        var area = await db.RiskAreas.FirstOrDefaultAsync(a => a.Id == proposal.RiskAreaId, cancellationToken);
        return area is null ? null : (proposal, area);
    }

    private static void Decide(RiskAreaReleaseProposal proposal, ReleaseProposalState state, string? note, Accounts.Caller caller, DateTime now)
    {
        proposal.State = state;
        proposal.DecidedBy = caller.AccountId;
        proposal.DecidedByName = caller.Name;
        proposal.DecidedAt = now;
        proposal.DecisionNote = note;
    }

    private static async Task AcknowledgeAlertsAsync(AppDbContext db, Guid proposalId, Accounts.Caller caller, DateTime now, CancellationToken cancellationToken)
    {
        var alerts = await db.Alerts.Where(a => a.SubjectId == proposalId && a.AcknowledgedAt == null).ToListAsync(cancellationToken);
        foreach (var alert in alerts)
        {
            alert.AcknowledgedAt = now;
            alert.AcknowledgedBy = caller.AccountId;
            alert.AcknowledgedByName = caller.Name;
        }
    }
}
