using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.PassCards;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.PassCards;

public sealed record PassCardRuleInput
{
    public int PersonsPerWindow { get; set; } = 1;
    public int WindowDays { get; set; } = 2;
    public int MaxHoursOut { get; set; } = 4;
    public bool IsActive { get; set; } = true;
}

/// <param name="Configured">False: the committee has no rule yet and these are the defaults.</param>
public sealed record PassCardRuleItem(
    string CommunityCode, string? CommunityName, bool Configured, int PersonsPerWindow, int WindowDays, int MaxHoursOut, bool IsActive,
    string? UpdatedByName, DateTime? UpdatedAt, string Text);

/// <summary>临时出入卡规则: one per committee, set by the community or the command centre.</summary>
public sealed class PassCardRules(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<PassCardsResource> l)
{
    public async Task<Outcome<PassCardRuleItem>> GetAsync(string communityCode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.FindCommitteeAsync(communityCode, cancellationToken) is not { } code) return new Outcome<PassCardRuleItem>.NotFound(l["Error.CommitteeNotFound"]);
        var rule = await db.PassCardRules.AsNoTracking().FirstOrDefaultAsync(r => r.CommunityCode == code, cancellationToken);
        return ToItem(code, await NameAsync(db, code, cancellationToken), rule);
    }

    public async Task<IReadOnlyList<PassCardRuleItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.PassCardRules.AsNoTracking().OrderBy(r => r.CommunityCode).ToListAsync(cancellationToken);
        var codes = rules.Select(r => r.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var names = await db.Jurisdictions.AsNoTracking().Where(j => codes.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
        return rules.Select(r => ToItem(r.CommunityCode, names.GetValueOrDefault(r.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture)), r)).ToList();
    }

    public async Task<Outcome<PassCardRuleItem>> SaveAsync(string communityCode, PassCardRuleInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.FindCommitteeAsync(communityCode, cancellationToken) is not { } code) return new Outcome<PassCardRuleItem>.NotFound(l["Error.CommitteeNotFound"]);
        var errors = new FieldErrors();
        if (input.PersonsPerWindow is < 1 or > 10) errors.Add(nameof(input.PersonsPerWindow), l["Error.PersonsPerWindow"]);
        if (input.WindowDays is < 1 or > 14) errors.Add(nameof(input.WindowDays), l["Error.WindowDays"]);
        if (input.MaxHoursOut is < 1 or > 24) errors.Add(nameof(input.MaxHoursOut), l["Error.MaxHoursOut"]);
        if (errors.Any) return errors.ToOutcome<PassCardRuleItem>();

        var rule = await db.PassCardRules.FirstOrDefaultAsync(r => r.CommunityCode == code, cancellationToken);
        if (rule is null)
        {
            rule = new PassCardRule { CommunityCode = code, UpdatedByName = db.Caller.Name };
            db.PassCardRules.Add(rule);
        }
        rule.PersonsPerWindow = input.PersonsPerWindow;
        rule.WindowDays = input.WindowDays;
        rule.MaxHoursOut = input.MaxHoursOut;
        rule.IsActive = input.IsActive;
        rule.UpdatedBy = db.Caller.AccountId;
        rule.UpdatedByName = db.Caller.Name;
        rule.UpdatedAt = clock.UtcNow;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two first saves at once: the other one made the rule; this change is lost, say so.
            return new Outcome<PassCardRuleItem>.Conflict(l["Error.RuleConflict"]);
        }
        return ToItem(code, await NameAsync(db, code, cancellationToken), rule);
    }

    /// <summary>"每户每2天限1人外出，每次不超过4小时".</summary>
    public string TextOf(int personsPerWindow, int windowDays, int maxHoursOut) => l["Rule.Text", windowDays, personsPerWindow, maxHoursOut];

    private PassCardRuleItem ToItem(long code, string? name, PassCardRule? rule)
    {
        var r = rule ?? new PassCardRule { CommunityCode = code, UpdatedByName = "", IsActive = false };
        return new PassCardRuleItem(code.ToString(System.Globalization.CultureInfo.InvariantCulture), name, rule is not null, r.PersonsPerWindow, r.WindowDays,
            r.MaxHoursOut, r.IsActive, rule?.UpdatedByName, rule?.UpdatedAt, TextOf(r.PersonsPerWindow, r.WindowDays, r.MaxHoursOut));
    }

    private static Task<string?> NameAsync(AppDbContext db, long code, CancellationToken cancellationToken)
    {
        var text = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return db.Jurisdictions.AsNoTracking().Where(j => j.Code == text).Select(j => (string?)j.Name).FirstOrDefaultAsync(cancellationToken);
    }
}
