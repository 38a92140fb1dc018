using Shouwang.Domain.People;

namespace Shouwang.Domain.Tests.People;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("１２３", "123")]
    [InlineData("ＡＢＣａｂｃ", "ABCabc")]
    [InlineData("（）：，；", "():,;")]
    [InlineData(" 1 2\u30003\t4\r\n5\u00A06\u200B7\uFEFF8 ", "12345678")]
    [InlineData("张 三", "张三")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Normalize_converts_full_width_and_removes_every_space(string? input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input));
    }

    [Theory]
    [InlineData("  晏家湾小区  ", "晏家湾小区")]
    [InlineData("John   Smith", "John Smith")]
    [InlineData("3栋\u3000\u30002单元", "3栋 2单元")]
    [InlineData("第一行\r\n第二行", "第一行 第二行")]
    [InlineData("\u200B张三\uFEFF", "张三")]
    [InlineData("（３０１室）", "(301室)")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    public void CleanText_trims_and_folds_inner_spaces(string? input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.CleanText(input));
    }

    [Fact]
    public void CleanText_keeps_characters_it_does_not_know()
    {
        Assert.Equal("阿依古丽·买买提", TextNormalizer.CleanText("阿依古丽·买买提"));
        Assert.Equal("<script>", TextNormalizer.CleanText("<script>"));
    }

    [Theory]
    [InlineData('\uFF10', '0')]
    [InlineData('\uFF21', 'A')]
    [InlineData('\uFF5E', '~')]
    [InlineData('\u3000', ' ')]
    [InlineData('中', '中')]
    [InlineData('a', 'a')]
    [InlineData('\uFF5F', '\uFF5F')] // past the full-width ASCII block
    public void ToHalfWidth_maps_only_the_full_width_ascii_block(char input, char expected)
    {
        Assert.Equal(expected, TextNormalizer.ToHalfWidth(input));
    }
}
