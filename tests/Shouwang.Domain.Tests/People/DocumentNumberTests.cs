using Shouwang.Domain.People;

namespace Shouwang.Domain.Tests.People;

public class DocumentNumberTests
{
    [Theory]
    [InlineData("11010519491231002x", "11010519491231002X")]
    [InlineData("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X")]
    [InlineData(" 110105 19491231 002X ", "11010519491231002X")]
    public void Resident_id_is_normalised(string input, string expected)
    {
        Assert.True(DocumentNumber.TryNormalize(DocumentType.ResidentIdCard, input, out var normalized, out var error));
        Assert.Equal(expected, normalized);
        Assert.Equal(DocumentError.None, error);
    }

    [Theory]
    [InlineData("110105194912310021")] // wrong check digit
    [InlineData("43020219900230123X")] // 30 February
    [InlineData("4302021990030712")]   // too short
    public void Resident_id_is_checked(string input)
    {
        Assert.False(DocumentNumber.TryNormalize(DocumentType.ResidentIdCard, input, out var normalized, out var error));
        Assert.Null(normalized);
        Assert.Equal(DocumentError.InvalidResidentId, error);
    }

    [Theory]
    [InlineData(DocumentType.Passport, "e12345678", "E12345678")]
    [InlineData(DocumentType.Passport, "EA1234567", "EA1234567")]
    [InlineData(DocumentType.Passport, "５６７８９０１２", "56789012")]
    [InlineData(DocumentType.HongKongMacaoPermit, "H12345678", "H12345678")]
    [InlineData(DocumentType.HongKongMacaoPermit, "m 1234567890", "M1234567890")]
    [InlineData(DocumentType.TaiwanPermit, "12345678", "12345678")]
    [InlineData(DocumentType.TaiwanPermit, "1234567890", "1234567890")]
    [InlineData(DocumentType.TaiwanPermit, "T123456789", "T123456789")]
    [InlineData(DocumentType.ForeignPermanentResidentCard, "USA123456789012", "USA123456789012")]
    public void Other_documents_are_accepted_on_shape_without_a_check_digit(DocumentType type, string input, string expected)
    {
        Assert.True(DocumentNumber.TryNormalize(type, input, out var normalized, out var error));
        Assert.Equal(expected, normalized);
        Assert.Equal(DocumentError.None, error);
    }

    [Theory]
    [InlineData(DocumentType.HongKongMacaoPermit, "C12345678")]  // only H (Hong Kong) or M (Macao)
    [InlineData(DocumentType.HongKongMacaoPermit, "H1234567")]
    [InlineData(DocumentType.HongKongMacaoPermit, "H1234567A")]
    [InlineData(DocumentType.TaiwanPermit, "1234567")]
    [InlineData(DocumentType.TaiwanPermit, "12345-678")]
    [InlineData(DocumentType.Passport, "E123")]
    [InlineData(DocumentType.Passport, "E1234567890123456789012")]
    [InlineData(DocumentType.Passport, "E1234<5678")]
    [InlineData(DocumentType.ForeignPermanentResidentCard, "USA1234567")]
    public void Other_documents_of_the_wrong_shape_are_rejected(DocumentType type, string input)
    {
        Assert.False(DocumentNumber.TryNormalize(type, input, out _, out var error));
        Assert.Equal(DocumentError.InvalidFormat, error);
    }

    [Theory]
    [InlineData(DocumentType.ResidentIdCard)]
    [InlineData(DocumentType.Passport)]
    [InlineData(DocumentType.TaiwanPermit)]
    public void Empty_is_reported_as_empty(DocumentType type)
    {
        Assert.False(DocumentNumber.TryNormalize(type, "  ", out _, out var error));
        Assert.Equal(DocumentError.Empty, error);
        Assert.False(DocumentNumber.TryNormalize(type, null, out _, out error));
        Assert.Equal(DocumentError.Empty, error);
    }

    [Theory]
    [InlineData("11010519491231002X", DocumentType.ResidentIdCard)]
    [InlineData("11010519491231002x", DocumentType.ResidentIdCard)]
    [InlineData("110105194912310021", DocumentType.ResidentIdCard)] // wrong check digit, still an ID card to validate
    [InlineData("H12345678", DocumentType.HongKongMacaoPermit)]
    [InlineData("m1234567890", DocumentType.HongKongMacaoPermit)]
    [InlineData("12345678", DocumentType.TaiwanPermit)]
    [InlineData("E12345678", DocumentType.Passport)]
    [InlineData("G1234567", DocumentType.Passport)]
    public void Guess_recognises_the_usual_shapes(string input, DocumentType expected)
    {
        Assert.Equal(expected, DocumentNumber.Guess(input));
    }

    [Theory]
    [InlineData("43020219900307123")]    // last digit lost
    [InlineData("4302021990030712")]
    [InlineData("430202900307123")]      // first-generation 15 digits
    [InlineData("4302021990030712345")]  // a digit too many
    [InlineData("43020219900307123XX")]
    public void Guess_takes_an_id_number_with_a_wrong_length_for_an_id_card(string input)
    {
        // A truncated ID number must fail ID validation, not slip in as a "passport".
        Assert.Equal(DocumentType.ResidentIdCard, DocumentNumber.Guess(input));
        Assert.False(DocumentNumber.TryNormalize(DocumentNumber.Guess(input), input, out _, out var error));
        Assert.Equal(DocumentError.InvalidResidentId, error);
    }

    [Fact]
    public void Mask_hides_the_middle()
    {
        Assert.Equal("1101**********002X", DocumentNumber.Mask("11010519491231002X"));
        Assert.Equal("H123*5678", DocumentNumber.Mask("H12345678"));
    }
}
