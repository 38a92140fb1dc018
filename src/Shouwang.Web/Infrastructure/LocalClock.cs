namespace Shouwang.Web.Infrastructure;

/// <summary>"A day" is a calendar day in the jurisdiction's time zone (DESIGN.md, Time); the clock is read only here.</summary>
public sealed class LocalClock(TimeProvider time)
{
    public const string DefaultTimeZone = "Asia/Shanghai";
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public DateOnly Today(string? timeZone = null)
    {
        var zone = timeZone is null or DefaultTimeZone ? Shanghai : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
    }

    /// <summary>The local day of an instant, for code that has a TimeProvider but no LocalClock (the DbContext).</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Shanghai).DateTime);

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Shanghai);

    /// <summary>A wall-clock time in the jurisdiction's time zone (whatever its Kind says) as UTC.</summary>
    public DateTime ToUtc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Shanghai);

    public DateTime StartOfDayUtc(DateOnly day) => StartOfDayUtcOf(day);

    public static DateTime StartOfDayUtcOf(DateOnly day) => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), Shanghai);
}
