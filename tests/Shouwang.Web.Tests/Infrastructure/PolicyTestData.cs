using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Features.Policies;

namespace Shouwang.Web.Tests.Infrastructure;

/// <summary>Puts a shipped preset in force for a node, as the command would, so measures can be issued there.</summary>
public static class PolicyTestData
{
    /// <param name="presetCode">NHC-9 (第九版), NHC-9-20 (二十条) or NHC-10 (第十版).</param>
    public static async Task PutInForceAsync(this AppFactory factory, string node, string presetCode = "NHC-9", DateOnly? from = null)
    {
        await using var db = factory.CreateDbContext();
        var policy = await db.Policies.SingleAsync(p => p.Code == presetCode);
        var day = from ?? new DateOnly(2022, 6, 28);
        var existing = await db.PoliciesInForce.SingleOrDefaultAsync(p => p.JurisdictionCode == node && p.FromDay == day);
        if (existing is not null) existing.PolicyId = policy.Id;
        else
        {
            var (min, max) = JurisdictionCode.Parse(node).SubtreeRange;
            db.PoliciesInForce.Add(new PolicyInForce
            {
                JurisdictionCode = node, NodeMin = min, NodeMax = max, PolicyId = policy.Id, FromDay = day, SetByName = "test", SetAt = DateTime.UtcNow,
            });
        }
        await db.SaveChangesAsync();
    }
}
