using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Registry;

public sealed record HouseholdMember(Guid Id, string Name, RelationToHead RelationToHead, Sex Sex, int? Age, VulnerabilityTags Tags);

public sealed record PersonDetails(
    Guid Id, string Name, DocumentType DocumentType, string DocumentNumber, string DocumentNumberMasked, Sex Sex,
    DateOnly? BirthDate, int? Age, string? Phone, string? PhoneMasked, Guid? HouseholdId, string? Address,
    RelationToHead RelationToHead, ResidenceType ResidenceType, VulnerabilityTags Tags, int VaccinationDoses, string? Notes,
    string CommunityCode, string? CommunityName, Guid? GridId, string? GridName, IReadOnlyList<HouseholdMember> HouseholdMembers,
    DateTime CreatedAt, DateTime UpdatedAt);

public sealed class GetPerson(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, IStringLocalizer<SharedResource> l)
{
    public async Task<Outcome<PersonDetails>> HandleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var p = await db.Persons.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (p is null) return new Outcome<PersonDetails>.NotFound(l["Error.PersonNotFound"]);
        var today = clock.Today();
        var household = p.HouseholdId is { } hid ? await db.Households.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hid, cancellationToken) : null;
        var members = household is null ? [] : (await db.Persons.AsNoTracking().Where(m => m.HouseholdId == household.Id)
            .OrderBy(m => m.RelationToHead).ThenBy(m => m.BirthDate).ToListAsync(cancellationToken))
            .Select(m => new HouseholdMember(m.Id, m.Name, m.RelationToHead, m.Sex, m.AgeOn(today), m.Tags)).ToList();
        var community = p.CommunityCode.ToString();
        var communityName = await db.Jurisdictions.Where(j => j.Code == community).Select(j => j.Name).FirstOrDefaultAsync(cancellationToken);
        var gridName = p.GridId is { } gid ? await db.Grids.Where(g => g.Id == gid).Select(g => g.Name).FirstOrDefaultAsync(cancellationToken) : null;
        // Whole numbers only for roles that may reveal them; everyone else gets the masked form in both fields.
        var reveal = db.Caller.Can(Permission.RevealIdentity);
        var document = DocumentNumber.Mask(p.DocumentNumber);
        var phone = p.Phone is null ? null : PhoneNumber.Mask(p.Phone);
        return new PersonDetails(
            p.Id, p.Name, p.DocumentType, reveal ? p.DocumentNumber : document, document, p.Sex, p.BirthDate, p.AgeOn(today),
            reveal ? p.Phone : phone, phone, p.HouseholdId, household?.Address, p.RelationToHead, p.ResidenceType, p.Tags,
            p.VaccinationDoses, p.Notes, community, communityName, p.GridId, gridName, members, p.CreatedAt, p.UpdatedAt);
    }
}
