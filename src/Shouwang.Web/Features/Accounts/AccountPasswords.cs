using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Shouwang.Web.Features.Audit;
using Shouwang.Web.Infrastructure;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Accounts;

/// <summary>One's own password and sessions.</summary>
public sealed class AccountPasswords(UserManager<StaffAccount> users, AccountDirectory directory, AuditLog audit, IStringLocalizer<SharedResource> l)
{
    public async Task<FieldErrors> ChangeOwnAsync(Guid accountId, string? current, string? next, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        var account = await users.FindByIdAsync(accountId.ToString());
        if (account is null) return errors;
        if (string.IsNullOrEmpty(current)) errors.Add(nameof(PasswordChange.CurrentPassword), l["Error.Required"]);
        if (string.IsNullOrEmpty(next)) errors.Add(nameof(PasswordChange.NewPassword), l["Error.Required"]);
        else if (next == current) errors.Add(nameof(PasswordChange.NewPassword), l["Account.Password.SameAsOld"]);
        if (errors.Any) return errors;
        var result = await users.ChangePasswordAsync(account, current!, next!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                errors.Add(error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? nameof(PasswordChange.CurrentPassword) : nameof(PasswordChange.NewPassword), error.Description);
            return errors;
        }
        account.MustChangePassword = false;
        await users.UpdateAsync(account);
        directory.Invalidate(account.Id);
        await audit.WriteAsync(AuditAction.PasswordChanged, "StaffAccount", account.Id.ToString(), account.NodeMin, "OwnPassword", cancellationToken: cancellationToken);
        return errors;
    }

    public async Task SignOutEverywhereAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        var account = await users.FindByIdAsync(accountId.ToString());
        if (account is null) return;
        await users.UpdateSecurityStampAsync(account);
        directory.Invalidate(account.Id);
        await audit.WriteAsync(AuditAction.SignOutEverywhere, "StaffAccount", account.Id.ToString(), account.NodeMin, cancellationToken: cancellationToken);
    }
}
