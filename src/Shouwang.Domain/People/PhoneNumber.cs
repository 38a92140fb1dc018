using System.Diagnostics.CodeAnalysis;

namespace Shouwang.Domain.People;

/// <summary>A mainland mobile (1[3-9] + 9 digits) or a landline with its area code (0xx-xxxxxxxx).</summary>
public static class PhoneNumber
{
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        var text = TextNormalizer.Normalize(input).Replace("-", "", StringComparison.Ordinal)
            .Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal);
        if (text.StartsWith("+86", StringComparison.Ordinal)) text = text[3..];
        else if (text.Length == 13 && text.StartsWith("86", StringComparison.Ordinal)) text = text[2..];
        if (text.Length == 0 || !text.All(char.IsAsciiDigit)) return false;
        if (text.Length == 11 && text[0] == '1' && text[1] is >= '3' and <= '9')
        {
            normalized = text;
            return true;
        }
        // Landline: 0 + 2-3 digit area code + 7-8 digit number
        if (text[0] == '0' && text.Length is >= 10 and <= 12)
        {
            normalized = text;
            return true;
        }
        return false;
    }

    /// <summary>138****8000: the form shown in lists and exports.</summary>
    public static string Mask(string? value) =>
        string.IsNullOrEmpty(value) ? string.Empty
        : value.Length < 7 ? new string('*', value.Length)
        : value[..3] + new string('*', value.Length - 7) + value[^4..];
}
