using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.PassCards;

public sealed record PrintableCard(Guid HouseholdId, string Address, string? HeadMasked, string? CommunityName, int Serial, string QrSvg, string RuleText, bool Revoked);

public sealed record PrintableGrid(string GridName, IReadOnlyList<PrintableCard> Cards);

/// <summary>Cards as printed: the household, the rule, and the signed code as an inline SVG QR symbol.</summary>
public sealed class PassCardPrint(IDbContextFactory<AppDbContext> dbFactory, PassCardIssuing issuing, PassCardRules rules, CodeSigner signer)
{
    public async Task<PrintableCard?> HouseholdAsync(Guid householdId, CancellationToken cancellationToken = default)
    {
        if (await issuing.CardAsync(householdId, cancellationToken) is not Outcome<PassCardItem>.Success) return null;
        var cards = await CardsAsync(db => db.Households.Where(h => h.Id == householdId), cancellationToken);
        return cards.Count > 0 ? cards[0] : null;
    }

    /// <summary>Every household of the grid, cards issued first where missing.</summary>
    public async Task<PrintableGrid?> GridAsync(Guid gridId, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var grid = await db.Grids.AsNoTracking().Where(g => g.Id == gridId).Select(g => new { g.Name, g.CommunityCode }).FirstOrDefaultAsync(cancellationToken);
            if (grid is null) return null;
            await issuing.IssueMissingAsync(db, grid.CommunityCode, gridId, cancellationToken);
            return new PrintableGrid(grid.Name, await CardsAsync(d => d.Households.Where(h => h.GridId == gridId), cancellationToken));
        }
    }

    /// <summary>The grids of a committee in scope, for the print links.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> GridsAsync(string? communityCode, CancellationToken cancellationToken = default)
    {
        if (!Jurisdictions.Committees.TryParse(communityCode, out var code)) return [];
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Grids.AsNoTracking().Where(g => g.CommunityCode == code).OrderBy(g => g.Name).Select(g => new { g.Id, g.Name }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.Name)).ToList();
    }

    private async Task<IReadOnlyList<PrintableCard>> CardsAsync(Func<AppDbContext, IQueryable<Domain.Registry.Household>> households, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from h in households(db).AsNoTracking()
                          join c in db.PassCards on h.Id equals c.HouseholdId
                          join p in db.Persons on h.HeadPersonId equals p.Id into ps
                          from p in ps.DefaultIfEmpty()
                          orderby h.Address
                          select new { h.Id, h.Address, h.CommunityCode, Head = p == null ? null : p.Name, CardId = c.Id, c.Serial, c.RevokedAt })
            .ToListAsync(cancellationToken);
        var codes = rows.Select(r => r.CommunityCode).Distinct().ToList();
        var ruleRows = await db.PassCardRules.AsNoTracking().Where(r => codes.Contains(r.CommunityCode)).ToDictionaryAsync(r => r.CommunityCode, cancellationToken);
        var codeTexts = codes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var names = await db.Jurisdictions.AsNoTracking().Where(j => codeTexts.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
        var cards = new List<PrintableCard>(rows.Count);
        foreach (var r in rows)
        {
            var rule = ruleRows.GetValueOrDefault(r.CommunityCode) ?? new Domain.PassCards.PassCardRule { UpdatedByName = "" };
            var code = await signer.CodeAsync(CodeKind.PassCard, r.CardId, r.Serial, cancellationToken);
            cards.Add(new PrintableCard(r.Id, r.Address, r.Head is null ? null : PersonName.Mask(r.Head),
                names.GetValueOrDefault(r.CommunityCode.ToString(System.Globalization.CultureInfo.InvariantCulture)), r.Serial, Infrastructure.QrSvg.For(code),
                rules.TextOf(rule.PersonsPerWindow, rule.WindowDays, rule.MaxHoursOut), r.RevokedAt != null));
        }
        return cards;
    }
}
