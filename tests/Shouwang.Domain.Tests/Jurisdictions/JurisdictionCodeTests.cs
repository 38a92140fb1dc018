using Shouwang.Domain.Jurisdictions;

namespace Shouwang.Domain.Tests.Jurisdictions;

public class JurisdictionCodeTests
{
    [Theory]
    [InlineData("43", JurisdictionLevel.Province)]
    [InlineData("4302", JurisdictionLevel.City)]
    [InlineData("430202", JurisdictionLevel.County)]
    [InlineData("430202005", JurisdictionLevel.Town)]
    [InlineData("430202005001", JurisdictionLevel.Community)]
    public void Level_follows_the_length(string code, JurisdictionLevel expected)
    {
        Assert.Equal(expected, JurisdictionCode.Parse(code).Level);
    }

    [Theory]
    [InlineData("430202005001", "430202005")]
    [InlineData("430202005", "430202")]
    [InlineData("430202", "4302")]
    [InlineData("4302", "43")]
    public void Parent_drops_the_last_segment(string code, string parent)
    {
        Assert.Equal(JurisdictionCode.Parse(parent), JurisdictionCode.Parse(code).Parent);
    }

    [Fact]
    public void A_province_has_no_parent()
    {
        Assert.Null(JurisdictionCode.Parse("43").Parent);
    }

    [Fact]
    public void Walking_up_from_a_community_reaches_the_province_in_four_steps()
    {
        JurisdictionCode? code = JurisdictionCode.Parse("430202005201");
        var path = new List<string>();
        while (code is { } c)
        {
            path.Add(c.Value);
            code = c.Parent;
        }
        Assert.Equal(["430202005201", "430202005", "430202", "4302", "43"], path);
    }

    [Theory]
    [InlineData("430202005001", false)]
    [InlineData("430202005199", false)]
    [InlineData("430202005200", true)]
    [InlineData("430202005399", true)]
    [InlineData("430202005401", false)] // 类似居委会 (e.g. a farm's living quarter)
    [InlineData("430202005501", true)]  // 类似村委会
    [InlineData("430202005", false)] // a street is neither
    [InlineData("43", false)]
    public void IsVillage_for_committee_codes_200_to_399(string code, bool expected)
    {
        Assert.Equal(expected, JurisdictionCode.Parse(code).IsVillage);
    }

    [Theory]
    [InlineData("430202005", 430202005000L, 430202005999L)]
    [InlineData("43", 430000000000L, 439999999999L)]
    [InlineData("4302", 430200000000L, 430299999999L)]
    [InlineData("430202", 430202000000L, 430202999999L)]
    [InlineData("430202005001", 430202005001L, 430202005001L)]
    [InlineData("650000", 650000000000L, 650000999999L)]
    public void SubtreeRange_covers_every_committee_below(string code, long min, long max)
    {
        Assert.Equal((min, max), JurisdictionCode.Parse(code).SubtreeRange);
    }

    [Fact]
    public void SubtreeRange_matches_Contains()
    {
        var street = JurisdictionCode.Parse("430202005");
        var inside = JurisdictionCode.Parse("430202005203");
        var outside = JurisdictionCode.Parse("430202006001");
        var (min, max) = street.SubtreeRange;

        Assert.True(street.Contains(inside));
        Assert.InRange(inside.AsCommunityNumber, min, max);
        Assert.False(street.Contains(outside));
        Assert.NotInRange(outside.AsCommunityNumber, min, max);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("430")]
    [InlineData("43020")]
    [InlineData("4302020051")]
    [InlineData("4302020050011")]
    [InlineData("43020200500A")]
    [InlineData("012345")]          // no province code starts with 0
    [InlineData("-43020")]
    [InlineData("４３０２")]
    public void Rejects_invalid_codes(string? input)
    {
        Assert.False(JurisdictionCode.TryParse(input, out var code));
        Assert.Null(code);
    }

    [Fact]
    public void Parse_trims_and_throws_on_invalid()
    {
        Assert.Equal("430202", JurisdictionCode.Parse(" 430202 ").Value);
        Assert.Throws<FormatException>(() => JurisdictionCode.Parse("43020"));
    }

    [Fact]
    public void Community_number_round_trips()
    {
        var code = JurisdictionCode.FromCommunityNumber(430202005001);

        Assert.Equal("430202005001", code.Value);
        Assert.Equal(430202005001L, code.AsCommunityNumber);
        Assert.Throws<InvalidOperationException>(() => JurisdictionCode.Parse("430202005").AsCommunityNumber);
    }

    [Fact]
    public void Contains_is_by_prefix_and_includes_itself()
    {
        var county = JurisdictionCode.Parse("430202");

        Assert.True(county.Contains(county));
        Assert.True(county.Contains(JurisdictionCode.Parse("430202005001")));
        Assert.False(county.Contains(JurisdictionCode.Parse("430203001001")));
        Assert.False(county.Contains(JurisdictionCode.Parse("4302")));
    }
}
