namespace Shouwang.Domain.People;

/// <summary>
/// 个人码: the signed QR a person shows at checkpoints and sampling sites. Only the serial is stored; the code itself is
/// computed (and verified) with the platform's key. Reissuing bumps the serial, so older printouts stop working.
/// </summary>
public sealed class PersonCode
{
    public Guid PersonId { get; init; }
    public int Serial { get; set; } = 1;
    public DateTime IssuedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
}
