namespace Shouwang.Web.Features.Audit;

public enum AuditAction
{
    SignIn = 0, SignInFailed = 1, SignOut = 2, LockedOut = 3, PasswordChanged = 4, SignOutEverywhere = 5,
    PasswordReset = 6, AccountDisabled = 7, AccountEnabled = 8, AccountUnlocked = 9,
    Create = 10, Update = 11, Delete = 12, Import = 13,
    Reveal = 20, Export = 21,
    Request = 30, Approve = 31, Reject = 32, Lift = 33,
    Purge = 40,
}

/// <summary>
/// One line of the append-only audit log: who did what to what, when, from where. Never updated or deleted
/// (the database refuses it, see the migration's triggers). Sensitive values inside are masked.
/// </summary>
public sealed class AuditEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DateTime At { get; init; }
    public Guid? AccountId { get; init; }
    public required string Actor { get; init; }
    public AuditAction Action { get; init; }
    /// <summary>The kind of record (Person, Household, WorkOrder, List:Persons...).</summary>
    public string? EntityType { get; init; }
    public string? EntityId { get; init; }
    /// <summary>12-digit code of the committee the entry belongs to (or the start of a node's range), for scoping.</summary>
    public long ScopeCode { get; init; }
    public string? Summary { get; init; }
    /// <summary>JSON: {"Field": ["before", "after"], ...} for writes.</summary>
    public string? Changes { get; init; }
    public int? RowCount { get; init; }
    public string? IpAddress { get; init; }
}
