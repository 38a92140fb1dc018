using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Shouwang.Domain.People;
using Shouwang.Domain.WorkOrders;
using Shouwang.Web.Features.Accounts;

namespace Shouwang.Web.Features.Audit;

/// <summary>
/// Turns the writes of one SaveChanges into audit entries (before/after of the changed fields), so every write is
/// logged in the same transaction as the write itself without any handler having to remember it.
/// </summary>
public static class EntityAudit
{
    /// <summary>Record types whose writes are audited; history tables and Identity's own plumbing are not.</summary>
    private static readonly HashSet<string> Audited =
    [
        "Person", "Household", "Compound", "Building", "Grid", "GridStaff", "StaffAccount", "WorkOrder", "Team", "TeamMember", "Restriction",
        "ControlMeasure", "FollowUp", "RiskArea", "RiskAreaScreening", "RiskAreaReleaseProposal", "ArrivalReport", "ExternalRiskRegion",
        "Checkpoint", "Place", "PassCardRule", "PassCard", "Vehicle", "TestingRound", "RoundExemption", "SamplingSite", "SamplingSiteStaff", "TransferBox",
        "Tube", "Sample",
    ];

    /// <summary>Never written to the log: secrets and bookkeeping.</summary>
    private static readonly HashSet<string> Hidden =
    [
        nameof(StaffAccount.PasswordHash), nameof(StaffAccount.SecurityStamp), nameof(StaffAccount.ConcurrencyStamp),
        nameof(StaffAccount.NormalizedUserName), nameof(StaffAccount.NormalizedEmail), nameof(StaffAccount.AccessFailedCount),
        nameof(Person.UpdatedAt), nameof(Person.CreatedAt), nameof(StaffAccount.NodeMin), nameof(StaffAccount.NodeMax),
    ];

    private const int MaxChangesLength = 8000;

    public static List<AuditEntry> Collect(ChangeTracker tracker, Caller caller, DateTime now)
    {
        var entries = new List<AuditEntry>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            var type = entry.Metadata.ClrType.Name;
            if (!Audited.Contains(type)) continue;
            var changes = new Dictionary<string, object?[]>(StringComparer.Ordinal);
            foreach (var property in entry.Properties)
            {
                var name = property.Metadata.Name;
                if (Hidden.Contains(name) || property.Metadata.IsPrimaryKey() && entry.State != EntityState.Added) continue;
                var before = entry.State == EntityState.Added ? null : property.OriginalValue;
                var after = entry.State == EntityState.Deleted ? null : property.CurrentValue;
                if (entry.State == EntityState.Modified && (!property.IsModified || Equals(before, after))) continue;
                if (entry.State == EntityState.Added && after is null) continue;
                changes[name] = [Mask(type, name, before), Mask(type, name, after)];
            }
            if (entry.State == EntityState.Modified && changes.Count == 0) continue;
            var json = JsonSerializer.Serialize(changes);
            entries.Add(new AuditEntry
            {
                At = now, AccountId = caller.AccountId, Actor = caller.Name, IpAddress = caller.IpAddress,
                Action = entry.State switch { EntityState.Added => AuditAction.Create, EntityState.Deleted => AuditAction.Delete, _ => AuditAction.Update },
                EntityType = type, EntityId = KeyOf(entry), ScopeCode = ScopeOf(entry),
                Changes = json.Length <= MaxChangesLength ? json : json[..MaxChangesLength],
            });
        }
        return entries;
    }

    private static string KeyOf(EntityEntry entry) =>
        string.Join('/', entry.Properties.Where(p => p.Metadata.IsPrimaryKey()).Select(p => Convert.ToString(p.CurrentValue, System.Globalization.CultureInfo.InvariantCulture)));

    private static long ScopeOf(EntityEntry entry)
    {
        foreach (var name in (string[])["CommunityCode", nameof(StaffAccount.NodeMin)])
        {
            if (entry.Metadata.FindProperty(name) is not null && entry.Property(name).CurrentValue is long code) return code;
        }
        return 0;
    }

    /// <summary>
    /// What residents wrote in work orders is a person-level epidemic record that retention must be able to remove; the
    /// log only grows, so it keeps that such a field changed and how long it was, not the words.
    /// </summary>
    private static readonly HashSet<string> ResidentText =
    [
        nameof(WorkOrder.Title), nameof(WorkOrder.Description), nameof(WorkOrder.Place), nameof(WorkOrder.ReporterName),
        nameof(WorkOrder.Resolution), nameof(WorkOrder.SentBackReason),
    ];

    /// <summary>The log is itself personal data: ID and phone numbers are kept masked.</summary>
    private static object? Mask(string type, string property, object? value) => value switch
    {
        string s when type == nameof(WorkOrder) && ResidentText.Contains(property) => $"[{s.Length}]",
        // A drawn signature is an image: its size says enough.
        string s when property.EndsWith("Signature", StringComparison.Ordinal) => $"[{s.Length}]",
        string s when property.EndsWith(nameof(Person.DocumentNumber), StringComparison.Ordinal) => DocumentNumber.Mask(s),
        string s when property.EndsWith("Phone", StringComparison.Ordinal) || property == nameof(StaffAccount.PhoneNumber) => PhoneNumber.Mask(s),
        Enum e => e.ToString(),
        DateTime d => d.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };
}
