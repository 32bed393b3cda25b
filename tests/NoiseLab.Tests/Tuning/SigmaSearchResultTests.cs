using NoiseLab.Tuning;

namespace NoiseLab.Tests.Tuning;

public sealed class SigmaSearchResultTests
{
    private static CandidateSummary Candidate(double sigma, params double?[] scores) =>
        CandidateSummary.Of(sigma, scores.Select((s, i) => new TrialScore(Fold: i, Seed: 0, s)));

    [Fact]
    public void A_candidate_summary_is_the_mean_the_sample_std_and_std_over_root_n()
    {
        CandidateSummary c = Candidate(0.1, 0.80, 0.84, 0.86);

        Assert.Equal(3, c.Count);
        Assert.Equal(0, c.Diverged);
        Assert.Equal(0.8333333333333334, c.Mean!.Value, 1e-12);
        // Deviations -1/30, 0.2/30 ... : sum of squares 0.00186667, / (n − 1) = 0.00093333.
        Assert.Equal(Math.Sqrt(0.0028 / 3), c.Std!.Value, 1e-12);
        Assert.Equal(Math.Sqrt(0.0028 / 3) / Math.Sqrt(3), c.StdError!.Value, 1e-12);
    }

    [Fact]
    public void One_score_has_no_spread()
    {
        CandidateSummary c = Candidate(0.1, 0.7);

        Assert.Equal((0.7, 0.0, 0.0), (c.Mean!.Value, c.Std!.Value, c.StdError!.Value));
    }

    [Fact]
    public void With_accuracy_the_best_is_the_highest_mean_and_the_1se_choice_the_largest_sigma_at_least_best_minus_one_std_error()
    {
        // Means 0.81, 0.85, 0.845, 0.74. The best (0.1) has std √0.0002 and std error 0.01: the bar is 0.84.
        CandidateSummary[] candidates =
        [
            Candidate(0, 0.80, 0.82),
            Candidate(0.1, 0.84, 0.86),
            Candidate(0.3, 0.842, 0.848),
            Candidate(1, 0.70, 0.78),
        ];

        SigmaSearchResult result = SigmaSearchResult.Choose(TuningMetric.ValidationAccuracy, candidates);

        Assert.Equal(0.1, result.Best.Sigma);
        Assert.Equal(0.85, result.Best.Mean!.Value, 1e-12);
        Assert.Equal(Math.Sqrt(0.0002), result.Best.Std!.Value, 1e-12);
        Assert.Equal(0.01, result.Best.StdError!.Value, 1e-12);
        Assert.Equal(0.3, result.OneStandardError.Sigma);
    }

    [Fact]
    public void With_loss_the_best_is_the_lowest_mean_and_the_1se_choice_the_largest_sigma_at_most_best_plus_one_std_error()
    {
        // Means 0.52, 0.42, 0.435, 0.46. The best (0.01) has std error √0.0008/√2 = 0.02: the bar is 0.44.
        CandidateSummary[] candidates =
        [
            Candidate(1, 0.45, 0.47),
            Candidate(0, 0.50, 0.54),
            Candidate(0.1, 0.425, 0.445),
            Candidate(0.01, 0.40, 0.44),
        ];

        SigmaSearchResult result = SigmaSearchResult.Choose(TuningMetric.ValidationLoss, candidates);

        Assert.Equal(0.01, result.Best.Sigma);
        Assert.Equal(0.02, result.Best.StdError!.Value, 1e-12);
        Assert.Equal(0.1, result.OneStandardError.Sigma);
        Assert.Equal([0, 0.01, 0.1, 1], result.Candidates.Select(c => c.Sigma));
    }

    [Fact]
    public void When_nothing_comes_within_one_std_error_the_1se_choice_is_the_best_itself()
    {
        SigmaSearchResult result = SigmaSearchResult.Choose(TuningMetric.ValidationAccuracy, [Candidate(0, 0.90, 0.90), Candidate(0.5, 0.6, 0.62)]);

        Assert.Equal(0, result.Best.Sigma);
        Assert.Same(result.Best, result.OneStandardError);
    }

    [Fact]
    public void A_tie_goes_to_the_smaller_sigma()
    {
        SigmaSearchResult result = SigmaSearchResult.Choose(TuningMetric.ValidationAccuracy, [Candidate(0.2, 0.5), Candidate(0.1, 0.5)]);

        Assert.Equal(0.1, result.Best.Sigma);
        Assert.Equal(0.2, result.OneStandardError.Sigma);
    }

    [Fact]
    public void A_candidate_with_a_diverged_run_is_counted_but_never_chosen()
    {
        CandidateSummary diverged = Candidate(3, 0.99, null);

        SigmaSearchResult result = SigmaSearchResult.Choose(TuningMetric.ValidationAccuracy, [Candidate(0.1, 0.6, 0.62), diverged]);

        Assert.Equal((1, 1, 0.99), (diverged.Count, diverged.Diverged, diverged.Mean!.Value));
        Assert.False(diverged.Eligible);
        Assert.Equal(0.1, result.Best.Sigma);
        Assert.Equal(0.1, result.OneStandardError.Sigma);
    }

    [Fact]
    public void When_every_candidate_diverged_nothing_is_chosen_and_the_message_says_so()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SigmaSearchResult.Choose(TuningMetric.ValidationAccuracy, [Candidate(1, [null]), Candidate(2, 0.5, null)]));

        Assert.Equal("Training diverged for every candidate sigma; nothing can be chosen. Try smaller sigmas or a smaller learning rate.", error.Message);
        Assert.Null(Candidate(1, [null]).Mean);
    }
}
