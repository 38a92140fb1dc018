using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.People;
using Shouwang.Domain.Registry;
using Shouwang.Domain.Registry.Roster;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Jurisdictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Registry.Import;

public enum ImportMode
{
    /// <summary>Check the file and report every bad row; write nothing.</summary>
    Preview,
    /// <summary>Write everything, or nothing if any row is bad.</summary>
    All,
    /// <summary>Write the good rows and skip the bad ones (the user chose this after a preview).</summary>
    ValidOnly,
}

public sealed record RosterImportIssue(int Row, string? Column, string Code, string Message, bool IsWarning);

public sealed record RosterPreviewRow(int Row, string Name, string DocumentNumber, string? Phone, string Address, RelationToHead RelationToHead,
    ResidenceType ResidenceType, VulnerabilityTags Tags, string? Grid);

public sealed record RosterImportReport(
    ImportMode Mode, bool Committed, int DataRows, int ValidRows, int BadRows, int Warnings,
    int PersonsCreated, int PersonsUpdated, int HouseholdsCreated, int CompoundsCreated, int BuildingsCreated,
    IReadOnlyDictionary<string, string> MappedHeaders, IReadOnlyList<string> IgnoredHeaders,
    IReadOnlyList<RosterImportIssue> Issues, IReadOnlyList<RosterPreviewRow> Preview);

/// <summary>
/// Loads a community's household roster (.xlsx or .csv): preview first, then all-or-nothing or good rows only.
/// Rows are grouped into households by address; a document number already in the registry updates that person
/// (a move, not a second person).
/// </summary>
public sealed class ImportRoster(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, AuditLog audit, IStringLocalizer<SharedResource> l, ILogger<ImportRoster> logger)
{
    public const int PreviewRows = 20;
    private const int SaveEvery = 5_000;

