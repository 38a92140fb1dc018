using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.WorkOrders;

public sealed record TeamInput(string? CommunityCode, string? Name, IReadOnlyList<Guid>? AccountIds = null);

public sealed record TeamMembersInput(IReadOnlyList<Guid>? AccountIds);

public sealed record TeamMemberItem(Guid AccountId, string DisplayName);

public sealed record TeamItem(Guid Id, string Name, string CommunityCode, IReadOnlyList<TeamMemberItem> Members);

public sealed record AssigneeOption(Guid Id, string Name);

/// <summary>Who an order of a community may be given to.</summary>
public sealed record AssigneeOptions(IReadOnlyList<AssigneeOption> Grids, IReadOnlyList<AssigneeOption> Teams, IReadOnlyList<AssigneeOption> Accounts);

/// <summary>Teams (小队) of a community, and the grids, teams and accounts orders can go to.</summary>
public sealed class WorkOrderTeams(IDbContextFactory<AppDbContext> dbFactory, IStringLocalizer<WorkOrdersResource> l)
{
    public async Task<Outcome<IReadOnlyList<TeamItem>>> ListAsync(string? communityCode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Teams.AsNoTracking();
        if (communityCode is not null)
        {
            if (await db.FindCommitteeAsync(communityCode, cancellationToken) is not { } community) return new Outcome<IReadOnlyList<TeamItem>>.NotFound(l["Error.CommunityNotFound"]);
            query = query.Where(t => t.CommunityCode == community);
        }
        var teams = await query.Include(t => t.Members).OrderBy(t => t.CommunityCode).ThenBy(t => t.Name).Take(500).ToListAsync(cancellationToken);
        return await ToItemsAsync(db, teams, cancellationToken);
    }

    public async Task<Outcome<TeamItem>> CreateAsync(TeamInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var errors = new FieldErrors();
        var community = await db.FindCommitteeAsync(input.CommunityCode, cancellationToken);
        if (community is null) errors.Add(nameof(input.CommunityCode), l["Error.CommunityRequired"]);
        var name = TextNormalizer(input.Name);
        if (name.Length == 0) errors.Add(nameof(input.Name), l["Error.TeamNameRequired"]);
        else if (name.Length > 50) errors.Add(nameof(input.Name), l["Error.TooLong", 50]);
        var members = input.AccountIds?.Distinct().ToList() ?? [];
        if (community is { } c && !await AllCoverAsync(db, members, c, cancellationToken)) errors.Add(nameof(input.AccountIds), l["Error.AccountNotInCommunity"]);
        if (errors.Any) return errors.ToOutcome<TeamItem>();
        if (await db.Teams.AnyAsync(t => t.CommunityCode == community && t.Name == name, cancellationToken))
            return new Outcome<TeamItem>.Conflict(l["Error.TeamExists"]);
        var team = new Team { Name = name, CommunityCode = community!.Value };
        team.Members.AddRange(members.Select(a => new TeamMember { TeamId = team.Id, AccountId = a }));
        db.Teams.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        return (await ToItemsAsync(db, [team], cancellationToken))[0];
    }

    public async Task<Outcome<TeamItem>> SetMembersAsync(Guid id, TeamMembersInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var team = await db.Teams.Include(t => t.Members).FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (team is null) return new Outcome<TeamItem>.NotFound(l["Error.TeamNotFound"]);
        var members = input.AccountIds?.Distinct().ToList() ?? [];
        if (!await AllCoverAsync(db, members, team.CommunityCode, cancellationToken))
        {
            var errors = new FieldErrors();
            errors.Add(nameof(input.AccountIds), l["Error.AccountNotInCommunity"]);
            return errors.ToOutcome<TeamItem>();
        }
        team.Members.RemoveAll(m => !members.Contains(m.AccountId));
        team.Members.AddRange(members.Where(a => team.Members.All(m => m.AccountId != a)).Select(a => new TeamMember { TeamId = team.Id, AccountId = a }).ToList());
        await db.SaveChangesAsync(cancellationToken);
        return (await ToItemsAsync(db, [team], cancellationToken))[0];
    }

    public async Task<Outcome<AssigneeOptions>> AssigneesAsync(string? communityCode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.FindCommitteeAsync(communityCode, cancellationToken) is not { } community) return new Outcome<AssigneeOptions>.NotFound(l["Error.CommunityNotFound"]);
        var grids = await db.Grids.AsNoTracking().Where(g => g.CommunityCode == community).OrderBy(g => g.Name)
            .Select(g => new AssigneeOption(g.Id, g.Name)).ToListAsync(cancellationToken);
        var teams = await db.Teams.AsNoTracking().Where(t => t.CommunityCode == community).OrderBy(t => t.Name)
            .Select(t => new AssigneeOption(t.Id, t.Name)).ToListAsync(cancellationToken);
        var accounts = await Assignable(db, community).OrderBy(u => u.NodeMax - u.NodeMin).ThenBy(u => u.DisplayName).Take(500)
            .Select(u => new AssigneeOption(u.Id, u.DisplayName)).ToListAsync(cancellationToken);
        return new AssigneeOptions(grids, teams, accounts);
    }

    /// <summary>Accounts are not scoped by the context; these are the enabled ones whose node covers the community.</summary>
    private static IQueryable<Accounts.StaffAccount> Assignable(AppDbContext db, long community) =>
        db.Users.AsNoTracking().Where(u => u.NodeMin <= community && u.NodeMax >= community && !u.IsDisabled);

    private static async Task<bool> AllCoverAsync(AppDbContext db, List<Guid> accounts, long community, CancellationToken cancellationToken) =>
        accounts.Count == 0 || await Assignable(db, community).CountAsync(u => accounts.Contains(u.Id), cancellationToken) == accounts.Count;

    private static string TextNormalizer(string? value) => Domain.People.TextNormalizer.CleanText(value);

    private static async Task<List<TeamItem>> ToItemsAsync(AppDbContext db, List<Team> teams, CancellationToken cancellationToken)
    {
        var ids = teams.SelectMany(t => t.Members).Select(m => m.AccountId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return teams.Select(t => new TeamItem(t.Id, t.Name, t.CommunityCode.ToString(),
            t.Members.Select(m => new TeamMemberItem(m.AccountId, names.GetValueOrDefault(m.AccountId) ?? "?")).OrderBy(m => m.DisplayName).ToList())).ToList();
    }
}
