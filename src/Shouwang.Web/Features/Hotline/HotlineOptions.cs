namespace Shouwang.Web.Features.Hotline;

/// <summary>Configuration section Shouwang:Hotline.</summary>
public sealed class HotlineOptions
{
    public const string Section = "Shouwang:Hotline";

    /// <summary>Hours a public order has before it is overdue.</summary>
    public double DueHours { get; set; } = 24;
    /// <summary>Hours for 急难愁盼 medicine and medical-care needs, which cannot wait a day.</summary>
    public double UrgentMedicalDueHours { get; set; } = 2;
    public int PerPhonePerHour { get; set; } = 5;
    public int PerAddressPerHour { get; set; } = 10;
    /// <summary>Status lookups per reference number: 10,000 phone tails must not be guessable in an afternoon.</summary>
    public int LookupsPerNumberPerHour { get; set; } = 20;
}
