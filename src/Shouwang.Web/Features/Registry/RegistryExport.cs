using Microsoft.Extensions.Localization;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Registry;

/// <summary>The person and household lists as .xlsx, ID and phone masked (DESIGN.md, People).</summary>
public sealed class RegistryExport(SearchPersons persons, SearchHouseholds households, AuditLog audit, LocalClock clock, IStringLocalizer<SharedResource> l)
{
    public const int MaxRows = 200_000;

    public async Task<(byte[] Content, string FileName)> PersonsAsync(PersonSearch search, CancellationToken cancellationToken = default)
    {
        var rows = await persons.AllAsync(search, MaxRows, cancellationToken);
        var content = ExcelExport.ToXlsx(rows, [
            (l["Field.Name"], p => p.Name),
            (l["Field.DocumentNumber"], p => p.DocumentNumber),
            (l["Field.Sex"], p => l[$"Sex.{p.Sex}"].Value),
            (l["Field.Age"], p => p.Age),
            (l["Field.Phone"], p => p.Phone),
            (l["Field.Address"], p => p.Address),
            (l["Field.RelationToHead"], p => l[$"Relation.{p.RelationToHead}"].Value),
            (l["Field.ResidenceType"], p => l[$"Residence.{p.ResidenceType}"].Value),
            (l["Field.Tags"], p => Labels.Tags(l, p.Tags)),
            (l["Field.VaccinationDoses"], p => p.VaccinationDoses),
            (l["Field.Community"], p => p.CommunityName),
            (l["Field.Grid"], p => p.GridName),
        ], l["Nav.Persons"]);
        await AuditAsync("List:Persons", search with { Page = null, PageSize = null }, rows.Count, cancellationToken);
        return (content, ExcelExport.FileName("persons", clock.ToLocal(clock.UtcNow)));
    }

    public async Task<(byte[] Content, string FileName)> HouseholdsAsync(HouseholdSearch search, CancellationToken cancellationToken = default)
    {
        var rows = await households.AllAsync(search, MaxRows, cancellationToken);
        var content = ExcelExport.ToXlsx(rows, [
            (l["Field.Address"], h => h.Address),
            (l["Field.Head"], h => h.HeadName),
            (l["Field.MemberCount"], h => h.MemberCount),
            (l["Field.Tags"], h => Labels.Tags(l, h.MemberTags)),
            (l["Field.Community"], h => h.CommunityName),
            (l["Field.Grid"], h => h.GridName),
        ], l["Nav.Households"]);
        await AuditAsync("List:Households", search with { Page = null, PageSize = null }, rows.Count, cancellationToken);
        return (content, ExcelExport.FileName("households", clock.ToLocal(clock.UtcNow)));
    }

    private Task AuditAsync<TFilter>(string list, TFilter filter, int rows, CancellationToken cancellationToken) where TFilter : notnull =>
        audit.WriteExportAsync(list, filter, rows, Accounts.CallerContext.Current.ScopeMin, cancellationToken: cancellationToken);
}
