using NoiseLab.Experiments;

namespace NoiseLab.Tests.Experiments;

public sealed class RestartSummaryTests
{
    [Fact]
    public void Best_mean_sample_std_and_success_rate()
    {
        var summary = RestartSummary.Of([0.90, 0.80, 0.95, 0.10], successAt: 0.9);

        Assert.Equal(4, summary.Runs);
        Assert.Equal(0.95, summary.Best);
        Assert.Equal(0.6875, summary.Mean, 12);
        double std = Math.Sqrt((Math.Pow(0.2125, 2) + Math.Pow(0.1125, 2) + Math.Pow(0.2625, 2) + Math.Pow(0.5875, 2)) / 3);
        Assert.Equal(std, summary.Std, 12);
        Assert.Equal(0.5, summary.SuccessRate);
    }

    [Fact]
    public void One_run_has_no_spread_and_no_runs_is_an_error()
    {
        Assert.Equal(0, RestartSummary.Of([0.5], 0.9).Std);
        Assert.Throws<ArgumentException>(() => RestartSummary.Of([], 0.9));
    }

    [Fact]
    public void Diverged_runs_count_as_failures_in_the_success_rate_and_leave_the_scores_alone()
    {
        var summary = RestartSummary.Of([0.90, 0.80, 0.95], successAt: 0.9, diverged: 1);

        Assert.Equal((3, 1, 0.95), (summary.Runs, summary.Diverged, summary.Best));
        Assert.Equal(0.5, summary.SuccessRate, 12);   // 2 of 4 runs reached 0.9
        Assert.Equal(2.65 / 3, summary.Mean, 12);
    }
}
