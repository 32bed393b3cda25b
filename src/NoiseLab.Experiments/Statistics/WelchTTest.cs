namespace NoiseLab.Statistics;

/// <summary>
/// Welch's two-sample t-test (unequal variances): t = (mean_a − mean_b)/√(s²_a/n_a + s²_b/n_b),
/// Welch–Satterthwaite degrees of freedom, and the two-sided p-value from Student's t distribution.
/// </summary>
public static class WelchTTest
{
    /// <summary>The statistic, degrees of freedom and two-sided p-value for samples <paramref name="a"/> and <paramref name="b"/> (at least 2 each).</summary>
    public static (double T, double DegreesOfFreedom, double P) Test(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count < 2 || b.Count < 2)
            throw new ArgumentException("Welch's t-test needs at least two values in each sample.");
        double va = Variance(a) / a.Count, vb = Variance(b) / b.Count;
        double difference = a.Average() - b.Average();
        if (va + vb == 0)
            return (difference == 0 ? 0 : Math.Sign(difference) * double.PositiveInfinity, a.Count + b.Count - 2, difference == 0 ? 1 : 0);
        double t = difference / Math.Sqrt(va + vb);
        double df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return (t, df, TwoSidedP(t, df));
    }

    /// <summary>P(|T| ≥ |t|) for Student's t with <paramref name="df"/> degrees of freedom: I_{df/(df+t²)}(df/2, 1/2).</summary>
    public static double TwoSidedP(double t, double df) => IncompleteBeta.Regularized(df / (df + t * t), df / 2, 0.5);

    /// <summary>The sample variance (n − 1).</summary>
    public static double Variance(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }
}
