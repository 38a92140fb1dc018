using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Policies;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Accounts;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Policies;

public sealed record CopyPolicyInput
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public DateOnly? EffectiveFrom { get; set; }
}

public sealed record UpdatePolicyInput
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public DateOnly? EffectiveFrom { get; set; }
    public List<CategoryRule>? Rules { get; set; }
    public List<RiskAreaKind>? RiskAreas { get; set; }
    public List<ReleaseRule>? ReleaseRules { get; set; }
}

public sealed record PutInForceInput
{
    public string? JurisdictionCode { get; set; }
    public DateOnly? FromDay { get; set; }
}

/// <summary>
/// Reads, copies, edits and puts in force policy versions. Versions are platform-wide; where they are in force is scoped:
/// a caller sees and sets in-force rows only for nodes in their subtree. Changes need <see cref="Permission.ApproveRestriction"/>
/// (admin and command): what the district quarantines people for is the command's decision, not a clerk's.
/// </summary>
public sealed class ManagePolicies(IDbContextFactory<AppDbContext> dbFactory, LocalClock clock, AuditLog audit, IStringLocalizer<PoliciesResource> l)
{
    public const Permission ChangePolicies = Permission.ApproveRestriction;
    public const int MaxCodeLength = 40;
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 1000;

    public async Task<IReadOnlyList<PolicySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var policies = await db.Policies.AsNoTracking().OrderBy(p => p.EffectiveFrom).ThenBy(p => p.Code).ToListAsync(cancellationToken);
        var inForce = await InForceInScopeAsync(db, null, cancellationToken);
        return [.. policies.Select(p => Summary(p, inForce))];
    }

    public async Task<Outcome<PolicyDetails>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var policy = await db.Policies.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy is null) return new Outcome<PolicyDetails>.NotFound(l["Error.PolicyNotFound"]);
        return Details(policy, await InForceInScopeAsync(db, id, cancellationToken));
    }

    public async Task<Outcome<PolicyDetails>> CopyAsync(Guid id, CopyPolicyInput input, CancellationToken cancellationToken = default)
    {
        var code = input.Code?.Trim() ?? "";
        var name = input.Name?.Trim() ?? "";
        var description = input.Description?.Trim();
        var errors = new FieldErrors();
        if (code.Length == 0) errors.Add(nameof(input.Code), l["Error.CodeMissing"]);
        else if (code.Length > MaxCodeLength) errors.Add(nameof(input.Code), l["Error.TooLong", MaxCodeLength]);
        if (name.Length == 0) errors.Add(nameof(input.Name), l["Error.NameMissing"]);
        else if (name.Length > MaxNameLength) errors.Add(nameof(input.Name), l["Error.TooLong", MaxNameLength]);
        if (description?.Length > MaxDescriptionLength) errors.Add(nameof(input.Description), l["Error.TooLong", MaxDescriptionLength]);
        if (input.EffectiveFrom is null) errors.Add(nameof(input.EffectiveFrom), l["Error.EffectiveFromMissing"]);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!db.Caller.Can(ChangePolicies)) return new Outcome<PolicyDetails>.Forbidden(l["Error.NotAllowed"]);
        var source = await db.Policies.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (source is null) return new Outcome<PolicyDetails>.NotFound(l["Error.PolicyNotFound"]);
        if (code.Length > 0 && await db.Policies.AnyAsync(p => p.Code == code, cancellationToken)) errors.Add(nameof(input.Code), l["Error.CodeTaken", code]);
        if (errors.Any) return errors.ToOutcome<PolicyDetails>();

        var version = source.ToVersion() with { Code = code, Name = name, Description = description ?? source.Description, EffectiveFrom = input.EffectiveFrom!.Value };
        var copy = StoredPolicy.From(version, isPreset: false, clock.UtcNow);
        db.Policies.Add(copy);
        db.AuditEntries.Add(audit.Entry(AuditAction.Create, "Policy", copy.Id.ToString(), db.Caller.ScopeMin, $"{code} ← {source.Code}", caller: db.Caller));
        await db.SaveChangesAsync(cancellationToken);
        return Details(copy, []);
    }

    public async Task<Outcome<PolicyDetails>> UpdateAsync(Guid id, UpdatePolicyInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!db.Caller.Can(ChangePolicies)) return new Outcome<PolicyDetails>.Forbidden(l["Error.NotAllowed"]);
        var policy = await db.Policies.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy is null) return new Outcome<PolicyDetails>.NotFound(l["Error.PolicyNotFound"]);
        if (policy.IsPreset) return new Outcome<PolicyDetails>.Conflict(l["Error.PresetReadOnly"]);

        var errors = new FieldErrors();
        var description = input.Description?.Trim() ?? policy.Description;
        if (description.Length > MaxDescriptionLength) errors.Add(nameof(input.Description), l["Error.TooLong", MaxDescriptionLength]);
        if (input.Name?.Trim().Length > MaxNameLength) errors.Add(nameof(input.Name), l["Error.TooLong", MaxNameLength]);
        var current = policy.ToVersion();
        // Missing lists keep what is stored; JSON nulls inside a rule are treated as empty so that Validate reports them.
        var version = current with
        {
            Name = input.Name is null ? current.Name : input.Name.Trim(),
            Description = description,
            EffectiveFrom = input.EffectiveFrom ?? current.EffectiveFrom,
            Rules = input.Rules is null ? current.Rules : [.. input.Rules.Select(r => r with { Stages = [.. (r.Stages ?? []).Select(s => s with { TestDays = s.TestDays ?? [] })] })],
            RiskAreas = input.RiskAreas is null ? current.RiskAreas : [.. input.RiskAreas.Select(a => a with { Name = a.Name ?? "", DrawnBy = a.DrawnBy ?? "" })],
            ReleaseRules = input.ReleaseRules ?? current.ReleaseRules,
        };
        foreach (var error in version.Validate())
        {
            var (field, message) = PolicyText.Error(l, error);
            errors.Add(field, message);
        }
        var json = PolicyRuleSet.From(version).ToJson();
        if (json.Length > StoredPolicy.MaxRulesLength) errors.Add(nameof(input.Rules), l["Error.RulesTooLarge"]);
        if (errors.Any) return errors.ToOutcome<PolicyDetails>();

        policy.Name = version.Name;
        policy.Description = version.Description;
        policy.EffectiveFrom = version.EffectiveFrom;
        policy.RulesJson = json;
        policy.UpdatedAt = clock.UtcNow;
        db.AuditEntries.Add(audit.Entry(AuditAction.Update, "Policy", policy.Id.ToString(), db.Caller.ScopeMin, policy.Code, caller: db.Caller));
        await db.SaveChangesAsync(cancellationToken);
        return Details(policy, await InForceInScopeAsync(db, id, cancellationToken));
    }

    /// <summary>From <paramref name="input"/>.FromDay the node (and everything below it without its own later choice) follows the version. Setting the same node and day again replaces the choice.</summary>
    public async Task<Outcome<PolicyDetails>> PutInForceAsync(Guid id, PutInForceInput input, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        if (!Domain.Jurisdictions.JurisdictionCode.TryParse(input.JurisdictionCode?.Trim(), out var node))
            errors.Add(nameof(input.JurisdictionCode), l["Error.JurisdictionInvalid"]);
        if (input.FromDay is null) errors.Add(nameof(input.FromDay), l["Error.FromDayMissing"]);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var caller = db.Caller;
        if (!caller.Can(ChangePolicies)) return new Outcome<PolicyDetails>.Forbidden(l["Error.NotAllowed"]);
        var policy = await db.Policies.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy is null) return new Outcome<PolicyDetails>.NotFound(l["Error.PolicyNotFound"]);
        if (errors.Any) return errors.ToOutcome<PolicyDetails>();
        var code = node!.Value;
        if (!caller.Covers(code) || !await db.Jurisdictions.AnyAsync(j => j.Code == code.Value, cancellationToken))
            return new Outcome<PolicyDetails>.NotFound(l["Error.JurisdictionNotFound"]);

        var day = input.FromDay!.Value;
        var now = clock.UtcNow;
        var existing = await db.PoliciesInForce.SingleOrDefaultAsync(p => p.JurisdictionCode == code.Value && p.FromDay == day, cancellationToken);
        if (existing is not null)
        {
            existing.PolicyId = id;
            existing.SetBy = caller.AccountId;
            existing.SetByName = caller.Name;
            existing.SetAt = now;
        }
        else
        {
            var (min, max) = code.SubtreeRange;
            db.PoliciesInForce.Add(new PolicyInForce
            {
                JurisdictionCode = code.Value, NodeMin = min, NodeMax = max, PolicyId = id, FromDay = day,
                SetBy = caller.AccountId, SetByName = caller.Name, SetAt = now,
            });
        }
        db.AuditEntries.Add(audit.Entry(AuditAction.Update, "PolicyInForce", code.Value, code.SubtreeRange.Min,
            $"{policy.Code} @ {code.Value} ≥ {day:yyyy-MM-dd}", caller: caller));
        await db.SaveChangesAsync(cancellationToken);
        return Details(policy, await InForceInScopeAsync(db, id, cancellationToken));
    }

    /// <summary>
    /// The version that applies to a node on a day: among the node and its ancestors (committee, street, county, city,
    /// province), the deepest one with a choice made from that day or earlier, and its latest such choice.
    /// </summary>
    public async Task<Outcome<AppliedPolicy>> InForceAsync(string? jurisdiction, DateOnly? day, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        if (!Domain.Jurisdictions.JurisdictionCode.TryParse(jurisdiction?.Trim(), out var node)) errors.Add(nameof(jurisdiction), l["Error.JurisdictionInvalid"]);
        if (errors.Any) return errors.ToOutcome<AppliedPolicy>();
        var code = node!.Value;
        var on = day ?? clock.Today();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!db.Caller.Covers(code) || !await db.Jurisdictions.AnyAsync(j => j.Code == code.Value, cancellationToken))
            return new Outcome<AppliedPolicy>.NotFound(l["Error.JurisdictionNotFound"]);
        if (await PolicyLookup.ForNodeAsync(db, code, on, cancellationToken) is not var (policy, applied)) return new AppliedPolicy(code.Value, on, null, null, null);
        return new AppliedPolicy(code.Value, on, Summary(policy, []), applied.JurisdictionCode, applied.FromDay);
    }

    /// <summary>In-force rows of nodes inside the caller's subtree, with the node's name.</summary>
    private static async Task<List<(Guid PolicyId, InForceItem Item)>> InForceInScopeAsync(AppDbContext db, Guid? policyId, CancellationToken cancellationToken)
    {
        var (scopeMin, scopeMax) = (db.Caller.ScopeMin, db.Caller.ScopeMax);
        var rows = await db.PoliciesInForce.AsNoTracking()
            .Where(p => p.NodeMin >= scopeMin && p.NodeMax <= scopeMax && (policyId == null || p.PolicyId == policyId))
            .OrderBy(p => p.JurisdictionCode).ThenBy(p => p.FromDay)
            .ToListAsync(cancellationToken);
        var codes = rows.Select(r => r.JurisdictionCode).Distinct().ToList();
        var names = await db.Jurisdictions.AsNoTracking().Where(j => codes.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
        return [.. rows.Select(r => (r.PolicyId, new InForceItem(r.JurisdictionCode, names.GetValueOrDefault(r.JurisdictionCode), r.FromDay, r.SetByName, r.SetAt)))];
    }

    private static PolicySummary Summary(StoredPolicy p, List<(Guid PolicyId, InForceItem Item)> inForce) =>
        new(p.Id, p.Code, p.Name, p.EffectiveFrom, p.IsPreset, [.. inForce.Where(i => i.PolicyId == p.Id).Select(i => i.Item)]);

    private static PolicyDetails Details(StoredPolicy p, List<(Guid PolicyId, InForceItem Item)> inForce)
    {
        var version = p.ToVersion();
        return new(p.Id, p.Code, p.Name, p.Description, p.EffectiveFrom, p.IsPreset, p.UpdatedAt, version.Rules, version.RiskAreas, version.ReleaseRules,
            [.. inForce.Where(i => i.PolicyId == p.Id).Select(i => i.Item)]);
    }
}
