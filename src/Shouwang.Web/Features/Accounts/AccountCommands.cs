using Microsoft.AspNetCore.Identity;
using Shouwang.Domain.Jurisdictions;
using Shouwang.Web.Infrastructure;

namespace Shouwang.Web.Features.Accounts;

/// <summary>`accounts create`: how the first administrator of a production install comes to exist.</summary>
public static class AccountCommands
{
    public static async Task<int> CreateAsync(IServiceProvider services, string[] args)
    {
        var user = Commands.Option(args, "--user");
        var name = Commands.Option(args, "--name") ?? user;
        var node = Commands.Option(args, "--node");
        var rolesText = Commands.Option(args, "--roles") ?? "";
        var grid = Commands.Option(args, "--grid");
        var roles = StaffRoles.None;
        foreach (var part in rolesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<StaffRoles>(part, ignoreCase: true, out var role) || !RolePermissions.Each(role).Any())
            {
                Console.Error.WriteLine($"error: unknown role '{part}' (one of {string.Join(", ", RolePermissions.Each(RolePermissions.All))})");
                return 2;
            }
            roles |= role;
        }
        if (user is null || roles == StaffRoles.None || !JurisdictionCode.TryParse(node, out var code))
        {
            Console.Error.WriteLine("error: accounts create needs --user NAME --roles ROLE[,ROLE] --node DIVISION-CODE");
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffAccount>>();
        var password = PasswordRules.NewInitialPassword();
        var account = new StaffAccount
        {
            UserName = user, DisplayName = name ?? user, Roles = roles, NodeCode = code.Value.Value, MustChangePassword = true,
            CreatedAt = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
        };
        account.BindTo(code.Value, grid is null ? null : Guid.Parse(grid));
        var result = await users.CreateAsync(account, password);
        if (!result.Succeeded)
        {
            Console.Error.WriteLine("error: " + string.Join("; ", result.Errors.Select(e => e.Description)));
            return 1;
        }
        Console.WriteLine($"Created {user} ({roles}) at {code.Value}. Initial password (must be changed at first sign-in): {password}");
        return 0;
    }
}
