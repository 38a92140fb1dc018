namespace Shouwang.Web.Features.Accounts;

/// <summary>The posts of grassroots epidemic work. An account may hold several at its one node.</summary>
[Flags]
public enum StaffRoles
{
    None = 0,
    Admin = 1 << 0,              // 街道管理员
    Command = 1 << 1,            // 指挥部
    CommunityWorker = 1 << 2,    // 社区工作人员
    GridWorker = 1 << 3,         // 网格员
    CheckpointGuard = 1 << 4,    // 卡口值守
    Sampler = 1 << 5,            // 采样员
    QuarantineManager = 1 << 6,  // 隔离点管理员
    SuppliesManager = 1 << 7,    // 物资管理员
    Tracer = 1 << 8,             // 流调员
    Observer = 1 << 9,           // 观察员
}

/// <summary>What a caller may do. Endpoints and pages ask for a permission, never for a role.</summary>
public enum Permission
{
    ViewRegistry,
    EditRegistry,
    ImportRoster,
    ManagePlaces,
    /// <summary>See a whole ID or phone number (always audited).</summary>
    RevealIdentity,
    Export,
    ManageAccounts,
    ViewAudit,
    RequestRestriction,
    ApproveRestriction,
    ViewWorkOrders,
    /// <summary>Create orders and act on those one holds (accept, send back, finish, comment).</summary>
    HandleWorkOrders,
    /// <summary>Assign and reassign orders to grids, teams and people.</summary>
    DispatchWorkOrders,
    ManageTeams,
    PurgeRecords,
    /// <summary>Record the daily follow-ups (随访) of people under measures.</summary>
    RecordFollowUps,
    /// <summary>Designate risk areas, record their infections and screenings, and keep the external risk-region list.</summary>
    DesignateRiskAreas,
    /// <summary>Work a checkpoint: sign in on duty, scan, record passages, register visitors and vehicles.</summary>
    OperateCheckpoints,
    /// <summary>Set up checkpoints, place codes and pass-card rules; print, revoke and reissue person codes and pass cards.</summary>
    ManageCheckpoints,
    /// <summary>Read passage logs, presences, live counts and alerts of checkpoints (tracing reads them too).</summary>
    ViewPassages,
    /// <summary>Plan testing rounds (scope, pooling, exemptions), sampling sites and their samplers; import lab results.</summary>
    ManageTesting,
    /// <summary>Work a sampling site: open tubes, scan people into them, seal, box and hand over.</summary>
    TakeSamples,
    /// <summary>Read rounds, coverage, missing lists and results.</summary>
    ViewTesting,
}

public static class RolePermissions
{
    private static readonly Permission[] Everyone = [Permission.ViewRegistry, Permission.ViewWorkOrders];
    private static readonly Permission[] Doers = [.. Everyone, Permission.HandleWorkOrders];

    private static readonly Dictionary<StaffRoles, Permission[]> Matrix = new()
    {
        [StaffRoles.Admin] = Enum.GetValues<Permission>(),
        [StaffRoles.Command] = [.. Doers, Permission.RevealIdentity, Permission.Export, Permission.ViewAudit, Permission.RequestRestriction,
            Permission.ApproveRestriction, Permission.DispatchWorkOrders, Permission.DesignateRiskAreas,
            Permission.ManageCheckpoints, Permission.ViewPassages, Permission.ManageTesting, Permission.ViewTesting],
        [StaffRoles.CommunityWorker] = [.. Doers, Permission.EditRegistry, Permission.ImportRoster, Permission.ManagePlaces, Permission.RevealIdentity,
            Permission.Export, Permission.RequestRestriction, Permission.DispatchWorkOrders, Permission.ManageTeams, Permission.RecordFollowUps,
            Permission.OperateCheckpoints, Permission.ManageCheckpoints, Permission.ViewPassages, Permission.ManageTesting, Permission.TakeSamples,
            Permission.ViewTesting],
        [StaffRoles.GridWorker] = [.. Doers, Permission.EditRegistry, Permission.RevealIdentity, Permission.RequestRestriction, Permission.RecordFollowUps,
            Permission.OperateCheckpoints, Permission.ViewPassages, Permission.ViewTesting],
        [StaffRoles.CheckpointGuard] = [.. Doers, Permission.OperateCheckpoints, Permission.ViewPassages],
        [StaffRoles.Sampler] = [.. Doers, Permission.TakeSamples, Permission.ViewTesting],
        [StaffRoles.QuarantineManager] = [.. Doers, Permission.RevealIdentity, Permission.RecordFollowUps],
        [StaffRoles.SuppliesManager] = Doers,
        [StaffRoles.Tracer] = [.. Doers, Permission.RevealIdentity, Permission.RequestRestriction, Permission.ViewPassages],
        [StaffRoles.Observer] = Everyone,
    };

    public static readonly StaffRoles All = Matrix.Keys.Aggregate(StaffRoles.None, (a, b) => a | b);

    public static IEnumerable<StaffRoles> Each(StaffRoles roles) => Matrix.Keys.Where(r => roles.HasFlag(r));

    public static bool Allows(StaffRoles roles, Permission permission) => Each(roles).Any(r => Matrix[r].Contains(permission));
}
