using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Domain.People;
using Shouwang.Web.Data;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Accounts;

public sealed record AccountSearch(string? Q = null, StaffRoles? Role = null, int? Page = 1, int? PageSize = 20);

/// <summary>What an administrator enters for an account; the user name is fixed once created.</summary>
public sealed record AccountInput
{
    public string? UserName { get; set; }
    public string? DisplayName { get; set; }
    public StaffRoles Roles { get; set; }
    public string? NodeCode { get; set; }
    public Guid? GridId { get; set; }
    public string? Phone { get; set; }
}

public sealed record AccountItem(
    Guid Id, string UserName, string DisplayName, StaffRoles Roles, string NodeCode, string? NodeName, Guid? GridId, string? GridName,
    string? Phone, bool IsDisabled, bool IsLockedOut, DateTime? LockoutEnd, bool MustChangePassword, bool IsDemo, DateTime CreatedAt);

/// <summary>The account with its initial password, which is shown this once and stored only as a hash.</summary>
public sealed record AccountWithPassword(AccountItem Account, string InitialPassword);

/// <summary>
/// Account administration within the administrator's own subtree. Accounts are not query-filtered (sign-in must find
/// any of them), so every lookup here goes through <see cref="Manageable"/>.
/// </summary>
public sealed class AccountAdmin(IServiceScopeFactory scopes, AccountDirectory directory, AuditLog audit, TimeProvider time,
    IStringLocalizer<AdminResource> l, IStringLocalizer<SharedResource> shared)
{
    public const int MaxDisplayNameLength = 50;

    /// <summary>The accounts a caller may manage: those whose whole node lies inside the caller's subtree.</summary>
    public static IQueryable<StaffAccount> Manageable(IQueryable<StaffAccount> accounts, Caller caller)
    {
        long min = caller.ScopeMin, max = caller.ScopeMax;
        return accounts.Where(a => min <= a.NodeMin && a.NodeMax <= max);
    }

    public async Task<Paged<AccountItem>> ListAsync(AccountSearch search, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(search.Page, search.PageSize);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var query = Manageable(db.Users.AsNoTracking(), db.Caller);
        if (search.Q?.Trim() is { Length: > 0 } q) query = query.Where(a => a.UserName!.Contains(q) || a.DisplayName.Contains(q));
        if (search.Role is { } role and not StaffRoles.None) query = query.Where(a => (a.Roles & role) != StaffRoles.None);
        var total = await query.CountAsync(cancellationToken);
        var accounts = await query.OrderBy(a => a.NodeCode).ThenBy(a => a.UserName).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<AccountItem>(await ItemsAsync(db, accounts, cancellationToken), total, page, pageSize);
    }

    public async Task<Outcome<AccountItem>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var account = await Manageable(db.Users.AsNoTracking(), db.Caller).FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return account is null ? NotFound<AccountItem>() : (await ItemsAsync(db, [account], cancellationToken))[0];
    }

    public async Task<Outcome<AccountWithPassword>> CreateAsync(AccountInput input, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffAccount>>();
        var errors = new FieldErrors();
        var userName = input.UserName?.Trim();
        if (string.IsNullOrEmpty(userName)) errors.Add(nameof(input.UserName), shared["Error.Required"]);
        else if (await users.FindByNameAsync(userName) is not null) errors.Add(nameof(input.UserName), shared["Account.UserName.Taken", userName]);
        var valid = await ValidateAsync(db, input, errors, cancellationToken);
        if (errors.Any || valid is null) return errors.ToOutcome<AccountWithPassword>();

        var password = PasswordRules.NewInitialPassword();
        var account = new StaffAccount
        {
            UserName = userName, DisplayName = valid.DisplayName, Roles = input.Roles, NodeCode = valid.Node.Value, PhoneNumber = valid.Phone,
            MustChangePassword = true, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        account.BindTo(valid.Node, input.GridId);
        var result = await users.CreateAsync(account, password);
        if (!result.Succeeded) return IdentityErrors<AccountWithPassword>(result);
        return new AccountWithPassword((await ItemsAsync(db, [account], cancellationToken))[0], password);
    }

    public async Task<Outcome<AccountItem>> UpdateAsync(Guid id, AccountInput input, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffAccount>>();
        var account = await Manageable(users.Users, db.Caller).FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null) return NotFound<AccountItem>();
        var errors = new FieldErrors();
        var valid = await ValidateAsync(db, input, errors, cancellationToken);
        // Whoever manages accounts must not lock themself out of doing so.
        if (id == db.Caller.AccountId && !RolePermissions.Allows(input.Roles, Permission.ManageAccounts))
            errors.Add(nameof(input.Roles), l["Account.CannotDemoteSelf"]);
        if (errors.Any || valid is null) return errors.ToOutcome<AccountItem>();
        account.DisplayName = valid.DisplayName;
        account.Roles = input.Roles;
        account.PhoneNumber = valid.Phone;
        account.BindTo(valid.Node, input.GridId);
        var result = await users.UpdateAsync(account);
        if (!result.Succeeded) return IdentityErrors<AccountItem>(result);
        directory.Invalidate(account.Id);
        return (await ItemsAsync(db, [account], cancellationToken))[0];
    }

    public Task<Outcome<AccountItem>> DisableAsync(Guid id, CancellationToken cancellationToken = default) =>
        ActAsync(id, AuditAction.AccountDisabled, async (users, account) =>
        {
            if (account.Id == CallerContext.Current.AccountId) return l["Account.CannotDisableSelf"];
            account.IsDisabled = true;
            await users.UpdateAsync(account);
            return null;
        }, cancellationToken);

    public Task<Outcome<AccountItem>> EnableAsync(Guid id, CancellationToken cancellationToken = default) =>
        ActAsync(id, AuditAction.AccountEnabled, async (users, account) =>
        {
            account.IsDisabled = false;
            await users.UpdateAsync(account);
            return null;
        }, cancellationToken);

    public Task<Outcome<AccountItem>> UnlockAsync(Guid id, CancellationToken cancellationToken = default) =>
        ActAsync(id, AuditAction.AccountUnlocked, async (users, account) =>
        {
            await users.SetLockoutEndDateAsync(account, null);
            await users.ResetAccessFailedCountAsync(account);
            return null;
        }, cancellationToken);

    public Task<Outcome<AccountItem>> SignOutEverywhereAsync(Guid id, CancellationToken cancellationToken = default) =>
        ActAsync(id, AuditAction.SignOutEverywhere, async (users, account) =>
        {
            await users.UpdateSecurityStampAsync(account);
            return null;
        }, cancellationToken);

    /// <summary>A new initial password, shown once; every session and token of the account ends.</summary>
    public async Task<Outcome<AccountWithPassword>> ResetPasswordAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var password = PasswordRules.NewInitialPassword();
        var outcome = await ActAsync(id, AuditAction.PasswordReset, async (users, account) =>
        {
            await users.RemovePasswordAsync(account);
            var result = await users.AddPasswordAsync(account, password);
            if (!result.Succeeded) return string.Join(" ", result.Errors.Select(e => e.Description));
            account.MustChangePassword = true;
            await users.UpdateSecurityStampAsync(account);
            return null;
        }, cancellationToken);
        return outcome switch
        {
            Outcome<AccountItem>.Success s => new AccountWithPassword(s.Value, password),
            Outcome<AccountItem>.Invalid i => new Outcome<AccountWithPassword>.Invalid(i.Errors),
            Outcome<AccountItem>.NotFound n => new Outcome<AccountWithPassword>.NotFound(n.Message),
            Outcome<AccountItem>.Conflict c => new Outcome<AccountWithPassword>.Conflict(c.Message),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>One action on a manageable account: done, made effective at once, and audited.</summary>
    private async Task<Outcome<AccountItem>> ActAsync(Guid id, AuditAction action, Func<UserManager<StaffAccount>, StaffAccount, Task<string?>> act,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffAccount>>();
        var account = await Manageable(users.Users, db.Caller).FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null) return NotFound<AccountItem>();
        if (await act(users, account) is { } refusal)
        {
            var errors = new FieldErrors();
            errors.Add("Id", refusal);
            return errors.ToOutcome<AccountItem>();
        }
        directory.Invalidate(account.Id);
        await audit.WriteAsync(action, "StaffAccount", account.Id.ToString(), account.NodeMin, account.UserName, cancellationToken: cancellationToken);
        return (await ItemsAsync(db, [account], cancellationToken))[0];
    }

    private sealed record ValidInput(string DisplayName, JurisdictionCode Node, string? Phone);

    private async Task<ValidInput?> ValidateAsync(AppDbContext db, AccountInput input, FieldErrors errors, CancellationToken cancellationToken)
    {
        var displayName = input.DisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName)) errors.Add(nameof(input.DisplayName), shared["Error.Required"]);
        else if (displayName.Length > MaxDisplayNameLength) errors.Add(nameof(input.DisplayName), shared["Error.TooLong", MaxDisplayNameLength]);
        if (input.Roles == StaffRoles.None || (input.Roles & ~RolePermissions.All) != 0) errors.Add(nameof(input.Roles), l["Account.RolesRequired"]);
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(input.Phone) && !PhoneNumber.TryNormalize(input.Phone, out phone)) errors.Add(nameof(input.Phone), shared["Error.PhoneInvalid"]);

        JurisdictionCode? node = null;
        if (!JurisdictionCode.TryParse(input.NodeCode?.Trim(), out var parsed) || !db.Caller.Covers(parsed.Value)
            || !await db.Jurisdictions.AnyAsync(j => j.Code == parsed.Value.Value, cancellationToken))
            errors.Add(nameof(input.NodeCode), l["Account.NodeOutside"]);
        else node = parsed;

        if (input.GridId is { } gridId && node is { } n)
        {
            // Grids are scoped by the context, so a grid outside the caller's subtree is not found either.
            if (n.Level != JurisdictionLevel.Community) errors.Add(nameof(input.GridId), l["Account.GridNeedsCommittee"]);
            else if (!await db.Grids.AnyAsync(g => g.Id == gridId && g.CommunityCode == n.AsCommunityNumber, cancellationToken))
                errors.Add(nameof(input.GridId), l["Account.GridNotInCommittee"]);
        }
        return errors.Any || node is null ? null : new ValidInput(displayName!, node.Value, phone);
    }

    private async Task<List<AccountItem>> ItemsAsync(AppDbContext db, IReadOnlyList<StaffAccount> accounts, CancellationToken cancellationToken)
    {
        var codes = accounts.Select(a => a.NodeCode).Distinct().ToList();
        var names = await db.Jurisdictions.AsNoTracking().Where(j => codes.Contains(j.Code)).ToDictionaryAsync(j => j.Code, j => j.Name, cancellationToken);
        var gridIds = accounts.Where(a => a.GridId is not null).Select(a => a.GridId!.Value).Distinct().ToList();
        var grids = gridIds.Count == 0 ? [] : await db.Grids.AsNoTracking().Where(g => gridIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var now = time.GetUtcNow();
        return accounts.Select(a => new AccountItem(
            a.Id, a.UserName!, a.DisplayName, a.Roles, a.NodeCode, names.GetValueOrDefault(a.NodeCode), a.GridId,
            a.GridId is { } g ? grids.GetValueOrDefault(g) : null, a.PhoneNumber, a.IsDisabled, a.LockoutEnd > now, a.LockoutEnd?.UtcDateTime,
            a.MustChangePassword, a.IsDemo, a.CreatedAt)).ToList();
    }

    private Outcome<T> NotFound<T>() => new Outcome<T>.NotFound(l["Account.NotFound"]);

    private static Outcome<T> IdentityErrors<T>(IdentityResult result)
    {
        var errors = new FieldErrors();
        foreach (var error in result.Errors)
            errors.Add(error.Code is nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.InvalidUserName) ? nameof(AccountInput.UserName) : "Id", error.Description);
        return errors.ToOutcome<T>();
    }
}
