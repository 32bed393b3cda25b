using NoiseLab.Checkpoints;
using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Training;

/// <summary>
/// Early stopping on a scripted figure: a callback writes a fixed sequence into each epoch's record, so
/// the epoch it must stop at and the epoch whose weights it must restore are known in advance; the
/// model really trains, so the restored weights are checked bit for bit against those of that epoch.
/// </summary>
public sealed class EarlyStoppingTests : IDisposable
{
    private const int Epochs = 10;

    // Best at 1, 2, 4, 6 (with min_delta 0); best at 1, 2, 4 with min_delta 0.05.
    private static readonly double[] s_script = [0.9, 0.5, 0.6, 0.4, 0.45, 0.38, 0.7, 0.39, 0.5, 0.2];

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Writes the scripted figure into each record, before early stopping reads it.</summary>
    private sealed class Script(double[] values) : TrainingCallback
    {
        public override void OnEpochEnd(TrainingContext context, EpochRecord record) => record.Annotate("scripted", values[record.Epoch - 1]);
    }

    /// <summary>The weights at the end of each epoch.</summary>
    private sealed class WeightLog : TrainingCallback
    {
        public Dictionary<int, float[][]> ByEpoch { get; } = [];

        public override void OnEpochEnd(TrainingContext context, EpochRecord record) => ByEpoch[record.Epoch] = Weights(context.Model);
    }

    private sealed class CrashBeforeEpoch(int epoch) : TrainingCallback
    {
        public override void OnEpochStart(TrainingContext context)
        {
            if (context.Epoch == epoch)
                throw new IOException($"crash before epoch {epoch}");
        }
    }

    private sealed record Outcome(TrainingResult Result, EarlyStoppingOutcome Stop, float[][] Final, WeightLog Log);

    private static float[][] Weights(TorchSharp.torch.nn.Module model) => [.. model.parameters().Select(p => p.data<float>().ToArray())];

