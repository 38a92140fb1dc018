using System.Diagnostics.CodeAnalysis;

namespace Shouwang.Domain.Jurisdictions;

public enum JurisdictionLevel { Province = 1, City = 2, County = 3, Town = 4, Community = 5 }

/// <summary>
/// A National Bureau of Statistics division code (统计用区划代码): 2 digits province, 4 city, 6 county, 9 street or
/// town, 12 residents' or village committee. The code is its own path: every descendant starts with it, so a
/// subtree is the numeric range <see cref="SubtreeRange"/> of the 12-digit codes below it.
/// </summary>
public readonly record struct JurisdictionCode
{
    public string Value { get; }

    private JurisdictionCode(string value) => Value = value;

    public JurisdictionLevel Level => Value.Length switch
    {
        2 => JurisdictionLevel.Province,
        4 => JurisdictionLevel.City,
        6 => JurisdictionLevel.County,
        9 => JurisdictionLevel.Town,
        _ => JurisdictionLevel.Community,
    };

    public JurisdictionCode? Parent => Value.Length switch
    {
        2 => null,
        4 => new(Value[..2]),
        6 => new(Value[..4]),
        9 => new(Value[..6]),
        _ => new(Value[..9]),
    };

    /// <summary>
    /// For a committee: 001–199 are urban residents' committees (社区), 200–399 village committees (村); NBS also uses
    /// 400–499 for bodies like a residents' committee (类似居委会) and 500–599 for bodies like a village committee (类似村委会).
    /// </summary>
    public bool IsVillage => Level == JurisdictionLevel.Community && int.Parse(Value[9..]) is (>= 200 and <= 399) or (>= 500 and <= 599);

    /// <summary>The inclusive range of 12-digit community codes inside this node, for indexed range queries.</summary>
    public (long Min, long Max) SubtreeRange
    {
        get
        {
            var scale = Pow10(12 - Value.Length);
            var code = long.Parse(Value);
            return (code * scale, ((code + 1) * scale) - 1);
        }
    }

    public long AsCommunityNumber => Level == JurisdictionLevel.Community
        ? long.Parse(Value)
        : throw new InvalidOperationException($"{Value} is not a committee code");

    public bool Contains(JurisdictionCode other) => other.Value.StartsWith(Value, StringComparison.Ordinal);

    public override string ToString() => Value;

    public static bool TryParse(string? input, [NotNullWhen(true)] out JurisdictionCode? code)
    {
        code = null;
        var text = input?.Trim() ?? string.Empty;
        if (text.Length is not (2 or 4 or 6 or 9 or 12) || !text.All(char.IsAsciiDigit) || text.StartsWith('0')) return false;
        code = new JurisdictionCode(text);
        return true;
    }

    public static JurisdictionCode Parse(string input) =>
        TryParse(input, out var code) ? code.Value : throw new FormatException($"'{input}' is not a division code of 2, 4, 6, 9 or 12 digits");

    public static JurisdictionCode FromCommunityNumber(long number) => Parse(number.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static long Pow10(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++) result *= 10;
        return result;
    }
}
