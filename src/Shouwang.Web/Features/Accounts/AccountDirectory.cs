using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Shouwang.Web.Data;

namespace Shouwang.Web.Features.Accounts;

/// <summary>
/// Turns a signed-in principal into a <see cref="Caller"/> from the account as it is now, not as it was at sign-in:
/// a disabled account, a changed role or a "sign out everywhere" takes effect within <see cref="Freshness"/> on every
/// cookie, token and open console, on every node.
/// </summary>
public sealed class AccountDirectory(IDbContextFactory<AppDbContext> dbFactory, IMemoryCache cache, Microsoft.Extensions.Options.IOptions<IdentityOptions> options)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(20);

    private sealed record Entry(Caller Caller, string? SecurityStamp, bool Disabled);

    /// <summary>The caller for a principal, or <see cref="Caller.Nobody"/> when it is anonymous or no longer valid.</summary>
    public async Task<Caller> ResolveAsync(ClaimsPrincipal? principal, CancellationToken cancellationToken = default)
    {
        if (principal?.Identity?.IsAuthenticated != true) return Caller.Nobody;
        if (!Guid.TryParse(principal.FindFirstValue(options.Value.ClaimsIdentity.UserIdClaimType), out var id)) return Caller.Nobody;
        var entry = await cache.GetOrCreateAsync(Key(id), async item =>
        {
            item.AbsoluteExpirationRelativeToNow = Freshness;
            await using var db = await dbFactory.CreateSystemContextAsync(cancellationToken);
            var account = await db.Users.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
            return account is null ? null : new Entry(Caller.For(account), account.SecurityStamp, account.IsDisabled);
        });
        if (entry is null || entry.Disabled) return Caller.Nobody;
        // A stamp that no longer matches means the password changed or the account was signed out everywhere.
        var stamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == entry.SecurityStamp ? entry.Caller : Caller.Nobody;
    }

    /// <summary>Forget a changed account on this node at once (other nodes follow within <see cref="Freshness"/>).</summary>
    public void Invalidate(Guid accountId) => cache.Remove(Key(accountId));

    private static string Key(Guid id) => $"account:{id:N}";
}
