using NoiseLab.Statistics;

namespace NoiseLab.Tests.Statistics;

public sealed class StatisticsTests
{
    // References computed independently while writing the tests: Welch's formulas by hand, and the
    // t tail by Simpson integration of Student's density (200,000 panels) in Python.
    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4, 5 }, new[] { 2.0, 4, 6, 8, 10 }, -1.8973665961010275, 5.882352941176471, 0.10753119493063323)]
    [InlineData(new[] { 0.81, 0.83, 0.80, 0.82, 0.84 }, new[] { 0.78, 0.79, 0.80, 0.77, 0.79 }, 3.9000674757995584, 7.274559193954672, 0.0054702151571914825)]
    public void Welch_matches_the_reference(double[] a, double[] b, double t, double df, double p)
    {
        var result = WelchTTest.Test(a, b);

        Assert.Equal(t, result.T, 10);
        Assert.Equal(df, result.DegreesOfFreedom, 10);
        Assert.Equal(p, result.P, 8);
    }

    [Fact]
    public void The_t_tail_matches_the_table_value()
    {
        // P(|T| >= 2) with 10 degrees of freedom.
        Assert.Equal(0.07338803477074551, WelchTTest.TwoSidedP(2.0, 10), 8);
        Assert.Equal(1.0, WelchTTest.TwoSidedP(0, 5), 12);
    }

    [Fact]
    public void Holm_on_a_worked_example()
    {
        // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 to stay monotone.
        Assert.Equal([0.03, 0.06, 0.06, 0.02], Comparison.Holm([0.01, 0.04, 0.03, 0.005]).Select(p => Math.Round(p, 12)));
        Assert.Equal([1.0, 1.0], Comparison.Holm([0.6, 0.9]));
    }

    [Fact]
    public void The_bootstrap_interval_is_about_the_normal_one_for_large_normal_samples()
    {
        var random = new Random(1);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        double[] plan = [.. Enumerable.Range(0, 400).Select(_ => 0.80 + 0.02 * Normal())];
        double[] baseline = [.. Enumerable.Range(0, 400).Select(_ => 0.79 + 0.02 * Normal())];

        var (difference, low, high) = Comparison.BootstrapDifference(plan, baseline, resamples: 4000, seed: 3);

        double se = Math.Sqrt(WelchTTest.Variance(plan) / 400 + WelchTTest.Variance(baseline) / 400);
        Assert.Equal(plan.Average() - baseline.Average(), difference, 12);
        Assert.InRange(high - low, 0.9 * 2 * 1.96 * se, 1.1 * 2 * 1.96 * se);
        Assert.InRange(difference, low, high);
        Assert.Equal((difference, low, high), Comparison.BootstrapDifference(plan, baseline, resamples: 4000, seed: 3));
    }

    [Fact]
    public void The_bootstrap_interval_of_one_mean_is_about_the_normal_one_and_spans_three_values_from_least_to_greatest()
    {
        var random = new Random(2);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        double[] values = [.. Enumerable.Range(0, 400).Select(_ => 0.25 + 0.05 * Normal())];

        var (mean, low, high) = Comparison.BootstrapMean(values, resamples: 4000, seed: 3);

        double se = Math.Sqrt(WelchTTest.Variance(values) / 400);
        Assert.Equal(values.Average(), mean, 12);
        Assert.InRange(high - low, 0.9 * 2 * 1.96 * se, 1.1 * 2 * 1.96 * se);
        Assert.InRange(mean, low, high);
        Assert.Equal((mean, low, high), Comparison.BootstrapMean(values, resamples: 4000, seed: 3));
        // Three values: a resample repeats the least (or the greatest) value with probability 1/27, above the 2.5 % each tail holds.
        // (Values exact in binary, so that a resample of three equal ones has exactly their mean.)
        Assert.Equal((0.3125, 0.125, 0.5), Comparison.BootstrapMean([0.125, 0.5, 0.3125]));
    }

    [Fact]
    public void Verdicts_need_both_the_interval_and_the_corrected_p()
    {
        Assert.Equal(Verdict.Helps, Comparison.Judge(0.01, 0.03, 0.01));
        Assert.Equal(Verdict.Hurts, Comparison.Judge(-0.03, -0.01, 0.01));
        Assert.Equal(Verdict.NoDetectableDifference, Comparison.Judge(0.01, 0.03, 0.2));
        Assert.Equal(Verdict.NoDetectableDifference, Comparison.Judge(-0.01, 0.03, 0.01));
    }

    [Theory]
    [InlineData(0.975, 1, 12.706204736174693)]   // tan(0.475π) for one degree of freedom; the others by mpmath's root of the t CDF
    [InlineData(0.975, 2, 4.302652729749464)]   // closed form: √(1.805 / 0.0975)
    [InlineData(0.975, 10, 2.228138851986274)]
    [InlineData(0.95, 30, 1.697260886593957)]
    public void The_t_quantile_matches_the_tables(double probability, double df, double expected) =>
        Assert.Equal(expected, PairedTest.TQuantile(probability, df), 9);

    [Fact]
    public void The_paired_t_interval_is_the_mean_plus_or_minus_t_times_the_standard_error()
    {
        var (mean, low, high) = PairedTest.TInterval([1.0, 2.0, 3.0]);

        // s = 1, n = 3: half width 4.302652729749464 / √3.
        Assert.Equal(2.0, mean, 12);
        Assert.Equal(2.0 - 4.302652729749464 / Math.Sqrt(3), low, 9);
        Assert.Equal(2.0 + 4.302652729749464 / Math.Sqrt(3), high, 9);
    }

    [Fact]
    public void The_exact_sign_flip_p_counts_the_assignments_at_least_as_extreme()
    {
        // Of the 8 sign assignments of 1, 2, 3 only +++ and −−− reach |sum| 6.
        Assert.Equal(0.25, PairedTest.SignFlipP([1.0, 2.0, 3.0]));
        // ±3 ±2 ±1 gives 6, 4, 2, 0, 0, −2, −4, −6: four of eight reach the observed |3 + 2 − 1| = 4.
        Assert.Equal(0.5, PairedTest.SignFlipP([3.0, 2.0, -1.0]));
        // A zero sum is matched by every assignment.
        Assert.Equal(1.0, PairedTest.SignFlipP([0.5, -0.5]));
        // Five equal positive differences: 2 of 32 assignments, the smallest p five seeds can give.
        Assert.Equal(0.0625, PairedTest.SignFlipP([0.01, 0.01, 0.01, 0.01, 0.01]));
    }

    [Fact]
    public void Above_sixteen_pairs_the_sign_flip_p_is_sampled_from_a_seeded_generator()
    {
        double[] differences = [.. Enumerable.Repeat(0.01, 20)];

        double p = PairedTest.SignFlipP(differences);

        // Exactly 2/2^20 ≈ 1.9e-6; sampled, (1 + hits)/(1 + 65,536) with almost surely no hit.
        Assert.Equal(1.0 / (1 + PairedTest.MonteCarloFlips), p, 12);
        Assert.Equal(p, PairedTest.SignFlipP(differences));
    }
}
