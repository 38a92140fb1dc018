using Microsoft.AspNetCore.Identity;
using Shouwang.Web.Features.Audit;

namespace Shouwang.Web.Features.Accounts;

public enum SignInOutcome { Succeeded, MustChangePassword, Failed, LockedOut, Disabled }

/// <summary>Password sign-in for the console (cookie) and for programs (bearer token), with lockout, and audited either way.</summary>
public sealed class StaffSignIn(SignInManager<StaffAccount> signInManager, UserManager<StaffAccount> users, AuditLog audit, AccountDirectory directory)
{
    public async Task<SignInOutcome> PasswordAsync(string? userName, string? password, string scheme, CancellationToken cancellationToken = default)
    {
        var name = (userName ?? "").Trim();
        var account = name.Length == 0 ? null : await users.FindByNameAsync(name);
        if (account is null)
        {
            // Hash anyway, so the answer for an unknown name takes as long as for a wrong password.
            signInManager.UserManager.PasswordHasher.VerifyHashedPassword(TimingDummy, TimingDummyHash, password ?? "");
            await audit.WriteAsync(AuditAction.SignInFailed, "StaffAccount", null, 0, $"UnknownUser: {Truncate(name)}", cancellationToken: cancellationToken);
            return SignInOutcome.Failed;
        }
        var who = Caller.For(account) with { IpAddress = CallerContext.Current.IpAddress };
        var check = await signInManager.CheckPasswordSignInAsync(account, password ?? "", lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            await audit.WriteAsync(AuditAction.LockedOut, "StaffAccount", account.Id.ToString(), account.NodeMin, account.UserName, caller: who, cancellationToken: cancellationToken);
            return SignInOutcome.LockedOut;
        }
        if (!check.Succeeded)
        {
            await audit.WriteAsync(AuditAction.SignInFailed, "StaffAccount", account.Id.ToString(), account.NodeMin, "WrongPassword", caller: who, cancellationToken: cancellationToken);
            return SignInOutcome.Failed;
        }
        if (account.IsDisabled)
        {
            await audit.WriteAsync(AuditAction.SignInFailed, "StaffAccount", account.Id.ToString(), account.NodeMin, "AccountDisabled", caller: who, cancellationToken: cancellationToken);
            return SignInOutcome.Disabled;
        }
        signInManager.AuthenticationScheme = scheme;
        await signInManager.SignInAsync(account, isPersistent: false, authenticationMethod: "pwd");
        directory.Invalidate(account.Id);
        await audit.WriteAsync(AuditAction.SignIn, "StaffAccount", account.Id.ToString(), account.NodeMin,
            scheme == IdentityConstants.BearerScheme ? "Token" : "Console", caller: who, cancellationToken: cancellationToken);
        return account.MustChangePassword ? SignInOutcome.MustChangePassword : SignInOutcome.Succeeded;
    }

    private static string Truncate(string s) => s.Length > 50 ? s[..50] : s;

    private static readonly StaffAccount TimingDummy = new() { DisplayName = "-", NodeCode = "-" };
    private static readonly string TimingDummyHash = new PasswordHasher<StaffAccount>().HashPassword(TimingDummy, Guid.NewGuid().ToString());
}
