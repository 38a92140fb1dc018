using System.Diagnostics.CodeAnalysis;

namespace Shouwang.Domain.People;

public enum DocumentType
{
    /// <summary>居民身份证 (also the residence permits of HK/Macao/Taiwan residents, which use the same format).</summary>
    ResidentIdCard = 0,
    /// <summary>护照</summary>
    Passport = 1,
    /// <summary>港澳居民来往内地通行证</summary>
    HongKongMacaoPermit = 2,
    /// <summary>台湾居民来往大陆通行证</summary>
    TaiwanPermit = 3,
    /// <summary>外国人永久居留身份证</summary>
    ForeignPermanentResidentCard = 4,
}

public enum DocumentError { None, Empty, InvalidResidentId, InvalidFormat }

/// <summary>
/// A person's identity document. Only the resident ID card has a check digit; the others are accepted on a
/// plausible shape (letters and digits of the usual length), since the registry must record visitors and
/// foreigners as they are.
/// </summary>
public static class DocumentNumber
{
    public static bool TryNormalize(DocumentType type, string? input, [NotNullWhen(true)] out string? normalized, out DocumentError error)
    {
        normalized = null;
        var text = TextNormalizer.Normalize(input).ToUpperInvariant();
        if (text.Length == 0) { error = DocumentError.Empty; return false; }
        if (type == DocumentType.ResidentIdCard)
        {
            if (!IdCardNumber.TryParse(text, out var id, out _)) { error = DocumentError.InvalidResidentId; return false; }
            normalized = id.Value.Value;
            error = DocumentError.None;
            return true;
        }
        var ok = type switch
        {
            // 港澳通行证: H or M followed by 8 or 10 digits
            DocumentType.HongKongMacaoPermit => (text[0] is 'H' or 'M') && text.Length is 9 or 11 && text[1..].All(char.IsAsciiDigit),
            // 台胞证: 8 digits (older ones 10 with letters)
            DocumentType.TaiwanPermit => text.Length is >= 8 and <= 10 && text.All(char.IsAsciiLetterOrDigit),
            DocumentType.ForeignPermanentResidentCard => text.Length is 15 or 18 && text.All(char.IsAsciiLetterOrDigit),
            _ => text.Length is >= 5 and <= 20 && text.All(char.IsAsciiLetterOrDigit),
        };
        if (!ok) { error = DocumentError.InvalidFormat; return false; }
        normalized = text;
        error = DocumentError.None;
        return true;
    }

    /// <summary>Guesses the type of a document number typed without one: an 18-character number is an ID card.</summary>
    public static DocumentType Guess(string? input)
    {
        var text = TextNormalizer.Normalize(input).ToUpperInvariant();
        if (text.Length == 18 && text[..17].All(char.IsAsciiDigit)) return DocumentType.ResidentIdCard;
        // An ID number with a digit lost or added must fail as an ID card, not pass as a passport.
        if (text.Length is >= 15 and <= 19 && char.IsAsciiDigit(text[0]) && text.All(c => char.IsAsciiDigit(c) || c == 'X'))
            return DocumentType.ResidentIdCard;
        if (text.Length is 9 or 11 && text[0] is 'H' or 'M' && text[1..].All(char.IsAsciiDigit)) return DocumentType.HongKongMacaoPermit;
        if (text.Length == 8 && text.All(char.IsAsciiDigit)) return DocumentType.TaiwanPermit;
        return text.Length == 18 ? DocumentType.ResidentIdCard : DocumentType.Passport;
    }

    public static string Mask(string value) => IdCardNumber.Mask(value);
}
