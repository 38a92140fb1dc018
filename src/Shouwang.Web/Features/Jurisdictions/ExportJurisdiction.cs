using Microsoft.Extensions.Localization;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Registry;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Jurisdictions;

/// <summary>The children of a node with their counts as .xlsx: the table a street sends upwards.</summary>
public sealed class ExportJurisdiction(BrowseJurisdiction browse, AuditLog audit, LocalClock clock, IStringLocalizer<SharedResource> l)
{
    public async Task<Outcome<(byte[] Content, string FileName)>> HandleAsync(string code, CancellationToken cancellationToken = default)
    {
        if (await browse.HandleAsync(code, cancellationToken) is not Outcome<JurisdictionNode>.Success node)
            return new Outcome<(byte[], string)>.NotFound(l["Error.JurisdictionNotFound"]);
        var columns = new List<(string, Func<JurisdictionChild, object?>)>
        {
            (l["Field.PlaceName"], c => c.Name),
            (l["Field.Code"], c => c.Code),
            (l["Count.Households"], c => c.Counts.Households),
            (l["Count.Persons"], c => c.Counts.Persons),
            (l["Count.Vulnerable"], c => c.Counts.Vulnerable),
        };
        columns.AddRange(Labels.AllTags.Select(tag => ((string)l[$"Tag.{tag}"], (Func<JurisdictionChild, object?>)(c => c.Counts.ByTag.GetValueOrDefault(tag)))));
        var content = ExcelExport.ToXlsx(node.Value.Children, columns, node.Value.Name);
        await audit.WriteExportAsync("List:JurisdictionChildren", new { jurisdiction = node.Value.Code }, node.Value.Children.Count,
            JurisdictionCode.Parse(node.Value.Code).SubtreeRange.Min, node.Value.Code, cancellationToken);
        return (content, ExcelExport.FileName($"{node.Value.Code}", clock.ToLocal(clock.UtcNow)));
    }
}
