using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Jurisdictions;

/// <summary>The one check that a code names a residents' or village committee, the level households hang from.</summary>
public static class Committees
{
    /// <summary>A well-formed 12-digit committee code, as the number rows store; says nothing of whether it exists.</summary>
    public static bool TryParse([NotNullWhen(true)] string? code, out long number)
    {
        number = 0;
        if (!JurisdictionCode.TryParse(code, out var parsed) || parsed.Value.Level != JurisdictionLevel.Community) return false;
        number = parsed.Value.AsCommunityNumber;
        return true;
    }

    /// <summary>The committee's number when the code names a committee in the loaded tree and the caller's jurisdiction; null otherwise.</summary>
    public static async Task<long?> FindCommitteeAsync(this AppDbContext db, string? code, CancellationToken cancellationToken)
    {
        // Outside the caller's subtree a committee is as good as unknown: nothing says whether it exists.
        if (!TryParse(code, out var number) || !db.Caller.Covers(number)) return null;
        var normalized = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await db.Jurisdictions.AnyAsync(j => j.Code == normalized, cancellationToken) ? number : null;
    }
}