    private static Outcome Train(DataSplits data, EarlyStoppingOptions options, CheckpointFolder? folder = null, TrainingCheckpoint? resumeFrom = null, TrainingCallback? extra = null)
    {
        var trainerOptions = new TrainerOptions { Epochs = Epochs, BatchSize = 32, Seed = 3 };
        using var model = ModelRegistry.Create(ModelSpec.Parse("deepmlp:layers=2,width=16,dropout=0.2"), new ModelShape(data.SampleShape, data.ClassCount), trainerOptions.Seed);
        using var optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.01).Create(model.parameters());
        var stopping = new EarlyStopping(options);
        var log = new WeightLog();
        var trainer = new Trainer(model, optimizer, trainerOptions).Add(new Script(s_script)).Add(stopping).Add(log);
        if (extra is not null)
            trainer.Add(extra);
        if (folder is not null)
            trainer.SaveCheckpoints(folder);
        TrainingResult result = trainer.Fit(data, resumeFrom);
        return new Outcome(result, stopping.Outcome, Weights(model), log);
    }

    [Theory]
    [InlineData(0.0, null, 9, 6)]
    [InlineData(0.05, null, 7, 4)]
    [InlineData(0.0, MonitorMode.Max, 4, 1)]
    public void It_stops_at_the_expected_epoch_and_restores_the_best_weights_bit_for_bit(double minDelta, MonitorMode? mode, int stopEpoch, int bestEpoch)
    {
        using DataSplits data = Blobs.Create(train: 200, features: 8);
        var options = new EarlyStoppingOptions { Monitor = "scripted", Mode = mode, Patience = 3, MinDelta = minDelta, RestoreBestWeights = true };

        Outcome run = Train(data, options);

        Assert.Equal(Enumerable.Range(1, stopEpoch), run.Result.History.Select(r => r.Epoch));
        Assert.Equal(new EarlyStoppingOutcome("scripted", stopEpoch, bestEpoch, s_script[bestEpoch - 1], bestEpoch), run.Stop);
        Assert.Equal(1, run.Result.History[^1].Diagnostics["early_stopping.stopped"]);
        Assert.Equal(bestEpoch, run.Result.History[^1].Diagnostics["early_stopping.best_epoch"]);
        Assert.All(run.Result.History.SkipLast(1), r => Assert.False(r.Diagnostics.ContainsKey("early_stopping.stopped")));
        Assert.Equal(run.Log.ByEpoch[bestEpoch], run.Final);
        Assert.NotEqual(run.Log.ByEpoch[stopEpoch], run.Final);
    }

    [Fact]
    public void Without_restoring_the_model_keeps_the_weights_of_the_stop_epoch()
    {
        using DataSplits data = Blobs.Create(train: 200, features: 8);

        Outcome run = Train(data, new EarlyStoppingOptions { Monitor = "scripted", Patience = 3, MinDelta = 0.05 });

        Assert.Equal(new EarlyStoppingOutcome("scripted", 7, 4, 0.4, null), run.Stop);
        Assert.Equal(run.Log.ByEpoch[7], run.Final);
    }

    [Fact]
    public void A_run_that_never_stalls_trains_every_epoch_and_restores_its_best_one()
    {
        using DataSplits data = Blobs.Create(train: 200, features: 8);

        Outcome run = Train(data, new EarlyStoppingOptions { Monitor = "scripted", Patience = 5, RestoreBestWeights = true });

        Assert.Equal(Epochs, run.Result.History.Count);
        Assert.Equal(new EarlyStoppingOutcome("scripted", null, 10, 0.2, 10), run.Stop);
        Assert.Equal(run.Log.ByEpoch[10], run.Final);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(9)]
    public void A_run_resumed_after_epoch_k_stops_at_the_same_epoch_with_the_same_weights(int k)
    {
        using DataSplits data = Blobs.Create(train: 200, features: 8);
        var options = new EarlyStoppingOptions { Monitor = "scripted", Patience = 3, RestoreBestWeights = true };
        Outcome uninterrupted = Train(data, options);
        var folder = new CheckpointFolder(_folder.File($"run-{k}"), "run-key");

        // Epoch 9 is where the run stops: its checkpoint holds the stop, and resuming it trains nothing.
        if (k < 9)
            Assert.Throws<IOException>(() => Train(data, options, folder, extra: new CrashBeforeEpoch(k + 1)));
        else
            Train(data, options, folder);
        TrainingCheckpoint checkpoint = folder.LoadLatest() ?? throw new InvalidOperationException("no checkpoint");
        Outcome resumed = Train(data, options, folder, checkpoint);

        Assert.Equal(k, checkpoint.Epoch);
        Assert.Equal(9, uninterrupted.Result.History.Count);
        Assert.Equal(uninterrupted.Result.History, resumed.Result.History);
        Assert.Equal(uninterrupted.Stop, resumed.Stop);
        Assert.Equal(uninterrupted.Final, resumed.Final);
        Assert.Equal(uninterrupted.Result.TestLoss, resumed.Result.TestLoss);
        Assert.Equal(uninterrupted.Result.StateFingerprint, resumed.Result.StateFingerprint);
    }

    [Theory]
    [InlineData("patience=-1", "The early-stopping patience must be a number of epochs, 0 or more, not -1.")]
    [InlineData("min_delta=-0.5", "The early-stopping min_delta must be a finite number, 0 or more, not -0.5.")]
    [InlineData("mode=up", "The mode must be min or max, not 'up'.")]
    [InlineData("monitor=val_loss,patient=3", "early stopping: unknown key(s) patient; accepted: monitor, mode, patience, min_delta, restore.")]
    [InlineData("restore=perhaps", "early stopping: restore=perhaps is not true or false.")]
    public void Bad_options_are_refused_naming_the_option(string text, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => EarlyStoppingOptions.Parse(text));

        Assert.Equal(expected, SentenceOf(error));
    }

    [Fact]
    public void The_constructor_validates_and_the_mode_follows_the_monitor_by_default()
    {
        var error = Assert.Throws<ArgumentException>(() => new EarlyStopping(patience: -2));
        Assert.Equal("The early-stopping patience must be a number of epochs, 0 or more, not -2.", SentenceOf(error));
        Assert.Throws<ArgumentException>(() => new EarlyStopping(monitor: " "));

        Assert.Equal(MonitorMode.Min, new EpochMonitor("val_loss").Mode);
        Assert.Equal(MonitorMode.Max, new EpochMonitor("val_accuracy").Mode);
        Assert.Equal(MonitorMode.Max, new EpochMonitor("val_entity_f1").Mode);
        Assert.Equal(MonitorMode.Min, new EpochMonitor("val_mse").Mode);
        Assert.Equal(MonitorMode.Min, new EpochMonitor("val_accuracy", MonitorMode.Min).Mode);
    }

    [Fact]
    public void A_monitor_the_record_lacks_is_an_error_listing_what_it_has()
    {
        EpochRecord record = Records.Epoch(2, valAccuracy: 0.5, valLoss: 0.7, valMetrics: new Dictionary<string, double> { ["mse"] = 1.5 });

        Assert.Equal(0.7, new EpochMonitor("val_loss").Read(record));
        Assert.Equal(0.5, new EpochMonitor("val_accuracy").Read(record));
        Assert.Equal(1.5, new EpochMonitor("val_mse").Read(record));
        var error = Assert.Throws<InvalidOperationException>(() => new EpochMonitor("val_f1").Read(record));
        Assert.Equal("The monitored figure 'val_f1' is not in epoch 2's record; it has: val_loss, train_loss, val_accuracy, val_mse.", error.Message);
    }

    private static string SentenceOf(ArgumentException error) => error.Message.Split(" (Parameter", 2)[0];
}
