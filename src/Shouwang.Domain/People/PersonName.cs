using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Shouwang.Domain.People;

/// <summary>Why a name was refused; the names double as the roster import's detail codes.</summary>
public enum PersonNameError { None, Empty, TooLong, ForbiddenCharacter, ControlCharacter, NoLetters }

/// <summary>
/// A person's name as staff type or import it, the one rule for forms, API and rosters. Chinese names never
/// contain spaces, so a space between two Chinese characters (or around the middle dot of a minority name,
/// 阿依古丽·买买提) is a typing slip and goes; a space between Latin words (John Smith) stays. Characters that
/// only appear in markup or SQL are refused, so such text is reported instead of stored.
/// </summary>
public static class PersonName
{
    public const int MaxLength = 50;
    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create("<>;'\"\\`{}[]|=");

    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? name, out PersonNameError error)
    {
        name = Clean(input);
        error = name.Length == 0 ? PersonNameError.Empty
            : name.Any(char.IsControl) ? PersonNameError.ControlCharacter
            : name.AsSpan().ContainsAny(Forbidden) ? PersonNameError.ForbiddenCharacter
            : name.Length > MaxLength ? PersonNameError.TooLong
            : !name.EnumerateRunes().Any(Rune.IsLetter) ? PersonNameError.NoLetters
            : PersonNameError.None;
        if (error == PersonNameError.None) return true;
        name = null;
        return false;
    }

    /// <summary>Full-width to half-width, spaces folded, dot variants to ·, slips between Chinese characters removed.</summary>
    public static string Clean(string? text)
    {
        var cleaned = TextNormalizer.CleanText(text);
        var builder = new StringBuilder(cleaned.Length);
        for (var i = 0; i < cleaned.Length; i++)
        {
            var c = cleaned[i] is '・' or '•' or '‧' or '･' or '∙' ? '·' : cleaned[i];
            var previous = builder.Length > 0 ? builder[^1] : '\0';
            var next = i + 1 < cleaned.Length ? cleaned[i + 1] : '\0';
            if (c == ' ' && IsCjkOrDot(previous) && IsCjkOrDot(next)) continue;
            if (c == '.' && IsCjk(previous) && IsCjk(next)) c = '·';
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>张三 → 张*, 司马望舒 → 司**舒: enough for a gate to greet someone, not to identify them from a log.</summary>
    public static string Mask(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        name = name.Trim();
        return name.Length switch
        {
            1 => name,
            2 => name[0] + "*",
            _ => name[0] + new string('*', name.Length - 2) + name[^1],
        };
    }

    private static bool IsCjk(char c) =>
        c is (>= '\u2E80' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF') || char.IsSurrogate(c);

    private static bool IsCjkOrDot(char c) => c is '·' or '・' or '•' or '‧' or '･' or '∙' || IsCjk(c);
}
