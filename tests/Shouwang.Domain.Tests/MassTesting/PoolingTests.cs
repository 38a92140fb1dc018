using Shouwang.Domain.MassTesting;

namespace Shouwang.Domain.Tests.MassTesting;

/// <summary>Against the Dorfman table in POLICY-PRESETS.md (optimum k and E(k) per prevalence).</summary>
public sealed class PoolingTests
{
    [Theory]
    [InlineData(0.001, 32, 0.063)]
    [InlineData(0.005, 15, 0.139)]
    [InlineData(0.02, 8, 0.274)]
    [InlineData(0.05, 5, 0.426)]
    [InlineData(0.10, 4, 0.594)]
    public void OptimalSize_AndItsTestsPerPerson_MatchTheTable(double prevalence, int size, double tests)
    {
        Assert.Equal(size, Pooling.OptimalSize(prevalence));
        Assert.Equal(tests, Pooling.TestsPerPerson(size, prevalence), 3);
    }

    [Fact]
    public void AtOnePercent_TenAndElevenTie()
    {
        Assert.Equal(Pooling.TestsPerPerson(10, 0.01), Pooling.TestsPerPerson(11, 0.01), 3);
        Assert.Equal(0.196, Pooling.TestsPerPerson(11, 0.01), 3);
        Assert.Contains(Pooling.OptimalSize(0.01), new[] { 10, 11 });
    }

    [Theory]
    [InlineData(0.30, 3)]
    [InlineData(0.31, 1)]
    public void PoolingStopsPaying_AboveAbout30Point7Percent(double prevalence, int expected) =>
        Assert.Equal(expected, Pooling.OptimalSize(prevalence));

    [Fact]
    public void Advisor_RecommendsAmongValidatedSizes()
    {
        var low = Pooling.Advise(0.001);
        Assert.Equal([1, 5, 10, 20], low.Select(o => o.Size));
        Assert.Equal(20, Assert.Single(low, o => o.Recommended).Size);
        Assert.Equal(5, Assert.Single(Pooling.Advise(0.05), o => o.Recommended).Size);
        Assert.Equal(1, Assert.Single(Pooling.Advise(0.4), o => o.Recommended).Size);
    }

    [Theory]
    [InlineData(0, 10, 0)]
    [InlineData(1, 10, 1)]
    [InlineData(10, 10, 1)]
    [InlineData(11, 10, 2)]
    [InlineData(41_200, 10, 4_120)]
    public void Tubes(int people, int size, int tubes) => Assert.Equal(tubes, Pooling.TubesFor(people, size));

    [Fact]
    public void Plan_ASitePer2500_ASamplerPer360() => Assert.Equal((17, 115), SamplingPlan.For(41_200));
}
