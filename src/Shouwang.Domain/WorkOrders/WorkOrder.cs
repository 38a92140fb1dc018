namespace Shouwang.Domain.WorkOrders;

/// <summary>Where a work order came from.</summary>
public enum WorkOrderSource
{
    HotlineReport = 0,      // 热线举报
    ResidentRequest = 1,    // 急难愁盼
    FeverReferral = 2,      // 发热转诊
    LocateContact = 3,      // 落位密接
    DoorToDoorSampling = 4, // 上门采样
    PatrolFinding = 5,      // 巡查发现
    Other = 6,
    SingleTubeRetest = 7,   // 单管复核
}

/// <summary>急难愁盼: what a resident needs.</summary>
public enum UrgentNeed { None = 0, Medicine = 1, MedicalCare = 2, Food = 3, Other = 4 }

/// <summary>待派 → 已派 → 已接 → 已办结; 退回 sends an order back to 待派 with a reason.</summary>
public enum WorkOrderStatus { Pending = 0, Assigned = 1, Accepted = 2, Done = 3 }

public enum WorkOrderSubject { None = 0, Person = 1, Household = 2, Place = 3 }

public enum WorkOrderEventKind { Created = 0, Assigned = 1, Reassigned = 2, Accepted = 3, SentBack = 4, Done = 5, Commented = 6, Escalated = 7 }

/// <summary>工单: someone must go and do something, by a deadline, and everyone can see how it went.</summary>
public sealed class WorkOrder
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>The reference staff and residents quote (e.g. GD261123-7K3MQ).</summary>
    public required string Number { get; init; }
    public WorkOrderSource Source { get; init; }
    public UrgentNeed Need { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public WorkOrderSubject SubjectKind { get; set; }
    public Guid? PersonId { get; set; }
    public Guid? HouseholdId { get; set; }
    /// <summary>The place or address as given (for place subjects and public reports).</summary>
    public string? Place { get; set; }
    /// <summary>12-digit code of the committee the order belongs to; the key of jurisdiction scope.</summary>
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public Guid? AssigneeGridId { get; set; }
    public Guid? AssigneeTeamId { get; set; }
    public Guid? AssigneeAccountId { get; set; }
    public DateTime DueAt { get; set; }
    public WorkOrderStatus Status { get; set; }
    /// <summary>0 at the assignee; 1 raised to the community; 2 raised to the street.</summary>
    public int EscalationLevel { get; set; }
    public DateTime? EscalatedAt { get; set; }
    public string? SentBackReason { get; set; }
    public string? Resolution { get; set; }
    public string? ReporterName { get; set; }
    public string? ReporterPhone { get; set; }
    /// <summary>Filed by a resident on the public page.</summary>
    public bool IsPublic { get; init; }
    public Guid? CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DoneAt { get; set; }
    /// <summary>Set when retention has removed the personal details.</summary>
    public DateTime? AnonymisedAt { get; set; }

    public bool HasAssignee => AssigneeGridId is not null || AssigneeTeamId is not null || AssigneeAccountId is not null;

    public bool IsOverdue(DateTime utcNow) => Status != WorkOrderStatus.Done && utcNow > DueAt;

    /// <summary>Gives the order to exactly one grid, team or account (a reassignment when it already had one).</summary>
    public WorkOrderChange Assign(Guid? gridId, Guid? teamId, Guid? accountId, DateTime utcNow)
    {
        if (Status == WorkOrderStatus.Done) return WorkOrderChange.AlreadyDone;
        if ((gridId is null ? 0 : 1) + (teamId is null ? 0 : 1) + (accountId is null ? 0 : 1) != 1) return WorkOrderChange.OneAssigneeRequired;
        (AssigneeGridId, AssigneeTeamId, AssigneeAccountId) = (gridId, teamId, accountId);
        Status = WorkOrderStatus.Assigned;
        SentBackReason = null;
        UpdatedAt = utcNow;
        return WorkOrderChange.Done;
    }

    public WorkOrderChange Accept(DateTime utcNow)
    {
        if (Status != WorkOrderStatus.Assigned) return NotInState();
        Status = WorkOrderStatus.Accepted;
        UpdatedAt = utcNow;
        return WorkOrderChange.Done;
    }

    /// <summary>退回: the holder gives the order back to the dispatchers, saying why.</summary>
    public WorkOrderChange SendBack(string? reason, DateTime utcNow)
    {
        if (Status is not (WorkOrderStatus.Assigned or WorkOrderStatus.Accepted)) return NotInState();
        if (string.IsNullOrWhiteSpace(reason)) return WorkOrderChange.ReasonRequired;
        Status = WorkOrderStatus.Pending;
        (AssigneeGridId, AssigneeTeamId, AssigneeAccountId) = (null, null, null);
        SentBackReason = reason.Trim();
        UpdatedAt = utcNow;
        return WorkOrderChange.Done;
    }

    /// <summary>办结: only an accepted order, and only with what was done.</summary>
    public WorkOrderChange Finish(string? resolution, DateTime utcNow)
    {
        if (Status != WorkOrderStatus.Accepted) return NotInState();
        if (string.IsNullOrWhiteSpace(resolution)) return WorkOrderChange.ResolutionRequired;
        Status = WorkOrderStatus.Done;
        Resolution = resolution.Trim();
        DoneAt = UpdatedAt = utcNow;
        return WorkOrderChange.Done;
    }

    /// <summary>The level an open order should be at: one level up per <paramref name="escalateAfter"/> past its deadline, street at most.</summary>
    public int DueEscalationLevel(DateTime utcNow, TimeSpan escalateAfter)
    {
        if (Status == WorkOrderStatus.Done || utcNow <= DueAt || escalateAfter <= TimeSpan.Zero) return 0;
        var late = utcNow - DueAt;
        return late >= escalateAfter * 2 ? 2 : late >= escalateAfter ? 1 : 0;
    }

    /// <summary>Raises the order to the level it is due for; false when it is already there (or done).</summary>
    public bool Escalate(DateTime utcNow, TimeSpan escalateAfter)
    {
        var level = DueEscalationLevel(utcNow, escalateAfter);
        if (level <= EscalationLevel) return false;
        EscalationLevel = level;
        EscalatedAt = UpdatedAt = utcNow;
        return true;
    }

    private WorkOrderChange NotInState() => Status switch
    {
        WorkOrderStatus.Done => WorkOrderChange.AlreadyDone,
        WorkOrderStatus.Pending => WorkOrderChange.NotAssigned,
        WorkOrderStatus.Accepted => WorkOrderChange.AlreadyAccepted,
        _ => WorkOrderChange.NotAccepted,
    };
}

