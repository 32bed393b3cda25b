using System.Globalization;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Moments and two-sided tail frequencies of a large sample that should be N(0, 1), each with its
/// standard error under that hypothesis: the checks `noiselab bench --only quality` runs on 10⁸ draws and
/// the sampler's tests on 10⁷. Sums are kept in double precision, in blocks, so 10⁸ terms lose nothing.
/// </summary>
internal sealed class GaussianCheck
{
    /// <summary>The tail thresholds k of P(|z| &gt; k), and P itself (erfc(k/√2)).</summary>
    public static IReadOnlyList<(double Threshold, double Probability)> TailThresholds { get; } =
    [
        (1, 0.31731050786291415), (2, 0.045500263896358431), (3, 0.0026997960632601913), (4, 6.3342483666239944e-5),
        (5, 5.7330314375838909e-7), (5.5, 3.7979124931775475e-8), (6, 1.9731752900754028e-9),
    ];

    private readonly long[] _tails = new long[TailThresholds.Count];
    private double _sum1, _sum2, _sum3, _sum4;

    /// <summary>Samples seen.</summary>
    public long Count { get; private set; }

    /// <summary>The largest |z| seen.</summary>
    public double MaxAbs { get; private set; }

    /// <summary>The sample mean.</summary>
    public double Mean => _sum1 / Count;

    /// <summary>The standard deviation (about 0, since the mean is known to be 0 under the hypothesis).</summary>
    public double StandardDeviation => Math.Sqrt(_sum2 / Count);

    /// <summary>E[z³] / σ³.</summary>
    public double Skewness => _sum3 / Count / Math.Pow(_sum2 / Count, 1.5);

    /// <summary>E[z⁴] / σ⁴ − 3.</summary>
    public double ExcessKurtosis => _sum4 / Count / Math.Pow(_sum2 / Count, 2) - 3;

    /// <summary>Observed counts of |z| &gt; k, by threshold, with the expected count.</summary>
    public IReadOnlyList<(double Threshold, long Observed, double Expected)> Tails =>
        [.. TailThresholds.Select((t, i) => (t.Threshold, _tails[i], t.Probability * Count))];

    /// <summary>A check of <paramref name="values"/>.</summary>
    public static GaussianCheck Of(ReadOnlySpan<float> values)
    {
        var check = new GaussianCheck();
        check.Add(values);
        return check;
    }

    /// <summary>Adds <paramref name="values"/> to the sums.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        const int Block = 4096;
        for (int start = 0; start < values.Length; start += Block)
        {
            double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
            foreach (float value in values.Slice(start, Math.Min(Block, values.Length - start)))
            {
                double z = value, z2 = z * z;
                s1 += z;
                s2 += z2;
                s3 += z2 * z;
                s4 += z2 * z2;
                double magnitude = Math.Abs(z);
                if (magnitude > TailThresholds[0].Threshold)
                {
                    for (int t = 0; t < _tails.Length && magnitude > TailThresholds[t].Threshold; t++)
                        _tails[t]++;
                    MaxAbs = Math.Max(MaxAbs, magnitude);
                }
            }
            (_sum1, _sum2, _sum3, _sum4) = (_sum1 + s1, _sum2 + s2, _sum3 + s3, _sum4 + s4);
        }
        Count += values.Length;
    }

    /// <summary>
    /// How far each figure is from N(0, 1)'s, in standard errors: the mean (SE 1/√n), the standard deviation
    /// (√(2/4n)), the skewness (√(6/n)), the excess kurtosis (√(24/n)) and each tail count (binomial).
    /// </summary>
    public IReadOnlyList<(string Figure, double Value, double Expected, double StandardErrors)> Deviations()
    {
        double n = Count;
        var rows = new List<(string, double, double, double)>
        {
            ("mean", Mean, 0, Mean / Math.Sqrt(1 / n)),
            ("std", StandardDeviation, 1, (StandardDeviation - 1) / Math.Sqrt(2 / (4 * n))),
            ("skewness", Skewness, 0, Skewness / Math.Sqrt(6 / n)),
            ("excess_kurtosis", ExcessKurtosis, 0, ExcessKurtosis / Math.Sqrt(24 / n)),
        };
        foreach (var (threshold, observed, expected) in Tails)
            rows.Add(($"tail_{threshold.ToString(CultureInfo.InvariantCulture).Replace('.', '_')}", observed, expected, (observed - expected) / Math.Sqrt(Math.Max(expected * (1 - expected / n), 1e-300))));
        return rows;
    }

    /// <summary>
    /// A sentence for each figure more than <paramref name="standardErrors"/> standard errors from N(0, 1)'s;
    /// a tail expected fewer than 5 times counts as failing only beyond the count a Poisson law of that mean
    /// exceeds with probability below 10⁻⁴ (for 6σ at 10⁷ samples: more than 2).
    /// </summary>
    public IReadOnlyList<string> Failures(double standardErrors)
    {
        var failures = new List<string>();
        foreach (var (figure, value, expected, errors) in Deviations())
        {
            bool rare = figure.StartsWith("tail_", StringComparison.Ordinal) && expected < 5;
            bool fails = rare ? value > PoissonBound(expected) : Math.Abs(errors) > standardErrors;
            if (fails)
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{figure} is {value:G6} where N(0, 1) gives {expected:G6} ({errors:F1} standard errors) in {Count:N0} samples"));
        }
        return failures;
    }

    // The smallest count c with P(N > c) < 1e-4 for N ~ Poisson(mean).
    private static long PoissonBound(double mean)
    {
        double term = Math.Exp(-mean), cumulative = term;
        long count = 0;
        while (1 - cumulative >= 1e-4)
        {
            count++;
            term *= mean / count;
            cumulative += term;
        }
        return count;
    }
}
