using Microsoft.AspNetCore.Identity;
using Shouwang.Domain.Jurisdictions;

namespace Shouwang.Web.Features.Accounts;

/// <summary>
/// A staff member's sign-in. Every account is bound to one jurisdiction node (a street, a committee, or a grid
/// of a committee) and holds one or more roles there; what it may see is that node's subtree.
/// </summary>
public sealed class StaffAccount : IdentityUser<Guid>
{
    public StaffAccount()
    {
        Id = Guid.CreateVersion7();
        SecurityStamp = Guid.NewGuid().ToString("N");
    }

    public required string DisplayName { get; set; }
    public StaffRoles Roles { get; set; }
    /// <summary>The division code of the node (2 to 12 digits).</summary>
    public required string NodeCode { get; set; }
    /// <summary>The node's subtree as 12-digit community codes, so accounts can be filtered by range.</summary>
    public long NodeMin { get; set; }
    public long NodeMax { get; set; }
    /// <summary>Set when the account is bound to one grid of its committee.</summary>
    public Guid? GridId { get; set; }
    public bool IsDisabled { get; set; }
    /// <summary>An initial or reset password must be replaced before anything else.</summary>
    public bool MustChangePassword { get; set; }
    /// <summary>Made by the demo seed; a production start refuses to run while any exist.</summary>
    public bool IsDemo { get; set; }
    public DateTime CreatedAt { get; set; }

    public void BindTo(JurisdictionCode node, Guid? gridId)
    {
        NodeCode = node.Value;
        (NodeMin, NodeMax) = node.SubtreeRange;
        GridId = gridId;
    }
}
