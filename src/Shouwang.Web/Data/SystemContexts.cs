using Microsoft.EntityFrameworkCore;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Web.Data;

public static class SystemContexts
{
    /// <summary>A context for work done on the platform's behalf (timers, public pages, account lookups): it captures the system caller, so it sees and may write everything.</summary>
    public static async Task<AppDbContext> CreateSystemContextAsync(this IDbContextFactory<AppDbContext> factory, CancellationToken cancellationToken = default)
    {
        using var _ = CallerContext.AsSystem();
        return await factory.CreateDbContextAsync(cancellationToken);
    }
}
