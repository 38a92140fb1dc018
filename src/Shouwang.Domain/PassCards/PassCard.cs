namespace Shouwang.Domain.PassCards;

/// <summary>
/// 临时出入卡规则 of one committee: each household may send <see cref="PersonsPerWindow"/> people out per window of
/// <see cref="WindowDays"/> local days (e.g. one person every two days), each back within <see cref="MaxHoursOut"/>.
/// </summary>
public sealed class PassCardRule
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>One rule per committee.</summary>
    public long CommunityCode { get; init; }
    public int PersonsPerWindow { get; set; } = 1;
    public int WindowDays { get; set; } = 2;
    public int MaxHoursOut { get; set; } = 4;
    public bool IsActive { get; set; } = true;
    public Guid? UpdatedBy { get; set; }
    public required string UpdatedByName { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Windows are counted from 2020-01-01, so every household of the committee shares the same ones.</summary>
    public static readonly DateOnly Epoch = new(2020, 1, 1);

    public int WindowOf(DateOnly day) => WindowFor(day, WindowDays);

    public static int WindowFor(DateOnly day, int windowDays) => (day.DayNumber - Epoch.DayNumber) / windowDays;

    public (DateOnly First, DateOnly Last) DaysOf(int window) =>
        (Epoch.AddDays(window * WindowDays), Epoch.AddDays(window * WindowDays + WindowDays - 1));
}

/// <summary>A household's card; printing it again after a loss bumps the serial, so the lost one stops working.</summary>
public sealed class PassCard
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid HouseholdId { get; init; }
    public long CommunityCode { get; set; }
    public Guid? GridId { get; set; }
    public int Serial { get; set; } = 1;
    public DateTime IssuedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>
/// One use of a household's quota: opened by an exit, closed by the return. The unique (household, window, slot) index
/// is what keeps the quota, also across several server processes: a second exit can only take a free slot.
/// </summary>
public sealed class PassCardTrip
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid HouseholdId { get; init; }
    public long CommunityCode { get; init; }
    public Guid? GridId { get; init; }
    public Guid RuleId { get; init; }
    public int Window { get; init; }
    public int Slot { get; init; }
    public Guid? PersonId { get; init; }
    public Guid ExitPassageId { get; init; }
    public DateTime ExitAt { get; init; }
    /// <summary>Back by then, or listed as overdue.</summary>
    public DateTime DueBackAt { get; init; }
    public Guid? ReturnPassageId { get; set; }
    public DateTime? ReturnAt { get; set; }
}
