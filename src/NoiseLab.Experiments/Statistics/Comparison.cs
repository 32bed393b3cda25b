namespace NoiseLab.Statistics;

/// <summary>What a comparison of a noise plan with its no-noise baseline concludes.</summary>
public enum Verdict
{
    /// <summary>The plan's mean is higher, the interval excludes 0 and the corrected p-value is below α.</summary>
    Helps,

    /// <summary>The plan's mean is lower, the interval excludes 0 and the corrected p-value is below α.</summary>
    Hurts,

    /// <summary>Anything else.</summary>
    NoDetectableDifference,
}

/// <summary>One plan against its baseline as independent samples: the difference in means, its bootstrap interval, Welch's p, its Holm correction and the verdict.</summary>
internal readonly record struct IndependentComparison(double Difference, double Low, double High, double P, double AdjustedP, Verdict Verdict);

/// <summary>
/// The statistics a report states for a plan against its baseline: the difference in means with a
/// percentile bootstrap interval, Welch's p-value, Holm's correction across the comparisons, and a verdict.
/// </summary>
public static class Comparison
{
    /// <summary>
    /// A 1 − <paramref name="alpha"/> percentile bootstrap interval for mean(<paramref name="plan"/>) − mean(<paramref name="baseline"/>),
    /// resampling each group with replacement <paramref name="resamples"/> times from a generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static (double Difference, double Low, double High) BootstrapDifference(IReadOnlyList<double> plan, IReadOnlyList<double> baseline, int resamples = 10_000, double alpha = 0.05, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(baseline);
        if (plan.Count == 0 || baseline.Count == 0)
            throw new ArgumentException("The bootstrap needs at least one value in each group.");
        var (low, high) = Percentiles(random => ResampledMean(plan, random) - ResampledMean(baseline, random), resamples, alpha, seed);
        return (plan.Average() - baseline.Average(), low, high);
    }

    /// <summary>
    /// A 1 − <paramref name="alpha"/> percentile bootstrap interval for mean(<paramref name="values"/>), by the same resampling
    /// as <see cref="BootstrapDifference"/>: <paramref name="resamples"/> times with replacement, from a generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static (double Mean, double Low, double High) BootstrapMean(IReadOnlyList<double> values, int resamples = 10_000, double alpha = 0.05, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
            throw new ArgumentException("The bootstrap needs at least one value.");
        var (low, high) = Percentiles(random => ResampledMean(values, random), resamples, alpha, seed);
        return (values.Average(), low, high);
    }

    /// <summary>
    /// Each plan against its baseline as independent samples, the way a report states it: the difference in means with its
    /// 95 % bootstrap interval (<see cref="BootstrapDifference"/>), Welch's p, Holm's correction across all the given pairs
    /// (one family) and the verdict at α = 0.05; in the input order. Each group needs at least two values.
    /// </summary>
    internal static IndependentComparison[] Independent(IReadOnlyList<(IReadOnlyList<double> Plan, IReadOnlyList<double> Baseline)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var raw = pairs.Select(pair => (Bootstrap: BootstrapDifference(pair.Plan, pair.Baseline), WelchTTest.Test(pair.Plan, pair.Baseline).P)).ToList();
        double[] adjusted = Holm([.. raw.Select(r => r.P)]);
        return [.. raw.Select((r, i) => new IndependentComparison(r.Bootstrap.Difference, r.Bootstrap.Low, r.Bootstrap.High, r.P, adjusted[i],
            Judge(r.Bootstrap.Low, r.Bootstrap.High, adjusted[i])))];
    }

    /// <summary>
    /// <see cref="Independent"/> with Holm's correction within each family rather than across all pairs (e.g. a report's
    /// loss gaps and accuracy gaps, or eigenvalues and traces, are separate families); in the input order.
    /// </summary>
    internal static IndependentComparison[] IndependentByFamily<TFamily>(IReadOnlyList<(TFamily Family, IReadOnlyList<double> Plan, IReadOnlyList<double> Baseline)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var results = new IndependentComparison[pairs.Count];
        foreach (var family in Enumerable.Range(0, pairs.Count).GroupBy(i => pairs[i].Family))
        {
            int[] members = [.. family];
            IndependentComparison[] tests = Independent([.. members.Select(i => (pairs[i].Plan, pairs[i].Baseline))]);
            for (int k = 0; k < members.Length; k++)
                results[members[k]] = tests[k];
        }
        return results;
    }

    /// <summary>Holm's step-down adjustment: the k-th smallest p times (m − k + 1), made non-decreasing, capped at 1; in the input order.</summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        int m = pValues.Count;
        int[] order = [.. Enumerable.Range(0, m).OrderBy(i => pValues[i])];
        var adjusted = new double[m];
        double running = 0;
        for (int k = 0; k < m; k++)
        {
            running = Math.Max(running, Math.Min(1, pValues[order[k]] * (m - k)));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }

    /// <summary>The verdict for an interval and a corrected p-value at level <paramref name="alpha"/>.</summary>
    public static Verdict Judge(double low, double high, double adjustedP, double alpha = 0.05) =>
        adjustedP >= alpha ? Verdict.NoDetectableDifference
        : low > 0 ? Verdict.Helps
        : high < 0 ? Verdict.Hurts
        : Verdict.NoDetectableDifference;

    // The alpha/2 and 1 − alpha/2 quantiles of a statistic over resamples drawn from one seeded generator.
    private static (double Low, double High) Percentiles(Func<Random, double> resampledStatistic, int resamples, double alpha, int seed)
    {
        var random = new Random(seed);
        var statistics = new double[resamples];
        for (int r = 0; r < resamples; r++)
            statistics[r] = resampledStatistic(random);
        Array.Sort(statistics);
        return (Quantile(statistics, alpha / 2), Quantile(statistics, 1 - alpha / 2));
    }

    private static double ResampledMean(IReadOnlyList<double> values, Random random)
    {
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
            sum += values[random.Next(values.Count)];
        return sum / values.Count;
    }

    // Linear interpolation between order statistics (the "type 7" definition).
    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
