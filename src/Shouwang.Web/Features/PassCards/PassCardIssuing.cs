using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.PassCards;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.PassCards;

public sealed record PassCardIssueInput(string? CommunityCode, Guid? GridId = null);

/// <param name="Issued">Cards made now.</param>
/// <param name="Households">Households of the committee (or grid) that now hold a card.</param>
public sealed record PassCardsIssued(int Issued, int Households);

public sealed record PassCardItem(Guid Id, Guid HouseholdId, int Serial, DateTime IssuedAt, DateTime? RevokedAt, string Code, string PrintUrl);

/// <summary>Issues household pass cards: in bulk for a committee or grid, one at a time on demand, again after a loss.</summary>
public sealed class PassCardIssuing(IDbContextFactory<AppDbContext> dbFactory, CodeSigner signer, AuditLog audit, LocalClock clock, IStringLocalizer<PassCardsResource> l)
{
    private const int Batch = 2000;

    public static string PrintUrl(Guid householdId) => $"/pass-cards/household/{householdId}";

    public async Task<Outcome<PassCardsIssued>> IssueAsync(PassCardIssueInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!Committees.TryParse(input.CommunityCode, out _))
            return new Outcome<PassCardsIssued>.Invalid(new Dictionary<string, string[]> { [nameof(input.CommunityCode)] = [l["Error.CommunityCode"]] });
        if (await db.FindCommitteeAsync(input.CommunityCode, cancellationToken) is not { } code) return new Outcome<PassCardsIssued>.NotFound(l["Error.CommitteeNotFound"]);
        if (input.GridId is { } gridId && !await db.Grids.AnyAsync(g => g.Id == gridId && g.CommunityCode == code, cancellationToken))
            return new Outcome<PassCardsIssued>.Invalid(new Dictionary<string, string[]> { [nameof(input.GridId)] = [l["Error.GridNotFound"]] });

        var issued = await IssueMissingAsync(db, code, input.GridId, cancellationToken);
        var households = db.Households.Where(h => h.CommunityCode == code);
        if (input.GridId is { } grid) households = households.Where(h => h.GridId == grid);
        var total = await households.CountAsync(h => db.PassCards.Any(c => c.HouseholdId == h.Id), cancellationToken);
        return new PassCardsIssued(issued, total);
    }

    /// <summary>
    /// One query for the households without a card, then batched inserts with a single audit line for the lot (5,000 households
    /// are a few batches, not 5,000 round trips). A concurrent issue making some of the same cards only costs a retry.
    /// </summary>
    internal async Task<int> IssueMissingAsync(AppDbContext db, long code, Guid? gridId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var households = db.Households.AsNoTracking().Where(h => h.CommunityCode == code);
            if (gridId is { } grid) households = households.Where(h => h.GridId == grid);
            var missing = await households.Where(h => !db.PassCards.IgnoreQueryFilters().Any(c => c.HouseholdId == h.Id))
                .Select(h => new { h.Id, h.CommunityCode, h.GridId }).ToListAsync(cancellationToken);
            if (missing.Count == 0) return 0;
            var now = clock.UtcNow;
            try
            {
                await using var write = await dbFactory.CreateDbContextAsync(cancellationToken);
                write.AuditEntityWrites = false;
                write.ChangeTracker.AutoDetectChangesEnabled = false;
                await using var transaction = await write.Database.BeginTransactionAsync(cancellationToken);
                foreach (var chunk in missing.Chunk(Batch))
                {
                    write.PassCards.AddRange(chunk.Select(h => new PassCard { HouseholdId = h.Id, CommunityCode = h.CommunityCode, GridId = h.GridId, Serial = 1, IssuedAt = now }));
                    await write.SaveChangesAsync(cancellationToken);
                    write.ChangeTracker.Clear();
                }
                write.AuditEntries.Add(audit.Entry(AuditAction.Create, nameof(PassCard), gridId?.ToString(), code, l["Audit.Issued", missing.Count], missing.Count, write.Caller));
                await write.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return missing.Count;
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // Someone issued some of these meanwhile: look again.
            }
        }
    }

    /// <summary>The household's card, issued on the first call.</summary>
    public async Task<Outcome<PassCardItem>> CardAsync(Guid householdId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await db.Households.AsNoTracking().Where(h => h.Id == householdId).Select(h => new { h.Id, h.CommunityCode, h.GridId }).FirstOrDefaultAsync(cancellationToken);
        if (household is null) return new Outcome<PassCardItem>.NotFound(l["Error.HouseholdNotFound"]);
        var card = await db.PassCards.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.HouseholdId == householdId, cancellationToken);
        if (card is null)
        {
            card = new PassCard { HouseholdId = household.Id, CommunityCode = household.CommunityCode, GridId = household.GridId, IssuedAt = clock.UtcNow };
            db.PassCards.Add(card);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
                card = await again.PassCards.IgnoreQueryFilters().FirstAsync(c => c.HouseholdId == householdId, cancellationToken);
            }
        }
        return await ToItemAsync(card, cancellationToken);
    }

    /// <summary>A new printing: the serial goes up, so the lost or old card no longer opens the gate.</summary>
    public Task<Outcome<PassCardItem>> ReissueAsync(Guid householdId, CancellationToken cancellationToken = default) =>
        ChangeAsync(householdId, card =>
        {
            card.Serial++;
            card.RevokedAt = null;
            card.IssuedAt = clock.UtcNow;
        }, cancellationToken);

    /// <summary>The household keeps no valid card until it is reissued.</summary>
    public Task<Outcome<PassCardItem>> RevokeAsync(Guid householdId, CancellationToken cancellationToken = default) =>
        ChangeAsync(householdId, card => card.RevokedAt ??= clock.UtcNow, cancellationToken);

    private async Task<Outcome<PassCardItem>> ChangeAsync(Guid householdId, Action<PassCard> change, CancellationToken cancellationToken)
    {
        var current = await CardAsync(householdId, cancellationToken);
        if (current is not Outcome<PassCardItem>.Success) return current;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var card = await db.PassCards.IgnoreQueryFilters().FirstAsync(c => c.HouseholdId == householdId, cancellationToken);
        change(card);
        await db.SaveChangesAsync(cancellationToken);
        return await ToItemAsync(card, cancellationToken);
    }

    internal async Task<Outcome<PassCardItem>> ToItemAsync(PassCard card, CancellationToken cancellationToken) =>
        new PassCardItem(card.Id, card.HouseholdId, card.Serial, card.IssuedAt, card.RevokedAt,
            await signer.CodeAsync(CodeKind.PassCard, card.Id, card.Serial, cancellationToken), PrintUrl(card.HouseholdId));
}
