using System.Globalization;
using Shouwang.Domain.People;

namespace Shouwang.Domain.Tests.People;

public class IdCardNumberTests
{
    // GB 11643's own example; its check character is X.
    private const string StandardExample = "11010519491231002X";

    [Fact]
    public void FromFirst17_computes_the_check_character()
    {
        var id = IdCardNumber.FromFirst17("43020219900307123");

        Assert.Equal("43020219900307123X", id.Value);
        Assert.Equal('X', IdCardNumber.CheckCharacter("43020219900307123"));
        Assert.Equal('8', IdCardNumber.CheckCharacter("43020219900307124"));
    }

    [Theory]
    [InlineData(StandardExample)]
    [InlineData("43020219900307123X")]
    [InlineData("430202199003071248")]
    [InlineData("430202198511200021")]
    public void Accepts_valid_numbers(string input)
    {
        Assert.True(IdCardNumber.TryParse(input, out var id, out var error));
        Assert.Equal(IdCardError.None, error);
        Assert.Equal(input, id.Value.Value);
    }

    [Fact]
    public void Lower_case_x_is_upper_cased()
    {
        Assert.True(IdCardNumber.TryParse("11010519491231002x", out var id, out _));
        Assert.Equal(StandardExample, id.Value.Value);
    }

    [Fact]
    public void Full_width_digits_and_x_are_converted()
    {
        Assert.True(IdCardNumber.TryParse("１１０１０５１９４９１２３１００２ｘ", out var id, out _));
        Assert.Equal(StandardExample, id.Value.Value);
    }

    [Theory]
    [InlineData("110105 19491231 002X")]
    [InlineData(" 110105194912310 02X ")]
    [InlineData("110105\u300019491231002X")]
    [InlineData("\t11010519491231002X\r\n")]
    public void Spaces_anywhere_are_removed(string input)
    {
        Assert.True(IdCardNumber.TryParse(input, out var id, out _));
        Assert.Equal(StandardExample, id.Value.Value);
    }

    [Theory]
    [InlineData("110105194912310021")]
    [InlineData("430202199003071234")]
    [InlineData("430202199003071249")]
    public void Rejects_a_wrong_check_digit(string input)
    {
        Assert.False(IdCardNumber.TryParse(input, out var id, out var error));
        Assert.Null(id);
        Assert.Equal(IdCardError.WrongCheckDigit, error);
    }

    [Theory]
    [InlineData("43020219900230")]   // 30 February
    [InlineData("43020219890229")]   // 1989 is not a leap year
    [InlineData("43020219901301")]   // month 13
    [InlineData("43020219900100")]   // day 0
    [InlineData("43020218800101")]   // before 1890
    public void Rejects_an_impossible_birth_date_even_with_a_matching_check_digit(string first14)
    {
        var first17 = first14 + "123";
        var input = first17 + IdCardNumber.CheckCharacter(first17);

        Assert.False(IdCardNumber.TryParse(input, out _, out var error));
        Assert.Equal(IdCardError.InvalidBirthDate, error);
    }

    [Fact]
    public void Accepts_29_February_of_a_leap_year()
    {
        var id = IdCardNumber.FromFirst17("43020220200229456");
        Assert.Equal(new DateOnly(2020, 2, 29), id.BirthDate);
    }

    [Theory]
    [InlineData("", IdCardError.Empty)]
    [InlineData("   ", IdCardError.Empty)]
    [InlineData(null, IdCardError.Empty)]
    [InlineData("43020219900307123", IdCardError.WrongLength)]
    [InlineData("43020219900307123X0", IdCardError.WrongLength)]
    [InlineData("430202900307123", IdCardError.WrongLength)] // first-generation 15-digit numbers are no longer valid
    [InlineData("4302021990030712XX", IdCardError.NotDigits)]
    [InlineData("43020219900307123Y", IdCardError.NotDigits)]
    [InlineData("43O20219900307123X", IdCardError.NotDigits)]
    [InlineData("4.30202199003071E+17", IdCardError.WrongLength)]
    public void Reports_why_a_number_is_rejected(string? input, IdCardError expected)
    {
        Assert.False(IdCardNumber.TryParse(input, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Derives_birth_date_and_sex()
    {
        var man = IdCardNumber.Parse("43020219900307123X");
        var woman = IdCardNumber.Parse("430202199003071248");

        Assert.Equal(new DateOnly(1990, 3, 7), man.BirthDate);
        Assert.Equal(Sex.Male, man.Sex);
        Assert.Equal(Sex.Female, woman.Sex);
        Assert.Equal("430202", man.AreaCode);
        Assert.Equal(new DateOnly(1949, 12, 31), IdCardNumber.Parse(StandardExample).BirthDate);
        Assert.Equal(Sex.Female, IdCardNumber.Parse(StandardExample).Sex);
    }

    [Fact]
    public void Masks_all_but_the_first_and_last_four()
    {
        var id = IdCardNumber.Parse("430202199003071248");

        Assert.Equal("4302**********1248", id.Masked);
        Assert.Equal(18, id.Masked.Length);
        Assert.Equal("4302**********1234", IdCardNumber.Mask("430202199003071234"));
        Assert.Equal("********", IdCardNumber.Mask("12345678"));
        Assert.Equal("H123*5678", IdCardNumber.Mask("H12345678"));
    }

    [Fact]
    public void Parse_throws_on_invalid_input()
    {
        Assert.Throws<FormatException>(() => IdCardNumber.Parse("430202199003071234"));
    }

    [Theory]
    [InlineData("4302021990030712")]
    [InlineData("4302021990030712a")]
    public void FromFirst17_rejects_anything_but_17_digits(string input)
    {
        Assert.Throws<ArgumentException>(() => IdCardNumber.FromFirst17(input));
    }

    [Fact]
    public void Parsing_does_not_depend_on_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            // Thai culture counts years in the Buddhist era; the birth date must still be read as Gregorian.
            CultureInfo.CurrentCulture = new CultureInfo("th-TH");
            Assert.True(IdCardNumber.TryParse("43020219900307123X", out var id, out var error), error.ToString());
            Assert.Equal(new DateOnly(1990, 3, 7), id.Value.BirthDate);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Equal_numbers_are_equal_values()
    {
        Assert.Equal(IdCardNumber.Parse("11010519491231002x"), IdCardNumber.Parse(StandardExample));
        Assert.Equal(StandardExample, IdCardNumber.Parse(StandardExample).ToString());
    }
}
