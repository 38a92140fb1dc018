using Shouwang.Domain.People;

namespace Shouwang.Domain.Tests.People;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("13800138000", "13800138000")]
    [InlineData("+8613800138000", "13800138000")]
    [InlineData("+86 138 0013 8000", "13800138000")]
    [InlineData("8613800138000", "13800138000")]
    [InlineData("138-0013-8000", "13800138000")]
    [InlineData("138 0013 8000", "13800138000")]
    [InlineData("１３８００１３８０００", "13800138000")]
    [InlineData("１３８－００１３－８０００", "13800138000")]
    [InlineData("\t19912345678\n", "19912345678")]
    [InlineData("0731-12345678", "073112345678")]
    [InlineData("(0731)12345678", "073112345678")]
    [InlineData("（0731）12345678", "073112345678")]
    [InlineData("010-12345678", "01012345678")]
    [InlineData("0731-1234567", "07311234567")]
    public void Normalises_mobiles_and_landlines(string input, string expected)
    {
        Assert.True(PhoneNumber.TryNormalize(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("12800138000")]    // no mobile prefix 12x
    [InlineData("1380013800")]     // 10 digits
    [InlineData("138001380001")]   // 12 digits
    [InlineData("12345678")]       // landline without area code
    [InlineData("0731-123456789")] // landline too long
    [InlineData("1380013800O")]    // letter O for zero
    [InlineData("13800138000/13900139000")]
    [InlineData("无")]
    public void Rejects_what_is_not_a_phone_number(string? input)
    {
        Assert.False(PhoneNumber.TryNormalize(input, out var normalized));
        Assert.Null(normalized);
    }

    [Theory]
    [InlineData("13800138000", "138****8000")]
    [InlineData("073112345678", "073*****5678")]
    [InlineData("12345", "*****")]
    [InlineData(null, "")]
    [InlineData("", "")]
    public void Masks_the_middle(string? input, string expected)
    {
        Assert.Equal(expected, PhoneNumber.Mask(input));
    }
}
