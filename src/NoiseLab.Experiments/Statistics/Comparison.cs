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
        var random = new Random(seed);
        var differences = new double[resamples];
        for (int r = 0; r < resamples; r++)
            differences[r] = ResampledMean(plan, random) - ResampledMean(baseline, random);
        Array.Sort(differences);
        return (plan.Average() - baseline.Average(), Quantile(differences, alpha / 2), Quantile(differences, 1 - alpha / 2));
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
