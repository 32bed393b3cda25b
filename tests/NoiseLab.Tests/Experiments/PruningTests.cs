using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Experiments.Pruning;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Experiments;

public sealed class PruningTests : IDisposable
{
    // Baseline first (its three seeds finish), then a plan whose weight noise wrecks every step.
    private const string Spec = """
        name: prune
        data: fashion-mnist
        limit_train: 400
        epochs: 3
        seeds: [0, 1, 2]
        models: ["mlp:16"]
        optimizers:
          - {optimizer: momentum, lr: 0.05}
        pruning: {monitor: val_loss, warmup: 1, min_runs: 3}
        noise:
          none: []
          wrecked: ["weight:gaussian:sigma=0.5"]
        """;

    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public void A_sweep_prunes_a_bad_plan_after_the_warm_up_and_a_rerun_trains_nothing_more()
    {
        string path = _folder.File("prune.db");
        SweepSpec spec = SweepSpec.Parse(Spec, "prune.yaml");
        using RunStore store = RunStore.Open(path);

        SweepOutcome first = SweepRunner.Run(spec, Spec, store, RunStoreTests.Options(_folder.Path));

        Assert.Equal((3, 3), (first.Trained, first.Pruned));
        var runs = store.Runs("prune");
        Assert.All(runs.Where(r => r.Plan == "none"), r => Assert.Equal((RunStatus.Finished, 3L), (r.Status, store.EpochCount("prune", r.Id))));
        Assert.All(runs.Where(r => r.Plan == "wrecked"), r =>
        {
            // Epoch 1 is the warm-up; at epoch 2 its best val_loss is worse than the baseline's median.
            Assert.Equal((RunStatus.Pruned, 2L, null), (r.Status, store.EpochCount("prune", r.Id), r.Result));
            Assert.StartsWith("pruned after epoch 2: its best val_loss so far, ", r.Error, StringComparison.Ordinal);
            Assert.EndsWith(" of the 3 finished runs of its configuration at that epoch.", r.Error, StringComparison.Ordinal);
        });
        Assert.Equal(3, store.Counts("prune")[RunStatus.Pruned]);

        var before = runs.Select(r => (r.Id, r.Status, r.Attempts, store.EpochCount("prune", r.Id))).ToList();
        SweepOutcome again = SweepRunner.Run(spec, Spec, store, RunStoreTests.Options(_folder.Path));

        Assert.Equal((0, 0, 3), (again.Trained, again.Pruned, again.AlreadyDone));
        Assert.Equal(before, store.Runs("prune").Select(r => (r.Id, r.Status, r.Attempts, store.EpochCount("prune", r.Id))).ToList());

        SweepReport report = SweepReport.Build(store, "prune", successAt: 0.1);
        PlanSummary wrecked = report.Plans.Single(p => p.Plan == "wrecked");
        Assert.Equal((0, 0, 3, 0.0), (wrecked.TestAccuracy.Runs, wrecked.TestAccuracy.Diverged, wrecked.Pruned, wrecked.TestAccuracy.SuccessRate));
        Assert.Equal((3, 0), (report.Plans.Single(p => p.Plan == "none").TestAccuracy.Runs, report.Plans.Single(p => p.Plan == "none").Pruned));
        Assert.Contains("| wrecked | 0 | 0 | 3 |", report.ToMarkdown(), StringComparison.Ordinal);
    }

    private static EpochRecord Loss(int epoch, double valLoss) => Records.Epoch(epoch, valLoss: valLoss);

    private static void Feed(MedianPruner pruner, params double[] losses)
    {
        for (int e = 1; e <= losses.Length; e++)
            pruner.OnEpochEnd(null!, Loss(e, losses[e - 1]));
    }

    [Fact]
    public void It_prunes_when_the_best_value_so_far_is_worse_than_the_median_after_the_warm_up()
    {
        // Finished runs at every epoch: median 1.0.
        IReadOnlyList<double> Others(int epoch) => [0.5, 1.0, 3.0];
        var options = new PruningOptions { Warmup = 2, MinRuns = 3 };

        Feed(new MedianPruner(options, Others), 5, 5);  // worse, but inside the warm-up
        Feed(new MedianPruner(options, Others), 5, 0.9, 1.5);  // its best so far (0.9) beats the median
        var error = Assert.Throws<RunPrunedException>(() => Feed(new MedianPruner(options, Others), 5, 1.2, 1.1));
        Assert.Equal("pruned after epoch 3: its best val_loss so far, 1.1, is worse than the median 1 of the 3 finished runs of its configuration at that epoch.", error.Message);
        Feed(new MedianPruner(options with { MinRuns = 4 }, Others), 5, 5, 5);  // too few finished runs to judge
        Assert.Throws<RunPrunedException>(() => Feed(new MedianPruner(options with { Monitor = "val_loss", Mode = MonitorMode.Max }, Others), 0.1, 0.1, 0.1));
    }

