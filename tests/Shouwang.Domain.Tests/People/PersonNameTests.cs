using Shouwang.Domain.People;

namespace Shouwang.Domain.Tests.People;

public sealed class PersonNameTests
{
    [Theory]
    [InlineData("张三", "张三")]
    [InlineData(" 张 三 ", "张三")]
    [InlineData("王　小红", "王小红")]
    [InlineData("阿依古丽 · 买买提", "阿依古丽·买买提")]
    [InlineData("阿依古丽.买买提", "阿依古丽·买买提")]
    [InlineData("John  Smith", "John Smith")]
    public void TryNormalize_AcceptsRealNames(string input, string expected)
    {
        Assert.True(PersonName.TryNormalize(input, out var name, out _));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData("", PersonNameError.Empty)]
    [InlineData("   ", PersonNameError.Empty)]
    [InlineData("<script>alert(1)</script>", PersonNameError.ForbiddenCharacter)]
    [InlineData("x'; DROP TABLE Persons;--", PersonNameError.ForbiddenCharacter)]
    [InlineData("12345", PersonNameError.NoLetters)]
    [InlineData("张\u0001三", PersonNameError.ControlCharacter)]
    public void TryNormalize_RefusesWithTheReason(string input, PersonNameError expected)
    {
        Assert.False(PersonName.TryNormalize(input, out var name, out var error));
        Assert.Null(name);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryNormalize_RefusesNamesLongerThan50()
    {
        Assert.True(PersonName.TryNormalize(new string('张', 50), out _, out _));
        Assert.False(PersonName.TryNormalize(new string('张', 51), out _, out var error));
        Assert.Equal(PersonNameError.TooLong, error);
    }
}