    public async Task<Outcome<RosterImportReport>> HandleAsync(Stream file, string? communityCode, Guid? defaultGridId, ImportMode mode, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        if (!Enum.IsDefined(mode)) errors.Add("mode", l["Error.ValueInvalid"]);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.FindCommitteeAsync(communityCode, cancellationToken);
        if (found is null) errors.Add("community", l["Error.CommunityInvalid"]);
        var community = found ?? 0;
        if (errors.Any) return errors.ToOutcome<RosterImportReport>();

        var readError = RosterFileReader.TryRead(file, out var cells);
        if (readError != RosterFileError.None)
        {
            errors.Add("file", l[$"Import.File.{readError}", RosterFileReader.MaxBytes / 1024 / 1024]);
            return errors.ToOutcome<RosterImportReport>();
        }
        var parsed = RosterParser.Parse(cells);
        var fatal = parsed.Issues.FirstOrDefault(i => i.Code is RosterIssueCode.HeaderNotFound or RosterIssueCode.MissingRequiredColumn);
        if (fatal is not null)
        {
            errors.Add("file", Describe(fatal));
            return errors.ToOutcome<RosterImportReport>();
        }

        var grids = await db.Grids.AsNoTracking().Where(g => g.CommunityCode == community).ToListAsync(cancellationToken);
        Guid? fallbackGrid = defaultGridId is { } chosen
            ? grids.FirstOrDefault(g => g.Id == chosen)?.Id
            : grids.Count == 1 ? grids[0].Id : null;
        if (defaultGridId is not null && fallbackGrid is null)
        {
            errors.Add("grid", l["Error.GridInvalid"]);
            return errors.ToOutcome<RosterImportReport>();
        }
        var gridByName = grids.ToDictionary(g => g.Name, g => g.Id);

        var issues = parsed.Issues.Select(i => new RosterImportIssue(i.RowNumber, i.Column, i.Code.ToString(), Describe(i), i.IsWarning)).ToList();
        var rows = new List<(RosterRow Row, Guid GridId)>(parsed.ValidRows.Count);
        var gridHeader = parsed.MappedHeaders.GetValueOrDefault(RosterColumn.Grid);
        foreach (var row in parsed.ValidRows)
        {
            if (row.Grid is { Length: > 0 } gridName)
            {
                if (gridByName.TryGetValue(gridName, out var gridId)) rows.Add((row, gridId));
                else issues.Add(new RosterImportIssue(row.RowNumber, gridHeader, "GridUnknown", l["Import.GridUnknown", gridName], false));
            }
            else if (fallbackGrid is { } gridId) rows.Add((row, gridId));
            else issues.Add(new RosterImportIssue(row.RowNumber, gridHeader, "GridMissing", l["Import.GridMissing"], false));
        }
        // A person registered outside the caller's jurisdiction can't be moved in by a roster: that is a transfer between
        // communities. The row is refused without saying where the person lives.
        var documentHeader = parsed.MappedHeaders.GetValueOrDefault(RosterColumn.DocumentNumber);
        var outside = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in rows.Select(r => r.Row.DocumentNumber).Distinct().Chunk(500))
        {
            outside.UnionWith(await db.Persons.IgnoreQueryFilters().AsNoTracking()
                .Where(p => chunk.Contains(p.DocumentNumber) && (p.CommunityCode < db.Caller.ScopeMin || p.CommunityCode > db.Caller.ScopeMax))
                .Select(p => p.DocumentNumber).ToListAsync(cancellationToken));
        }
        if (outside.Count > 0)
        {
            foreach (var (row, _) in rows.Where(r => outside.Contains(r.Row.DocumentNumber)))
                issues.Add(new RosterImportIssue(row.RowNumber, documentHeader, "RegisteredElsewhere", l["Import.RegisteredElsewhere"], false));
            rows.RemoveAll(r => outside.Contains(r.Row.DocumentNumber));
        }
        issues.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : string.CompareOrdinal(a.Column, b.Column));
        var badRows = issues.Where(i => !i.IsWarning).Select(i => i.Row).Distinct().Count();
        var warnings = issues.Count(i => i.IsWarning);
        var preview = rows.Take(PreviewRows).Select(r => new RosterPreviewRow(r.Row.RowNumber, r.Row.Name, DocumentNumber.Mask(r.Row.DocumentNumber),
            PhoneNumber.Mask(r.Row.Phone), r.Row.Address, r.Row.RelationToHead, r.Row.ResidenceType, r.Row.Tags, r.Row.Grid)).ToList();
        var mapped = parsed.MappedHeaders.ToDictionary(m => m.Key.ToString(), m => m.Value);

        RosterImportReport Report(bool committed, Counts counts) => new(mode, committed, parsed.DataRowCount, rows.Count, badRows, warnings,
            counts.PersonsCreated, counts.PersonsUpdated, counts.HouseholdsCreated, counts.CompoundsCreated, counts.BuildingsCreated,
            mapped, parsed.IgnoredHeaders, issues, preview);

        if (mode == ImportMode.Preview || (mode == ImportMode.All && badRows > 0) || rows.Count == 0) return Report(false, new Counts());
        var written = await WriteAsync(db, community, rows, cancellationToken);
        logger.LogInformation("Roster import into {Community}: {Created} persons created, {Updated} updated, {Skipped} bad rows skipped",
            community, written.PersonsCreated, written.PersonsUpdated, badRows);
        return Report(true, written);
    }

    private sealed class Counts
    {
        public int PersonsCreated { get; set; }
        public int PersonsUpdated { get; set; }
        public int HouseholdsCreated { get; set; }
        public int CompoundsCreated { get; set; }
        public int BuildingsCreated { get; set; }
    }

    private async Task<Counts> WriteAsync(AppDbContext db, long community, List<(RosterRow Row, Guid GridId)> rows, CancellationToken cancellationToken)
    {
        var counts = new Counts();
        var now = clock.UtcNow;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        // One entry for the import (in its transaction) rather than one per row.
        db.AuditEntityWrites = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var compounds = await db.Compounds.Where(c => c.CommunityCode == community).ToDictionaryAsync(c => c.Name, cancellationToken);
        var buildings = (await db.Buildings.Where(b => b.CommunityCode == community).ToListAsync(cancellationToken))
            .ToDictionary(b => (b.CompoundId, b.Name));
        var households = new Dictionary<string, Household>(StringComparer.Ordinal);
        foreach (var h in await db.Households.Where(h => h.CommunityCode == community).ToListAsync(cancellationToken))
            households.TryAdd(h.Address, h);

        var existing = new Dictionary<(DocumentType, string), Person>();
        foreach (var chunk in rows.Select(r => r.Row.DocumentNumber).Distinct().Chunk(500))
        {
            foreach (var p in await db.Persons.Where(p => chunk.Contains(p.DocumentNumber)).ToListAsync(cancellationToken))
                existing[(p.DocumentType, p.DocumentNumber)] = p;
        }

        var sinceSave = 0;
        foreach (var (row, gridId) in rows)
        {
            Compound? compound = null;
            if (row.Compound is { Length: > 0 } compoundName && !compounds.TryGetValue(compoundName, out compound))
            {
                compound = new Compound { CommunityCode = community, Name = compoundName };
                compounds[compoundName] = compound;
                db.Compounds.Add(compound);
                counts.CompoundsCreated++;
            }
            Building? building = null;
            if (compound is not null && row.Building is { Length: > 0 } buildingName && !buildings.TryGetValue((compound.Id, buildingName), out building))
            {
                building = new Building { CompoundId = compound.Id, CommunityCode = community, Name = buildingName };
                buildings[(compound.Id, buildingName)] = building;
                db.Buildings.Add(building);
                counts.BuildingsCreated++;
            }
            if (!households.TryGetValue(row.Address, out var household))
            {
                household = new Household
                {
                    CommunityCode = community, GridId = gridId, CompoundId = compound?.Id, BuildingId = building?.Id,
                    Unit = row.Unit, DoorNumber = row.DoorNumber, Address = row.Address, CreatedAt = now, UpdatedAt = now,
                };
                households[row.Address] = household;
                db.Households.Add(household);
                counts.HouseholdsCreated++;
            }
            if (existing.TryGetValue((row.DocumentType, row.DocumentNumber), out var person))
            {
                counts.PersonsUpdated++;
                db.Entry(person).State = EntityState.Modified;
            }
            else
            {
                person = new Person { DocumentNumber = row.DocumentNumber, Name = row.Name, CreatedAt = now };
                existing[(row.DocumentType, row.DocumentNumber)] = person;
                db.Persons.Add(person);
                counts.PersonsCreated++;
            }
            person.SetDocument(row.DocumentType, row.DocumentNumber);
            person.Name = row.Name;
            person.Phone = row.Phone ?? person.Phone;
            person.MoveTo(household, row.RelationToHead);
            person.ResidenceType = row.ResidenceType;
            person.Tags = row.Tags;
            person.VaccinationDoses = row.VaccinationDoses;
            person.Notes = row.Notes ?? person.Notes;
            person.UpdatedAt = now;
            if (row.RelationToHead == RelationToHead.Head) household.HeadPersonId = person.Id;
            if (db.Entry(household).State is EntityState.Unchanged or EntityState.Detached) db.Entry(household).State = EntityState.Modified;
            // Written in slices inside the one transaction, so a 50,000-row roster doesn't sit in the change tracker.
            if (++sinceSave >= SaveEvery)
            {
                sinceSave = 0;
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
        db.AuditEntries.Add(audit.Entry(AuditAction.Import, "Person", null, community,
            $"roster: {counts.PersonsCreated} created, {counts.PersonsUpdated} updated, {counts.HouseholdsCreated} households", counts.PersonsCreated + counts.PersonsUpdated));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return counts;
    }

    private string Describe(RosterIssue issue)
    {
        var message = l[$"Roster.{issue.Code}", issue.Value ?? "", issue.Column ?? ""].Value;
        // Detail is a reason code for invalid values; for duplicates it holds the first row's number instead.
        var detail = issue.Detail is { Length: > 0 } code && !code.All(char.IsAsciiDigit) ? l[$"Roster.Detail.{code}"] : null;
        return detail is { ResourceNotFound: false } ? $"{message}（{detail.Value}）" : message;
    }
}