    [Fact]
    public void A_resumed_run_is_pruned_at_the_same_epoch()
    {
        IReadOnlyList<double> Others(int epoch) => [1.0, 1.0, 1.0];
        var options = new PruningOptions { Warmup = 1, MinRuns = 3 };
        double[] losses = [0.5, 1.5, 1.4];

        // Its best (0.5, epoch 1) is remembered: uninterrupted it is never pruned ...
        Feed(new MedianPruner(options, Others), losses);
        // ... and resumed after epoch 2 it must not forget epoch 1.
        var resumed = new MedianPruner(options, Others);
        resumed.OnTrainStart(null!);
        resumed.OnResume(null!, [Loss(1, 0.5), Loss(2, 1.5)]);
        resumed.OnEpochEnd(null!, Loss(3, 1.4));
        var forgetful = new MedianPruner(options, Others);
        Assert.Throws<RunPrunedException>(() => forgetful.OnEpochEnd(null!, Loss(3, 1.4)));
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        Assert.Equal(2.5, MedianPruner.Median([4, 1, 3, 2]));
        Assert.Equal(3, MedianPruner.Median([5, 3, 1]));
    }

    [Theory]
    [InlineData("pruning: {warmup: -1}\n", "s.yaml:6: 'pruning.warmup' must be at least 0, not -1.")]
    [InlineData("pruning: {min_runs: 0}\n", "s.yaml:6: 'pruning.min_runs' must be at least 1, not 0.")]
    [InlineData("pruning: {warm_up: 2}\n", "s.yaml:6: unknown key 'warm_up'; accepted keys: monitor, mode, warmup, min_runs.")]
    [InlineData("pruning: {mode: up}\n", "s.yaml:6: 'pruning.mode' must be min or max, not 'up'.")]
    [InlineData("pruning: yes\n", "s.yaml:6: 'pruning' must be a mapping like {monitor: val_loss, warmup: 2, min_runs: 5}.")]
    [InlineData("early_stopping: {patience: -3}\n", "s.yaml:6: 'early_stopping.patience' must be at least 0, not -3.")]
    [InlineData("early_stopping: {patience: 2, restore: maybe}\n", "s.yaml:6: 'early_stopping.restore' must be true or false, not 'maybe'.")]
    [InlineData("early_stopping: {monitor: val_loss, patient: 2}\n", "s.yaml:6: unknown key 'patient'; accepted keys: monitor, mode, patience, min_delta, restore.")]
    [InlineData("early_stopping: {min_delta: -1}\n", "s.yaml:6: 'early_stopping.min_delta' must be >= 0, not -1.")]
    public void Stopping_and_pruning_keys_are_checked_with_file_line_and_key(string extra, string expected)
    {
        string yaml = "epochs: 2\nseeds: [0]\nmodels: [\"mlp:8\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n" + extra;

        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(yaml, "s.yaml"));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Early_stopping_and_pruning_reach_the_spec()
    {
        const string yaml = "epochs: 5\nseeds: [0]\nmodels: [\"mlp:8\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n"
            + "early_stopping: {monitor: val_accuracy, patience: 2, min_delta: 0.01, restore: true}\npruning: {warmup: 2, min_runs: 4, mode: max, monitor: val_accuracy}\n";

        SweepSpec spec = SweepSpec.Parse(yaml, "s.yaml");

        Assert.Equal(new EarlyStoppingOptions { Monitor = "val_accuracy", Patience = 2, MinDelta = 0.01, RestoreBestWeights = true }, Assert.Single(spec.Runs).Spec.EarlyStopping);
        Assert.Equal(new PruningOptions { Monitor = "val_accuracy", Mode = MonitorMode.Max, Warmup = 2, MinRuns = 4 }, spec.Pruning);
    }
}
