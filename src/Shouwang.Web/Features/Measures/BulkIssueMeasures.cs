using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Measures;
using Shouwang.Domain.People;
using Shouwang.Domain.Policies;
using Shouwang.Domain.Restrictions;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Features.Policies;
using Shouwang.Web.Features.Restrictions;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Measures;

/// <summary>One person of a bulk issue: by registry id or by ID number, with their own anchor and identification days.</summary>
public sealed record BulkMeasureRow
{
    public Guid? PersonId { get; set; }
    public string? DocumentNumber { get; set; }
    public DocumentType DocumentType { get; set; } = DocumentType.ResidentIdCard;
    public DateOnly? AnchorDay { get; set; }
    public DateOnly? IdentifiedDay { get; set; }
}

public sealed record BulkIssueInput
{
    public PersonCategory Category { get; set; }
    public string? Reason { get; set; }
    public RestrictionBasis Basis { get; set; } = RestrictionBasis.Other;
    public string? BasisReference { get; set; }
    public string? SiteName { get; set; }
    public List<BulkMeasureRow>? Rows { get; set; }
}

public sealed record BulkIssueResult(int Issued, int Active, int PendingApproval, IReadOnlyList<string> PolicyCodes, IReadOnlyList<Guid> CourseIds);

/// <summary>
/// Issues one category's measures to many people at once (a contact list of a cluster, a flight's arrivals). All or nothing:
/// every bad row is reported by its index and nothing is written. Set-based so 10,000 rows take seconds: people are read in
/// chunks, the policy once per committee and day, and the write is one save with one summary audit entry.
/// </summary>
public sealed class BulkIssueMeasures(IDbContextFactory<AppDbContext> dbFactory, IssueMeasure issue, LocalClock clock, AuditLog audit,
    IStringLocalizer<MeasuresResource> l, ILogger<BulkIssueMeasures> logger)
{
    public const int MaxRows = 10_000;
    private const int Chunk = 500;

    private sealed record PersonRow(Guid Id, string Name, long CommunityCode, Guid? GridId, Guid? HouseholdId, DocumentType DocumentType, string DocumentNumber);

    public async Task<Outcome<BulkIssueResult>> HandleAsync(BulkIssueInput input, CancellationToken cancellationToken = default)
    {
        var today = clock.Today();
        var errors = new FieldErrors();
        var rows = input.Rows ?? [];
        if (rows.Count == 0) errors.Add(nameof(input.Rows), l["Error.RowsRequired"]);
        else if (rows.Count > MaxRows) errors.Add(nameof(input.Rows), l["Error.TooManyRows", MaxRows]);
        var shared = issue.Check(new IssueMeasureInput
        {
            Category = input.Category, Reason = input.Reason, Basis = input.Basis, BasisReference = input.BasisReference, SiteName = input.SiteName,
        }, errors, "");
        if (errors.Any || shared is null) return errors.ToOutcome<BulkIssueResult>();

        var documents = new string?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var prefix = $"Rows[{i}].";
            // JSON may carry a null where a row should be.
            if (row is null)
            {
                errors.Add($"Rows[{i}]", l["Error.RowPersonRequired"]);
                continue;
            }
            if (row.PersonId is null)
            {
                if (string.IsNullOrWhiteSpace(row.DocumentNumber)) errors.Add(prefix + nameof(row.PersonId), l["Error.RowPersonRequired"]);
                else if (!DocumentNumber.TryNormalize(row.DocumentType, row.DocumentNumber, out var normalized, out _))
                    errors.Add(prefix + nameof(row.DocumentNumber), l["Error.RowDocumentInvalid"]);
                else documents[i] = normalized;
            }
            issue.CheckDays(row.AnchorDay, row.IdentifiedDay ?? today, today, errors, prefix);
        }
        if (errors.Any) return errors.ToOutcome<BulkIssueResult>();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!Restriction.NeedsSecondApproval(shared.Basis) && !await RestrictionBases.ExistsAsync(db, shared.Basis, shared.BasisReference, cancellationToken))
        {
            errors.Add(nameof(BulkIssueInput.BasisReference), l["Error.BasisReferenceNotFound"]);
            return errors.ToOutcome<BulkIssueResult>();
        }

        // The people, in chunks; those outside the caller's jurisdiction are simply not found.
        var byId = new Dictionary<Guid, PersonRow>();
        var byDocument = new Dictionary<(DocumentType, string), PersonRow>();
        foreach (var chunk in rows.Where(r => r.PersonId is not null).Select(r => r.PersonId!.Value).Distinct().Chunk(Chunk))
        {
            foreach (var p in await SelectPersons(db.Persons.Where(p => chunk.Contains(p.Id))).ToListAsync(cancellationToken)) byId[p.Id] = p;
        }
        foreach (var chunk in documents.OfType<string>().Distinct().Chunk(Chunk))
        {
            foreach (var p in await SelectPersons(db.Persons.Where(p => chunk.Contains(p.DocumentNumber))).ToListAsync(cancellationToken))
                byDocument[(p.DocumentType, p.DocumentNumber)] = p;
        }

        var resolved = new PersonRow?[rows.Count];
        var seen = new HashSet<Guid>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var person = row.PersonId is { } id ? byId.GetValueOrDefault(id) : byDocument.GetValueOrDefault((row.DocumentType, documents[i]!));
            var field = $"Rows[{i}].{(row.PersonId is null ? nameof(row.DocumentNumber) : nameof(row.PersonId))}";
            if (person is null) errors.Add(field, l["Error.PersonNotFound"]);
            else if (!seen.Add(person.Id)) errors.Add(field, l["Error.RowDuplicate"]);
            else resolved[i] = person;
        }
        if (errors.Any) return errors.ToOutcome<BulkIssueResult>();
        var running = await IssueMeasure.RunningCoursesAsync(db, [.. seen], shared.Category, today, cancellationToken);
        for (var i = 0; i < rows.Count; i++)
        {
            if (running.Contains(resolved[i]!.Id))
                errors.Add($"Rows[{i}].{(rows[i].PersonId is null ? nameof(BulkMeasureRow.DocumentNumber) : nameof(BulkMeasureRow.PersonId))}", l["Error.AlreadyUnderMeasure"]);
        }
        if (errors.Any) return errors.ToOutcome<BulkIssueResult>();
        // Each row takes effect at once only if the record is about that person (a lockdown building's residents, say); the rest wait for a second person.
        var verified = await issue.VerifyBasisAsync(db, shared, seen, errors, "", cancellationToken) ?? [];

        var homes = new Dictionary<Guid, string>();
        foreach (var chunk in resolved.Select(p => p!.HouseholdId).OfType<Guid>().Distinct().Chunk(Chunk))
        {
            foreach (var h in await db.Households.AsNoTracking().Where(h => chunk.Contains(h.Id)).Select(h => new { h.Id, h.Address }).ToListAsync(cancellationToken))
                homes[h.Id] = h.Address;
        }

        var loaded = watch.Elapsed.TotalMilliseconds;
        // The policy once per committee and identification day (a list rarely has more than a handful of either).
        var policies = new Dictionary<(long, DateOnly), StoredPolicy?>();
        var versions = new Dictionary<Guid, PolicyVersion>();
        var caller = db.Caller;
        var now = clock.UtcNow;
        var drafts = new List<CourseDraft>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var person = resolved[i]!;
            var identified = row.IdentifiedDay ?? today;
            if (!policies.TryGetValue((person.CommunityCode, identified), out var policy))
            {
                policy = (await PolicyLookup.ForCommunityAsync(db, person.CommunityCode, identified, cancellationToken))?.Policy;
                policies[(person.CommunityCode, identified)] = policy;
            }
            PolicyVersion? version = null;
            if (policy is not null && !versions.TryGetValue(policy.Id, out version)) versions[policy.Id] = version = policy.ToVersion();
            if (issue.Lay(policy, shared, row.AnchorDay!.Value, identified, today, errors, $"Rows[{i}].", verified.Contains(person.Id), version) is not var (p, schedule, state)) continue;
            var home = person.HouseholdId is { } householdId ? homes.GetValueOrDefault(householdId) : null;
            drafts.Add(IssueMeasure.Draft(new CoursePerson(person.Id, person.CommunityCode, person.GridId, home), shared, p, schedule, state, caller, now));
        }
        if (errors.Any) return errors.ToOutcome<BulkIssueResult>();

        var laid = watch.Elapsed.TotalMilliseconds;
        // Written as plain multi-row INSERTs in one transaction with one summary entry instead of one per row: the people were
        // read through the caller's scoped context, so every row lies inside it.
        var active = drafts.Count(d => d.Restriction.State == RestrictionState.Active);
        var codes = drafts.Select(d => d.Policy.Code).Distinct().Order().ToList();
        var scope = drafts.Select(d => d.Restriction.CommunityCode).Distinct().Count() == 1 ? drafts[0].Restriction.CommunityCode : caller.ScopeMin;
        if (drafts.Any(d => !caller.Covers(d.Restriction.CommunityCode))) throw new ScopeViolationException();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await RowInsert.WriteAsync(db, [.. drafts.Select(d => d.Restriction)], cancellationToken);
            await RowInsert.WriteAsync(db, [.. drafts.SelectMany(d => d.Stages)], cancellationToken);
            db.AuditEntries.Add(audit.Entry(AuditAction.Request, nameof(ControlMeasure), null, scope,
                $"bulk {input.Category} {string.Join(",", codes)} {input.Basis} {input.BasisReference}: {drafts.Count} courses, {active} active", drafts.Count, caller));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        logger.LogInformation("Bulk issue of {Courses} courses ({Stages} stages): people read in {Loaded:F0} ms, laid out in {Laid:F0} ms, saved in {Saved:F0} ms",
            drafts.Count, drafts.Sum(d => d.Stages.Count), loaded, laid - loaded, watch.Elapsed.TotalMilliseconds - laid);
        return new BulkIssueResult(drafts.Count, active, drafts.Count - active, codes, [.. drafts.Select(d => d.Restriction.Id)]);
    }

    private static IQueryable<PersonRow> SelectPersons(IQueryable<Person> query) => query.AsNoTracking()
        .Select(p => new PersonRow(p.Id, p.Name, p.CommunityCode, p.GridId, p.HouseholdId, p.DocumentType, p.DocumentNumber));
}
