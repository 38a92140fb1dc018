using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shouwang.Web.Data;

namespace Shouwang.Web.Infrastructure;

/// <summary>The platform's secret for signing codes. Kept in the database so every server process signs alike.</summary>
public sealed class SigningKey
{
    public required string Purpose { get; init; }
    /// <summary>Base64 of 32 random bytes.</summary>
    public required string Key { get; init; }
    public DateTime CreatedAt { get; init; }
}

public sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> builder)
    {
        builder.ToTable("SigningKeys");
        builder.HasKey(k => k.Purpose);
        builder.Property(k => k.Purpose).HasMaxLength(40);
        builder.Property(k => k.Key).HasMaxLength(100);
    }
}

/// <summary>What a printed code names: a person (个人码) or a household's pass card (临时出入卡).</summary>
public enum CodeKind { Person, PassCard }

/// <summary>A code read back: whose it is and which printing (serial).</summary>
public readonly record struct CodeContent(CodeKind Kind, Guid Id, int Serial);

/// <summary>
/// Signs and verifies the QR codes the platform prints. A code is <c>SWP1:</c> (person) or <c>SWH1:</c> (pass card)
/// followed by base32 of id (16 bytes) + serial (4) + an HMAC-SHA256 tag cut to 10 bytes (80 bits: forging one online
/// is hopeless). Upper-case base32 and ':' are in QR's alphanumeric set, so the symbol stays small, and a keyboard-wedge
/// scanner types it without shift-state trouble. Short tickets (<see cref="SealAsync"/>) use the same key.
/// The key comes from <c>Shouwang:Codes:Key</c> (base64, 32 bytes) or else from the database, created on first use.
/// </summary>
public sealed class CodeSigner(IDbContextFactory<AppDbContext> dbFactory, IConfiguration configuration, TimeProvider time)
{
    private const string PersonPrefix = "SWP1:";
    private const string PassCardPrefix = "SWH1:";
    private const int TagBytes = 10;
    private const int PayloadBytes = 16 + 4;
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private readonly SemaphoreSlim _loading = new(1, 1);
    private byte[]? _key;

    public static bool LooksLikeCode(string text) =>
        text.StartsWith(PersonPrefix, StringComparison.OrdinalIgnoreCase) || text.StartsWith(PassCardPrefix, StringComparison.OrdinalIgnoreCase);

    public async Task<string> CodeAsync(CodeKind kind, Guid id, int serial, CancellationToken cancellationToken = default)
    {
        var key = await KeyAsync(cancellationToken);
        Span<byte> bytes = stackalloc byte[PayloadBytes + TagBytes];
        id.TryWriteBytes(bytes[..16], bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(bytes.Slice(16, 4), serial);
        Tag(key, kind, bytes[..PayloadBytes], bytes[PayloadBytes..]);
        return (kind == CodeKind.Person ? PersonPrefix : PassCardPrefix) + ToBase32(bytes);
    }

    /// <summary>Null for anything not made by this platform's key: a typo, a forgery, an altered id or serial.</summary>
    public async Task<CodeContent?> ReadAsync(string text, CancellationToken cancellationToken = default)
    {
        text = text.Trim();
        CodeKind kind;
        if (text.StartsWith(PersonPrefix, StringComparison.OrdinalIgnoreCase)) kind = CodeKind.Person;
        else if (text.StartsWith(PassCardPrefix, StringComparison.OrdinalIgnoreCase)) kind = CodeKind.PassCard;
        else return null;
        var bytes = FromBase32(text[PersonPrefix.Length..]);
        if (bytes is null || bytes.Length != PayloadBytes + TagBytes) return null;
        var key = await KeyAsync(cancellationToken);
        Span<byte> expected = stackalloc byte[TagBytes];
        Tag(key, kind, bytes.AsSpan(0, PayloadBytes), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(PayloadBytes))) return null;
        return new CodeContent(kind, new Guid(bytes.AsSpan(0, 16), bigEndian: true), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
    }

    /// <summary>A tamper-proof ticket carrying <paramref name="payload"/> (e.g. a scan's decision, to be confirmed later).</summary>
    public async Task<string> SealAsync(string purpose, string payload, CancellationToken cancellationToken = default)
    {
        var key = await KeyAsync(cancellationToken);
        var data = Encoding.UTF8.GetBytes(payload);
        return Base64Url(data) + "." + Base64Url(TicketTag(key, purpose, data));
    }

    /// <summary>The payload of a ticket sealed for <paramref name="purpose"/>; null when altered or not a ticket.</summary>
    public async Task<string?> UnsealAsync(string purpose, string? ticket, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(ticket) || ticket.Length > 8000) return null;
        var dot = ticket.IndexOf('.');
        if (dot <= 0) return null;
        try
        {
            var data = System.Buffers.Text.Base64Url.DecodeFromChars(ticket.AsSpan(0, dot));
            var tag = System.Buffers.Text.Base64Url.DecodeFromChars(ticket.AsSpan(dot + 1));
            var key = await KeyAsync(cancellationToken);
            return CryptographicOperations.FixedTimeEquals(TicketTag(key, purpose, data), tag) ? Encoding.UTF8.GetString(data) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void Tag(byte[] key, CodeKind kind, ReadOnlySpan<byte> payload, Span<byte> tag)
    {
        Span<byte> message = stackalloc byte[1 + PayloadBytes];
        message[0] = (byte)kind;
        payload.CopyTo(message[1..]);
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(key, message, full);
        full[..TagBytes].CopyTo(tag);
    }

    private static byte[] TicketTag(byte[] key, string purpose, byte[] data) =>
        HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes("ticket:" + purpose + ":"), .. data])[..16];

    private static string Base64Url(byte[] data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    private async ValueTask<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } key) return key;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            return _key ??= await LoadAsync(cancellationToken);
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<byte[]> LoadAsync(CancellationToken cancellationToken)
    {
        if (configuration["Shouwang:Codes:Key"] is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length < 32) throw new InvalidOperationException("Shouwang:Codes:Key must be at least 32 bytes (base64).");
            return bytes;
        }
        const string purpose = "codes";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.SigningKeys.AsNoTracking().Where(k => k.Purpose == purpose).Select(k => k.Key).FirstOrDefaultAsync(cancellationToken);
        if (stored is not null) return Convert.FromBase64String(stored);
        db.SigningKeys.Add(new SigningKey { Purpose = purpose, Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), CreatedAt = time.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process made it first: use theirs.
        }
        await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
        return Convert.FromBase64String(await again.SigningKeys.AsNoTracking().Where(k => k.Purpose == purpose).Select(k => k.Key).FirstAsync(cancellationToken));
    }

    private static string ToBase32(ReadOnlySpan<byte> data)
    {
        var builder = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                builder.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) builder.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        return builder.ToString();
    }

    private static byte[]? FromBase32(string text)
    {
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            var value = Base32Alphabet.IndexOf(char.ToUpperInvariant(c));
            if (value < 0) return null;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. output];
    }
}
