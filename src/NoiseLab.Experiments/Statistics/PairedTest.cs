namespace NoiseLab.Statistics;

/// <summary>
/// Tests for paired differences d_s = plan_s − baseline_s (runs that share seed s share their initial weights and
/// data order): Student's t interval for the mean difference and the exact sign-flip permutation test, which
/// assumes only that each difference is as likely to have either sign when the plan does nothing.
/// </summary>
public static class PairedTest
{
    /// <summary>Above this many pairs the sign-flip test samples <see cref="MonteCarloFlips"/> assignments instead of enumerating 2^n.</summary>
    public const int ExactUpTo = 16;

    /// <summary>The number of random sign assignments for more than <see cref="ExactUpTo"/> pairs.</summary>
    public const int MonteCarloFlips = 1 << 16;

    /// <summary>The mean difference and its 1 − <paramref name="alpha"/> t interval, mean ± t_{1−α/2, n−1} · s/√n (at least 2 differences).</summary>
    public static (double Mean, double Low, double High) TInterval(IReadOnlyList<double> differences, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Count < 2)
            throw new ArgumentException("A t interval needs at least two paired differences.");
        double mean = differences.Average();
        double halfWidth = TQuantile(1 - alpha / 2, differences.Count - 1) * Math.Sqrt(WelchTTest.Variance(differences) / differences.Count);
        return (mean, mean - halfWidth, mean + halfWidth);
    }

    /// <summary>
    /// The two-sided sign-flip p-value: the share of the 2^n sign assignments whose |Σ ± d_s| is at least the observed
    /// |Σ d_s|, exactly for up to <see cref="ExactUpTo"/> pairs; beyond, (1 + hits) / (1 + draws) over
    /// <see cref="MonteCarloFlips"/> assignments drawn from a generator seeded with <paramref name="seed"/>.
    /// Its smallest possible value with n exact pairs is 2 / 2^n: 0.25 for 3 seeds, 0.0625 for 5.
    /// </summary>
    public static double SignFlipP(IReadOnlyList<double> differences, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(differences);
        int n = differences.Count;
        if (n == 0)
            throw new ArgumentException("The sign-flip test needs at least one paired difference.");
        double observed = Math.Abs(differences.Sum());
        // Sums equal to the observed one up to rounding count as at least as extreme.
        double tolerance = 1e-12 * differences.Sum(Math.Abs);
        if (n <= ExactUpTo)
        {
            long hits = 0, assignments = 1L << n;
            for (long mask = 0; mask < assignments; mask++)
            {
                if (Math.Abs(SignedSum(differences, mask)) >= observed - tolerance)
                    hits++;
            }
            return (double)hits / assignments;
        }
        var random = new Random(seed);
        long sampled = 0;
        for (int draw = 0; draw < MonteCarloFlips; draw++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
                sum += random.Next(2) == 0 ? differences[i] : -differences[i];
            if (Math.Abs(sum) >= observed - tolerance)
                sampled++;
        }
        return (1.0 + sampled) / (1.0 + MonteCarloFlips);
    }

    /// <summary>The <paramref name="probability"/> quantile of Student's t with <paramref name="df"/> degrees of freedom (probability in (0.5, 1)).</summary>
    public static double TQuantile(double probability, double df)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(probability, 0.5);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(probability, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(df);
        // P(|T| ≥ t) = 2(1 − probability) falls as t grows: bisect on it.
        double target = 2 * (1 - probability), low = 0, high = 1;
        while (WelchTTest.TwoSidedP(high, df) > target)
            high *= 2;
        for (int i = 0; i < 200 && high - low > 1e-13 * high; i++)
        {
            double middle = (low + high) / 2;
            if (WelchTTest.TwoSidedP(middle, df) > target)
                low = middle;
            else
                high = middle;
        }
        return (low + high) / 2;
    }

    private static double SignedSum(IReadOnlyList<double> differences, long mask)
    {
        double sum = 0;
        for (int i = 0; i < differences.Count; i++)
            sum += (mask >> i & 1) == 0 ? differences[i] : -differences[i];
        return sum;
    }
}
