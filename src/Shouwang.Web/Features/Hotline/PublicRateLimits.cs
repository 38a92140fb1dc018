using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Shouwang.Web.Features.Hotline;

/// <summary>
/// Keeps one phone or one address from flooding the queues. Deliberately not per IP: many residents share a carrier's
/// NAT address. State lives in this process (one node; a restart forgets it, which is acceptable for a nuisance limit).
/// </summary>
public sealed class PublicRateLimits : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly PartitionedRateLimiter<string> _perPhone;
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perNumberLookup;

    public PublicRateLimits(IOptions<HotlineOptions> options)
    {
        var o = options.Value;
        _perPhone = Hourly(o.PerPhonePerHour);
        _perAddress = Hourly(o.PerAddressPerHour);
        _perNumberLookup = Hourly(o.LookupsPerNumberPerHour);
    }

    /// <summary>Takes one permit for the phone and, only if granted, one for the address in its community.</summary>
    public bool TryAcquireFiling(string normalizedPhone, long communityCode, string normalizedAddress)
    {
        using var phone = _perPhone.AttemptAcquire(normalizedPhone);
        if (!phone.IsAcquired) return false;
        using var address = _perAddress.AttemptAcquire($"{communityCode}|{normalizedAddress}");
        return address.IsAcquired;
    }

    public bool TryAcquireLookup(string number)
    {
        using var lease = _perNumberLookup.AttemptAcquire(number);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Hourly(int permits) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = Window,
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _perPhone.Dispose();
        _perAddress.Dispose();
        _perNumberLookup.Dispose();
    }
}
