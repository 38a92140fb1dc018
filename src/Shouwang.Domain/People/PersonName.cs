using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Shouwang.Domain.People;

public enum PersonNameError { None, Empty, TooLong, ForbiddenCharacters, DigitsOnly }

/// <summary>
/// A person's name as staff type it. Chinese names never contain spaces, so spaces between two CJK characters go
/// ("张 三" → "张三"); Latin names keep one ("John Smith"); · stays (阿依古丽·买买提). Characters that only appear in
/// markup or SQL are refused, so such text is reported instead of stored.
/// </summary>
public static class PersonName
{
    public const int MaxLength = 50;
    private const string Forbidden = "<>;'\"\\`{}[]|=";

    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? name, out PersonNameError error)
    {
        name = null;
        var cleaned = TextNormalizer.CleanText(input).Replace('.', '·').Replace('•', '·');
        if (cleaned.Length == 0) { error = PersonNameError.Empty; return false; }
        var builder = new StringBuilder(cleaned.Length);
        for (var i = 0; i < cleaned.Length; i++)
        {
            var c = cleaned[i];
            if (c == ' ' && i > 0 && i + 1 < cleaned.Length && (IsCjk(cleaned[i - 1]) || IsCjk(cleaned[i + 1]))) continue;
            if (char.IsControl(c) || Forbidden.Contains(c, StringComparison.Ordinal)) { error = PersonNameError.ForbiddenCharacters; return false; }
            builder.Append(c);
        }
        var result = builder.ToString();
        if (result.Length > MaxLength) { error = PersonNameError.TooLong; return false; }
        if (result.All(c => char.IsAsciiDigit(c) || c == ' ')) { error = PersonNameError.DigitsOnly; return false; }
        name = result;
        error = PersonNameError.None;
        return true;
    }

    private static bool IsCjk(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or '·';
}
