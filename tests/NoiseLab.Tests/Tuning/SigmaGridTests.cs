using NoiseLab.Tuning;

namespace NoiseLab.Tests.Tuning;

public sealed class SigmaGridTests
{
    [Fact]
    public void A_log_range_is_geometric_with_its_ends_exact_and_decades_hit_exactly()
    {
        IReadOnlyList<double> values = SigmaGrid.LogRange(0.001, 1, 7).Values;

        Assert.Equal(7, values.Count);
        Assert.Equal(0.001, values[0]);
        Assert.Equal(0.01, values[2]);
        Assert.Equal(0.1, values[4]);
        Assert.Equal(1.0, values[6]);
        double[] expected = [0.001, 0.001 * Math.Sqrt(10), 0.01, 0.01 * Math.Sqrt(10), 0.1, 0.1 * Math.Sqrt(10), 1];
        for (int i = 0; i < 7; i++)
            Assert.Equal(expected[i], values[i], expected[i] * 1e-14);
    }

    [Fact]
    public void A_log_range_of_two_points_is_its_two_ends()
    {
        Assert.Equal([0.003, 0.5], SigmaGrid.LogRange(0.003, 0.5, 2).Values);
    }

    [Fact]
    public void Consecutive_points_of_a_log_range_have_one_ratio()
    {
        IReadOnlyList<double> values = SigmaGrid.LogRange(0.02, 0.7, 5).Values;

        double ratio = Math.Pow(0.7 / 0.02, 0.25);
        for (int i = 1; i < values.Count; i++)
            Assert.Equal(ratio, values[i] / values[i - 1], 1e-12);
    }

    [Fact]
    public void A_list_reads_none_as_0_and_comes_out_sorted_without_repeats()
    {
        Assert.Equal([0, 0.01, 0.1], SigmaGrid.Parse("0.1, none,0.01,0.1").Values);
    }

    [Fact]
    public void The_baseline_adds_sigma_0_in_front_once()
    {
        SigmaGrid grid = SigmaGrid.ParseRange("0.01:1", 3).WithBaseline();

        Assert.Equal([0, 0.01, 0.1, 1], grid.Values);
        Assert.Equal([0, 0.01, 0.1, 1], grid.WithBaseline().Values);
    }

    [Theory]
    [InlineData("0.1,-0.01", "sigma -0.01 is negative; a sigma is a standard deviation, 0 or more.")]
    [InlineData("0.1,big", "'big' is not a number (or none for no noise).")]
    [InlineData("0.1", "a search needs at least two distinct sigmas to compare; got 1.")]
    [InlineData("0.1,0.1", "a search needs at least two distinct sigmas to compare; got 1.")]
    public void A_bad_list_is_refused_naming_the_problem(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => SigmaGrid.Parse(text));

        Assert.StartsWith(expected + " (Parameter", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1:0.001", 5, "a log range needs 0 < LOW < HIGH; got 1:0.001.")]
    [InlineData("0:1", 5, "a log range needs 0 < LOW < HIGH; got 0:1.")]
    [InlineData("0.1:0.1", 5, "a log range needs 0 < LOW < HIGH; got 0.1:0.1.")]
    [InlineData("0.001-1", 5, "a log range is written LOW:HIGH with 0 < LOW < HIGH, e.g. 0.001:1; got '0.001-1'.")]
    [InlineData("0.001:1", 1, "a log range needs at least 2 points (its two ends); got 1.")]
    public void A_bad_range_is_refused_naming_the_problem(string text, int points, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => SigmaGrid.ParseRange(text, points));

        Assert.StartsWith(expected + " (Parameter", error.Message, StringComparison.Ordinal);
    }
}
