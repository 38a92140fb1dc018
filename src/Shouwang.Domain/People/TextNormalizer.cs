using System.Text;

namespace Shouwang.Domain.People;

/// <summary>Cleans what people type or paste: full-width ASCII to half-width, every kind of space removed.</summary>
public static class TextNormalizer
{
    public static string Normalize(string? input)
    {
        if (string.IsNullOrEmpty(input)) return string.Empty;
        var builder = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            var half = ToHalfWidth(c);
            if (char.IsWhiteSpace(half) || half == '\u200B' || half == '\uFEFF') continue;
            builder.Append(half);
        }
        return builder.ToString();
    }

    /// <summary>Trims and folds inner runs of spaces to one, converting full-width ASCII; for names and addresses.</summary>
    public static string CleanText(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return string.Empty;
        var builder = new StringBuilder(input.Length);
        var pendingSpace = false;
        foreach (var c in input)
        {
            var half = ToHalfWidth(c);
            if (char.IsWhiteSpace(half) || half == '\u200B' || half == '\uFEFF')
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace) builder.Append(' ');
            pendingSpace = false;
            builder.Append(half);
        }
        return builder.ToString();
    }

    public static char ToHalfWidth(char c) => c switch
    {
        '\u3000' => ' ',
        >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
        _ => c,
    };
}
