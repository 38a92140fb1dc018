using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Shouwang.Domain.People;

public enum Sex { Unknown = 0, Male = 1, Female = 2 }

/// <summary>
/// The 18-digit resident ID number (居民身份证号码), GB 11643-1999: 6-digit issuing area, 8-digit birth date,
/// 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character (0-9 or X).
/// </summary>
public readonly record struct IdCardNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";

    public string Value { get; }

    private IdCardNumber(string value) => Value = value;

    public string AreaCode => Value[..6];

    public DateOnly BirthDate => new(int.Parse(Value[6..10]), int.Parse(Value[10..12]), int.Parse(Value[12..14]));

    public Sex Sex => (Value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>4302**********1234: the form shown in lists and exports (DESIGN.md, People).</summary>
    public string Masked => Mask(Value);

    public override string ToString() => Value;

    public static bool TryParse(string? input, [NotNullWhen(true)] out IdCardNumber? number, out IdCardError error)
    {
        number = null;
        var text = TextNormalizer.Normalize(input).ToUpperInvariant();
        if (text.Length == 0) { error = IdCardError.Empty; return false; }
        if (text.Length != 18) { error = IdCardError.WrongLength; return false; }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(text[i])) { error = IdCardError.NotDigits; return false; }
        }
        if (!char.IsAsciiDigit(text[17]) && text[17] != 'X') { error = IdCardError.NotDigits; return false; }
        if (!DateOnly.TryParseExact(text[6..14], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) || birth.Year < 1890)
        {
            error = IdCardError.InvalidBirthDate;
            return false;
        }
        if (text[17] != CheckCharacter(text.AsSpan(0, 17))) { error = IdCardError.WrongCheckDigit; return false; }
        error = IdCardError.None;
        number = new IdCardNumber(text);
        return true;
    }

    public static IdCardNumber Parse(string input) =>
        TryParse(input, out var number, out var error) ? number.Value : throw new FormatException($"Invalid resident ID number: {error}");

    /// <summary>Builds a valid number from its first 17 digits (used by the demo and test generators).</summary>
    public static IdCardNumber FromFirst17(string first17)
    {
        if (first17.Length != 17 || !first17.All(char.IsAsciiDigit)) throw new ArgumentException("17 digits expected", nameof(first17));
        return Parse(first17 + CheckCharacter(first17));
    }

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckChars[sum % 11];
    }

    public static string Mask(string value) =>
        value.Length <= 8 ? new string('*', value.Length) : value[..4] + new string('*', value.Length - 8) + value[^4..];
}

public enum IdCardError { None, Empty, WrongLength, NotDigits, InvalidBirthDate, WrongCheckDigit }
