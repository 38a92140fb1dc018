using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.Policies;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Policies;

/// <summary>Ensures the shipped presets exist (by code; a preset already there is left as it is). Runs at every start.</summary>
public sealed class PolicyPresetSeeder(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    public const string DemoStreet = "430202005";

    public async Task EnsurePresetsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var codes = PolicyPresets.All.Select(p => p.Code).ToList();
        var present = await db.Policies.Where(p => codes.Contains(p.Code)).Select(p => p.Code).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var preset in PolicyPresets.All.Where(p => !present.Contains(p.Code)))
            db.Policies.Add(StoredPolicy.From(preset, isPreset: true, now));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Demo only: the demo street works under the 第九版 from its first day. Nothing is put in force automatically otherwise.</summary>
    public async Task PutNinthInForceForDemoAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.PoliciesInForce.AnyAsync(p => p.JurisdictionCode == DemoStreet, cancellationToken)) return;
        var ninth = await db.Policies.SingleAsync(p => p.Code == PolicyPresets.NinthEdition.Code, cancellationToken);
        var (min, max) = JurisdictionCode.Parse(DemoStreet).SubtreeRange;
        db.PoliciesInForce.Add(new PolicyInForce
        {
            JurisdictionCode = DemoStreet, NodeMin = min, NodeMax = max, PolicyId = ninth.Id, FromDay = PolicyPresets.NinthEdition.EffectiveFrom,
            SetByName = "system", SetAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
