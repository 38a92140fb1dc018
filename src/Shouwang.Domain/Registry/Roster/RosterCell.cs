using System.Globalization;
using Shouwang.Domain.People;

namespace Shouwang.Domain.Registry.Roster;

/// <summary>Reads a cell as a spreadsheet reader returns it (null, string, double, integers, decimal, DateTime, bool) as text.</summary>
internal static class RosterCell
{
    // Excel keeps 15 significant digits; a whole number from 10^14 up may already have lost its last digits.
    private const double LongNumberThreshold = 1e14;

    public static string ToText(object? value) => value switch
    {
        null or DBNull => string.Empty,
        string text => TextNormalizer.CleanText(text),
        double number => FormatDouble(number),
        float number => FormatDouble(number),
        decimal number => number == decimal.Truncate(number)
            ? number.ToString("0", CultureInfo.InvariantCulture)
            : number.ToString(CultureInfo.InvariantCulture),
        DateTime date => date.TimeOfDay == TimeSpan.Zero
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "TRUE" : "FALSE",
        IFormattable formattable => TextNormalizer.CleanText(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => TextNormalizer.CleanText(value.ToString()),
    };

    /// <summary>A number of 15 or more digits held as a floating-point or decimal number.</summary>
    public static bool IsLongNumber(object? value) => value switch
    {
        double number => Math.Abs(number) >= LongNumberThreshold,
        float number => Math.Abs(number) >= LongNumberThreshold,
        decimal number => Math.Abs(number) >= (decimal)LongNumberThreshold,
        _ => false,
    };

    /// <summary>"4.30202E+17", as Excel shows a long number and as people then copy it into a text cell.</summary>
    public static bool IsScientificNotation(string text)
    {
        // Excel always writes "E+" and uses it only from 12 digits up, so "12E45678" (a passport?) is not caught.
        var value = TextNormalizer.Normalize(text).ToUpperInvariant();
        var e = value.IndexOf("E+", StringComparison.Ordinal);
        if (e <= 0) return false;
        var mantissa = value[..e];
        var exponent = value[(e + 2)..];
        return exponent.Length is 2 or 3 && exponent.All(char.IsAsciiDigit) && int.Parse(exponent, CultureInfo.InvariantCulture) >= 10
            && char.IsAsciiDigit(mantissa[0]) && mantissa.Count(c => c == '.') <= 1 && mantissa.All(c => char.IsAsciiDigit(c) || c == '.');
    }

    /// <summary>Strips what people put in front of a number to keep Excel from converting it: a leading ' or the ="…" wrapper.</summary>
    public static string UnwrapNumberText(string text)
    {
        if (text.StartsWith('\'')) return text[1..].Trim();
        if (text.Length > 3 && text.StartsWith("=\"", StringComparison.Ordinal) && text.EndsWith('"')) return text[2..^1].Trim();
        return text;
    }

    private static string FormatDouble(double number) =>
        double.IsFinite(number) && number == Math.Floor(number) && Math.Abs(number) < 1e15
            ? number.ToString("0", CultureInfo.InvariantCulture)
            : number.ToString(CultureInfo.InvariantCulture);
}