/// <summary>What a state change of an order came to; anything but <see cref="Done"/> changed nothing.</summary>
public enum WorkOrderChange { Done, AlreadyDone, NotAssigned, AlreadyAccepted, NotAccepted, ReasonRequired, ResolutionRequired, OneAssigneeRequired }

/// <summary>Order references: GD + the local day (yyMMdd) + 5 random Crockford base32 characters, e.g. GD261123-7K3MQ.</summary>
public static class WorkOrderNumbers
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(DateOnly localDay) => New("GD", localDay);

    /// <summary>The same shape with another prefix (BL for cases).</summary>
    public static string New(string prefix, DateOnly localDay)
    {
        Span<char> random = stackalloc char[5];
        for (var i = 0; i < random.Length; i++) random[i] = Crockford[System.Security.Cryptography.RandomNumberGenerator.GetInt32(Crockford.Length)];
        return prefix + localDay.ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "-" + new string(random);
    }

    /// <summary>
    /// A number that is the same every time for the same (<paramref name="a"/>, <paramref name="b"/>) pair, e.g. a round and a person:
    /// the unique index on numbers then makes "one order per pair" hold without a column of its own. 11 characters (55 bits) after
    /// the day, longer than a random number's 5, so the two kinds never meet.
    /// </summary>
    public static string Derived(DateOnly localDay, Guid a, Guid b)
    {
        Span<byte> key = stackalloc byte[32];
        a.TryWriteBytes(key[..16]);
        b.TryWriteBytes(key[16..]);
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(key, hash);
        var bits = BitConverter.ToUInt64(hash);
        Span<char> text = stackalloc char[11];
        for (var i = 0; i < text.Length; i++, bits >>= 5) text[i] = Crockford[(int)(bits & 31)];
        return "GD" + localDay.ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "-" + new string(text);
    }
}

/// <summary>One line of an order's history; never changed once written.</summary>
public sealed class WorkOrderEvent
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkOrderId { get; init; }
    public DateTime At { get; init; }
    public WorkOrderEventKind Kind { get; init; }
    public Guid? AccountId { get; init; }
    public required string Actor { get; init; }
    public string? Text { get; set; }
    /// <summary>Who holds the order after this event, as shown to people (grid, team or person name).</summary>
    public string? Assignee { get; init; }
}

/// <summary>A named group of accounts an order can be given to (e.g. 上门采样小队).</summary>
public sealed class Team
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    /// <summary>12-digit code of the committee the team works in.</summary>
    public long CommunityCode { get; init; }
    public List<TeamMember> Members { get; init; } = [];
}

public sealed class TeamMember
{
    public Guid TeamId { get; init; }
    public Guid AccountId { get; init; }
}
