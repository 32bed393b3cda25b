using NoiseLab.Data;
using NoiseLab.Diagnostics;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.TensorBoard;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.TensorBoard;

public sealed class TensorBoardLoggerTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static EpochRecord Record(double? trainAccuracy = 0.75, double? valAccuracy = 0.5) => new()
    {
        Epoch = 4,
        TrainLoss = 0.25,
        TrainAccuracy = trainAccuracy,
        ValLoss = 0.5,
        ValAccuracy = valAccuracy,
        TrainMetrics = new Dictionary<string, double> { ["mse"] = 2, ["mae"] = 1 },
        ValMetrics = new Dictionary<string, double> { ["mse"] = 3 },
        GradNorm = 1.5,
        GradNormChange = -0.125,
        WeightUpdateNorm = 0.0625,
        LearningRate = 0.05,
        Sigmas = new Dictionary<string, double> { ["input"] = 0.3, ["gradient"] = 0.01 },
        Diagnostics = new Dictionary<string, double> { ["adaptive.stuck"] = 1, ["adaptive.sigma_next"] = 0.02 },
    };

    [Fact]
    public void A_records_figures_become_scalars_grouped_by_slashes_in_a_fixed_order()
    {
        ScalarValue[] expected =
        [
            new("loss/train", 0.25f), new("loss/val", 0.5f),
            new("accuracy/train", 0.75f), new("accuracy/val", 0.5f),
            new("train/mae", 1f), new("train/mse", 2f), new("val/mse", 3f),
            new("grad_norm", 1.5f), new("grad_norm_change", -0.125f), new("weight_update_norm", 0.0625f), new("learning_rate", 0.05f),
            new("sigma/gradient", 0.01f), new("sigma/input", 0.3f),
            new("diagnostics/adaptive.sigma_next", 0.02f), new("diagnostics/adaptive.stuck", 1f),
        ];
        Assert.Equal(expected, TensorBoardLogger.Scalars(Record()));
    }

    [Fact]
    public void A_task_without_accuracy_gets_no_accuracy_charts()
    {
        IEnumerable<string> tags = TensorBoardLogger.Scalars(Record(trainAccuracy: null, valAccuracy: null)).Select(s => s.Tag);

        Assert.DoesNotContain(tags, t => t.StartsWith("accuracy/", StringComparison.Ordinal));
        Assert.Equal(13, tags.Count());
    }

    [Fact]
    public void Each_epoch_end_writes_one_event_at_step_epoch_and_flushes_it()
    {
        var clock = new FixedClock(DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000));
        using var logger = new TensorBoardLogger(_folder.Path, clock);
        clock.Now = clock.Now.AddSeconds(2);

        logger.OnEpochEnd(null!, Record());

        // Read while the logger still has the file open: the flush made it visible.
        IReadOnlyList<TensorBoardEvent> events = EventFileReader.ReadEvents(logger.FilePath);
        Assert.Equal(2, events.Count);
        Assert.Equal(new TensorBoardEvent { WallTime = 1_700_000_002, Step = 4, Scalars = TensorBoardLogger.Scalars(Record()) }, events[1]);
    }

    [Fact]
    public void The_file_is_closed_at_train_end()
    {
        var logger = new TensorBoardLogger(_folder.Path);

        logger.OnTrainEnd(null!);

        Assert.Throws<ObjectDisposedException>(() => logger.OnEpochEnd(null!, Record()));
        logger.Dispose();
        // Nothing is held open: the folder's only file can be opened exclusively.
        new FileStream(logger.FilePath, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
        Assert.Equal("brain.Event:2", Assert.Single(EventFileReader.ReadEvents(logger.FilePath)).FileVersion);
    }

    [Fact]
    public void A_short_training_run_logs_every_figure_of_every_epoch_as_its_history_has_it()
    {
        using DataSplits data = Blobs.Create(train: 128);
        const int Epochs = 3;
        var options = new TrainerOptions { Epochs = Epochs, BatchSize = 32, Seed = 3 };
        using var model = ModelRegistry.Create(ModelSpec.Parse("mlp:16"), new ModelShape(data.SampleShape, data.ClassCount), options.Seed);
        using var optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.05).Create(model.parameters());
        var objective = new ClassificationObjective();
        var (probeInputs, probeTargets) = data.Train.Slice(0, 64);
        using var logger = new TensorBoardLogger(_folder.Path);
        var trainer = new Trainer(model, optimizer, options, objective)
            .Add(NoiseSpec.Parse("input:gaussian:sigma=0.3,decay=0.5", Epochs).Create(model))
            .Add(NoiseSpec.Parse("gradient:gaussian:sigma=0.01", Epochs).Create(model))
            .Add(NoiseSpec.Parse("adaptive", Epochs).Create(model))
            .Add(new SharpnessProbe(probeInputs, probeTargets, objective, everyEpochs: 2, iterations: 5, samples: 2))
            .Add(logger);

        TrainingResult result = trainer.Fit(data);

        IReadOnlyList<ScalarEvent> scalars = EventFileReader.ReadScalars(logger.FilePath);
        Assert.Equal(Epochs, result.History.Count);
        foreach (EpochRecord record in result.History)
        {
            // Built from the record's fields here, not with TensorBoardLogger.Scalars, so the mapping is checked too.
            var expected = new Dictionary<string, float>
            {
                ["loss/train"] = (float)record.TrainLoss,
                ["loss/val"] = (float)record.ValLoss,
                ["accuracy/train"] = (float)record.TrainAccuracy!.Value,
                ["accuracy/val"] = (float)record.ValAccuracy!.Value,
                ["grad_norm"] = (float)record.GradNorm,
                ["grad_norm_change"] = (float)record.GradNormChange,
                ["weight_update_norm"] = (float)record.WeightUpdateNorm,
                ["learning_rate"] = (float)record.LearningRate,
            };
            foreach (var (name, value) in record.TrainMetrics)
                expected["train/" + name] = (float)value;
            foreach (var (name, value) in record.ValMetrics)
                expected["val/" + name] = (float)value;
            foreach (var (name, value) in record.Sigmas)
                expected["sigma/" + name] = (float)value;
            foreach (var (name, value) in record.Diagnostics)
                expected["diagnostics/" + name] = (float)value;

            Dictionary<string, float> logged = scalars.Where(s => s.Step == record.Epoch).ToDictionary(s => s.Tag, s => s.Value);

            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), logged.OrderBy(e => e.Key, StringComparer.Ordinal));
        }
        // The figures the brief names are among them: noise levels, the adaptive controller's and the probe's annotations.
        string[] lastEpoch = [.. scalars.Where(s => s.Step == Epochs).Select(s => s.Tag)];
        foreach (string tag in new[] { "train/accuracy", "val/accuracy", "sigma/input", "sigma/gradient", "diagnostics/gradient.noise_to_gradient",
                     "diagnostics/adaptive.stuck", "diagnostics/adaptive.sigma_next", "diagnostics/sharpness.top_eigenvalue", "diagnostics/sharpness.trace" })
            Assert.Contains(tag, lastEpoch);
        Assert.Equal(0.15f, scalars.Single(s => s.Step == 2 && s.Tag == "sigma/input").Value);
        Assert.Throws<ObjectDisposedException>(() => logger.OnEpochEnd(null!, result.History[0]));
    }

    [Theory]
    [InlineData("fashion-mnist|mlp:8|momentum:0.05|clip=none|input|seed=0", "fashion-mnist_mlp_8_momentum_0.05_clip=none_input_seed=0-c250b60b")]
    [InlineData("a|b", "a_b-0eab8a0a")]
    [InlineData("a:b", "a_b-6783a31e")]
    [InlineData("..", "_.-5ec1f7e7")]
    [InlineData("seed=3", "seed=3")]
    [InlineData("adam_lr-1e-3,wd+0.1", "adam_lr-1e-3,wd+0.1")]
    public void A_run_id_becomes_a_safe_folder_name_with_a_hash_whenever_a_character_was_replaced(string runId, string expected)
    {
        // The hashes are the first 8 hex digits of SHA-256 of the id's UTF-8 bytes (sha256sum agrees).
        Assert.Equal(expected, TensorBoardLogger.FolderName(runId));
    }

    [Fact]
    public void A_long_run_id_is_cut_to_100_characters_plus_its_hash()
    {
        string runId = new('x', 150);

        string name = TensorBoardLogger.FolderName(runId);

        Assert.Equal(109, name.Length);
        Assert.Equal(new string('x', 100) + "-", name[..101]);
        Assert.NotEqual(name, TensorBoardLogger.FolderName(new string('x', 151)));
    }

    [Fact]
    public void A_logger_for_a_run_writes_into_its_folder_under_the_root_and_can_replace_an_earlier_attempt()
    {
        const string RunId = "fashion-mnist|mlp:8|momentum:0.05|clip=none|input|seed=0";
        string runFolder = Path.Combine(_folder.Path, "fashion-mnist_mlp_8_momentum_0.05_clip=none_input_seed=0-c250b60b");
        string earlier;
        using (var first = TensorBoardLogger.ForRun(_folder.Path, RunId, time: new FixedClock(DateTimeOffset.UnixEpoch.AddSeconds(100))))
            earlier = first.FilePath;
        File.WriteAllText(Path.Combine(runFolder, "notes.txt"), "kept");

        using var again = TensorBoardLogger.ForRun(_folder.Path, RunId, replaceExisting: true, time: new FixedClock(DateTimeOffset.UnixEpoch.AddSeconds(200)));

        Assert.Equal(runFolder, again.RunDirectory);
        Assert.Equal(Path.Combine(runFolder, $"events.out.tfevents.200.{Environment.MachineName}"), again.FilePath);
        Assert.False(File.Exists(earlier));
        Assert.True(File.Exists(Path.Combine(runFolder, "notes.txt")));
    }
}
