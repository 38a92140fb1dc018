namespace Shouwang.Domain.MassTesting;

/// <summary>Expected tests per person for one pool size at one positive rate, and whether it is the one to use.</summary>
public sealed record PoolOption(int Size, double TestsPerPerson, bool Recommended);

/// <summary>
/// Pooled sampling arithmetic (混采). Dorfman (1943): a pool of k is tested once, and all k again one by one if it is
/// positive, so the expected tests per person are E(k) = 1/k + 1 − (1 − p)^k at prevalence p. Pool sizes were capped by
/// what the labs validated (5, 10, 20: dilution), not by the optimum, so the advisor recommends among those.
/// </summary>
public static class Pooling
{
    public static readonly IReadOnlyList<int> ValidatedSizes = [5, 10, 20];

    public static double TestsPerPerson(int size, double prevalence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (prevalence is < 0 or > 1 || double.IsNaN(prevalence)) throw new ArgumentOutOfRangeException(nameof(prevalence));
        return size == 1 ? 1 : 1.0 / size + 1 - Math.Pow(1 - prevalence, size);
    }

    /// <summary>The pool size with the fewest expected tests per person (single tubes, k = 1, when pooling doesn't pay).</summary>
    public static int OptimalSize(double prevalence, int maxSize = 100)
    {
        var best = 1;
        var bestTests = 1.0;
        for (var k = 2; k <= maxSize; k++)
        {
            var tests = TestsPerPerson(k, prevalence);
            if (tests < bestTests - 1e-12) (best, bestTests) = (k, tests);
        }
        return best;
    }

    /// <summary>Single tube and each validated size, with the cheapest marked (single tube if none beats it).</summary>
    public static IReadOnlyList<PoolOption> Advise(double prevalence)
    {
        var sizes = new[] { 1 }.Concat(ValidatedSizes).ToList();
        var tests = sizes.Select(k => TestsPerPerson(k, prevalence)).ToList();
        var best = tests.IndexOf(tests.Min());
        return sizes.Select((k, i) => new PoolOption(k, tests[i], i == best)).ToList();
    }

    /// <summary>Tubes a round needs for <paramref name="people"/> at pool size <paramref name="size"/>.</summary>
    public static int TubesFor(int people, int size) => people <= 0 ? 0 : (people + size - 1) / size;
}

/// <summary>How many sampling sites and samplers a population needs (第三版 guide: a site per 2,000–3,000 people, a sampler per 360).</summary>
public static class SamplingPlan
{
    public const int PeoplePerSite = 2_500;
    public const int PeoplePerSampler = 360;

    public static (int Sites, int Samplers) For(int population) =>
        population <= 0 ? (0, 0) : ((population + PeoplePerSite - 1) / PeoplePerSite, (population + PeoplePerSampler - 1) / PeoplePerSampler);
}
