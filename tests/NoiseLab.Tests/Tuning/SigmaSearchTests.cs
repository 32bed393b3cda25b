using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using NoiseLab.Tuning;

namespace NoiseLab.Tests.Tuning;

public sealed class SigmaSearchTests
{
    private static SigmaSearchOptions Options(int? folds, params long[] seeds) => new()
    {
        Run = new RunSpec { Noise = ["gradient:gaussian:sigma=0.001"], Trainer = new TrainerOptions { Epochs = 2, Seed = 99 } },
        Plan = NoisePlanTemplate.Parse("input:gaussian:relative=true", epochs: 2),
        Sigmas = SigmaGrid.Parse("none,0.1"),
        Seeds = seeds,
        Folds = folds,
        FoldSeed = 5,
    };

    private static TrainingResult Scored(double? accuracy, double loss = 1) => new(
        [new EpochRecord { Epoch = 1, TrainLoss = 1, ValLoss = loss, ValAccuracy = accuracy, GradNorm = 1, WeightUpdateNorm = 1, LearningRate = 0.1 }],
        TestLoss: 9, TestAccuracy: 0.01, TestMetrics: new Dictionary<string, double>());

    [Fact]
    public void Every_candidate_runs_on_every_fold_with_every_seed_with_only_sigma_fold_and_seed_changed()
    {
        TuningTrial[] trials = [.. new SigmaSearch(Options(folds: 3, 1, 2)).Trials()];

        Assert.Equal(2 * 3 * 2, trials.Length);
        Assert.Equal(
            [(0, 0, 1), (0, 0, 2), (0, 1, 1), (0, 1, 2), (0, 2, 1), (0, 2, 2), (0.1, 0, 1), (0.1, 0, 2), (0.1, 1, 1), (0.1, 1, 2), (0.1, 2, 1), (0.1, 2, 2)],
            trials.Select(t => (t.Sigma, t.Fold!.Value, t.Seed)));
        foreach (TuningTrial trial in trials)
        {
            Assert.Equal(new CrossValidationFold(3, trial.Fold!.Value, Seed: 5), trial.Run.Data.Fold);
            Assert.Equal(trial.Seed, trial.Run.Trainer.Seed);
            Assert.Equal(2, trial.Run.Trainer.Epochs);
            string[] expectedNoise = trial.Sigma == 0
                ? ["gradient:gaussian:sigma=0.001"]
                : ["gradient:gaussian:sigma=0.001", "input:gaussian:relative=true,sigma=0.1"];
            Assert.Equal(expectedNoise, trial.Run.Noise);
        }
    }

    [Fact]
    public void Without_folds_each_run_is_scored_on_the_validation_split()
    {
        TuningTrial[] trials = [.. new SigmaSearch(Options(folds: null, 0)).Trials()];

        Assert.Equal([(0.0, (int?)null), (0.1, null)], trials.Select(t => (t.Sigma, t.Fold)));
        Assert.All(trials, t => Assert.Null(t.Run.Data.Fold));
    }

    [Fact]
    public void Scores_are_the_last_epochs_validation_accuracy_grouped_by_candidate()
    {
        var search = new SigmaSearch(Options(folds: 2, 0, 1));
        // Accuracy = 0.5 + sigma + fold/10 + seed/100: candidate 0 averages 0.555, candidate 0.1 0.655.
        SigmaSearchResult result = search.Run(spec =>
            Scored(0.5 + (spec.Noise.Count - 1) * 0.1 + spec.Data.Fold!.Index / 10.0 + spec.Trainer.Seed / 100.0));

        Assert.Equal(TuningMetric.ValidationAccuracy, result.Metric);
        Assert.Equal(0.555, result.Candidates[0].Mean!.Value, 1e-12);
        Assert.Equal(0.655, result.Candidates[1].Mean!.Value, 1e-12);
        Assert.Equal([0.6, 0.61, 0.7, 0.71], result.Candidates[1].Scores.Select(s => Math.Round(s.Score!.Value, 12)));
        Assert.Equal([(0, 0L), (0, 1), (1, 0), (1, 1)], result.Candidates[1].Scores.Select(s => (s.Fold!.Value, s.Seed)));
        Assert.Equal(0.1, result.Best.Sigma);
    }

    [Fact]
    public void Without_an_accuracy_the_lowest_validation_loss_wins()
    {
        SigmaSearchResult result = new SigmaSearch(Options(folds: null, 0)).Run(spec => Scored(null, loss: spec.Noise.Count == 1 ? 0.3 : 0.4));

        Assert.Equal(TuningMetric.ValidationLoss, result.Metric);
        Assert.Equal(0, result.Best.Sigma);
    }

    [Fact]
    public void A_diverged_run_is_reported_without_a_score_and_the_search_goes_on()
    {
        var seen = new List<TrialScore>();

        SigmaSearchResult result = new SigmaSearch(Options(folds: null, 0)).Run(
            spec => spec.Noise.Count == 2 ? throw new TrainingDivergedException(1, 3, double.NaN) : Scored(0.4),
            (_, score) => seen.Add(score));

        Assert.Equal([0.4, null], seen.Select(s => s.Score));
        Assert.Equal(1, result.Candidates[1].Diverged);
        Assert.Equal(0, result.Best.Sigma);
    }

    [Theory]
    [InlineData(1, new long[] { 0 }, "Cross-validation needs at least 2 folds; got 1.")]
    [InlineData(null, new long[0], "A search needs at least one seed.")]
    [InlineData(null, new long[] { 1, 2, 1 }, "The seeds 1,2,1 repeat one; each seed should be a different run.")]
    public void Bad_folds_or_seeds_are_refused(int? folds, long[] seeds, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new SigmaSearch(Options(folds, seeds)));

        Assert.StartsWith(expected + " (Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_fashion_mnist_an_absurd_sigma_scores_worst_and_is_not_chosen()
    {
        var search = new SigmaSearch(new SigmaSearchOptions
        {
            Run = new RunSpec
            {
                Data = FashionMnist.Options(limitTrain: 500),
                Model = ModelSpec.Parse("mlp:16"),
                Trainer = new TrainerOptions { Epochs = 2, BatchSize = 32 },
                Threads = 2,
            },
            Plan = NoisePlanTemplate.Parse("input:gaussian", epochs: 2),
            Sigmas = SigmaGrid.Parse("0,0.1,100"),
            Folds = 2,
        });

        SigmaSearchResult result = search.Run();

        Assert.Equal(TuningMetric.ValidationAccuracy, result.Metric);
        Assert.All(result.Candidates, c => Assert.Equal((2, 0), (c.Count, c.Diverged)));
        CandidateSummary absurd = result.Candidates.Single(c => c.Sigma == 100);
        Assert.All(result.Candidates.Where(c => c != absurd), c => Assert.True(c.Mean > absurd.Mean + 0.2, $"sigma {c.Sigma}: {c.Mean} vs {absurd.Mean}"));
        Assert.NotEqual(100, result.Best.Sigma);
        Assert.NotEqual(100, result.OneStandardError.Sigma);
        // Scores are accuracies on 250-sample folds: multiples of 1/250.
        Assert.All(result.Candidates.SelectMany(c => c.Scores), s => Assert.Equal(0, s.Score!.Value * 250 % 1, 6));
    }
}
