using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Shouwang.Web.Resources;

namespace Shouwang.Web.Features.Accounts;

public static class PasswordRules
{
    public const int MinLength = 10;
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    // No 0/O, 1/l/I: initial passwords are read out over the phone.
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A random initial password that meets the rules; the holder must change it at first sign-in.</summary>
    public static string NewInitialPassword()
    {
        while (true)
        {
            var password = RandomNumberGenerator.GetString(Alphabet, 12);
            if (password.Any(char.IsAsciiDigit) && password.Any(char.IsAsciiLetter)) return password;
        }
    }
}

/// <summary>Digits alone ("1234567890", a birthday) are too easy to guess: a password must also contain a letter.</summary>
public sealed class LetterPasswordValidator(IStringLocalizer<SharedResource> l) : IPasswordValidator<StaffAccount>
{
    public Task<IdentityResult> ValidateAsync(UserManager<StaffAccount> manager, StaffAccount user, string? password) =>
        Task.FromResult(password is not null && password.Any(char.IsLetter)
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "PasswordRequiresLetter", Description = l["Account.Password.RequiresLetter"] }));
}

/// <summary>Identity's messages in the user's language.</summary>
public sealed class LocalizedIdentityErrors(IStringLocalizer<SharedResource> l) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = l["Account.Password.TooShort", length] };
    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = l["Account.Password.RequiresDigit"] };
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => new() { Code = nameof(PasswordRequiresUniqueChars), Description = l["Account.Password.UniqueChars", uniqueChars] };
    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = l["Account.Password.Mismatch"] };
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = l["Account.UserName.Taken", userName] };
    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = l["Account.UserName.Invalid", userName ?? ""] };
}
