using Shouwang.Domain.Jurisdictions;

namespace Shouwang.Web.Features.Accounts;

/// <summary>
/// Who is asking, and the part of the tree they may see. Every database context is bound to the current caller as the
/// factory hands it out (from EF's pool, see AppDbContext.BindTo) and filters every scoped table by it, so no page or
/// endpoint scopes by hand.
/// </summary>
public sealed record Caller(
    Guid? AccountId, string Name, StaffRoles Roles, string? NodeCode, long ScopeMin, long ScopeMax, Guid? GridId,
    bool MustChangePassword = false, bool IsSystem = false, string? IpAddress = null)
{
    /// <summary>Not signed in: sees nothing.</summary>
    public static readonly Caller Nobody = new(null, "anonymous", StaffRoles.None, null, 1, 0, null);

    /// <summary>The platform itself (start-up, commands, timers, the public page's own writes): sees everything.</summary>
    public static readonly Caller System = new(null, "system", StaffRoles.None, null, 0, long.MaxValue, null, IsSystem: true);

    public bool IsAuthenticated => AccountId is not null;

    public bool Can(Permission permission) => IsSystem || (!MustChangePassword && RolePermissions.Allows(Roles, permission));

    /// <summary>A committee (12-digit number) lies in the caller's subtree.</summary>
    public bool Covers(long communityCode) => communityCode >= ScopeMin && communityCode <= ScopeMax;

    /// <summary>A whole node lies in the caller's subtree (a grid-bound caller's rows are narrowed to its grid by the filters).</summary>
    public bool Covers(JurisdictionCode node)
    {
        var (min, max) = node.SubtreeRange;
        return min >= ScopeMin && max <= ScopeMax;
    }

    public static Caller For(StaffAccount account) => new(
        account.Id, account.DisplayName, account.Roles, account.NodeCode, account.NodeMin, account.NodeMax, account.GridId, account.MustChangePassword);
}

/// <summary>The caller of the work in progress, flowing with async calls like <c>IHttpContextAccessor</c> does.</summary>
public static class CallerContext
{
    private static readonly AsyncLocal<Caller?> CurrentCaller = new();

    public static Caller Current => CurrentCaller.Value ?? Caller.Nobody;

    /// <summary>Sets the caller for the rest of this async flow (middleware and circuit handlers).</summary>
    public static void Set(Caller caller) => CurrentCaller.Value = caller;

    /// <summary>Runs as <paramref name="caller"/> until disposed, then restores the previous caller.</summary>
    public static IDisposable Use(Caller caller)
    {
        var previous = CurrentCaller.Value;
        CurrentCaller.Value = caller;
        return new Restore(previous);
    }

    public static IDisposable AsSystem() => Use(Caller.System);

    private sealed class Restore(Caller? previous) : IDisposable
    {
        public void Dispose() => CurrentCaller.Value = previous;
    }
}
