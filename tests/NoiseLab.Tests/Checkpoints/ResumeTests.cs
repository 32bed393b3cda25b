using System.Security.Cryptography;
using NoiseLab.Checkpoints;
using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.Randomness;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Checkpoints;

/// <summary>
/// A run stopped after any epoch and continued from its checkpoint must be the run that never stopped:
/// same history, same weights, same optimizer state, bit for bit. The model has dropout (TorchSharp's
/// global generator), the loader shuffles (its own generator), Adam carries moments, and every kind of
/// stateful noise is on, so that each random stream and each piece of state is exercised.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private const int Epochs = 4;

    private static readonly string[] s_noise =
    [
        "input:gaussian:sigma=0.1",
        "activation:uniform:sigma=0.05,after=fc1",
        "weight:gaussian:sigma=0.001",
        "perturb:anti:sigma=0.01",
        "gradient:annealed:eta=0.01",
        "adaptive:min_epochs=1,window=2,grad_plateau=10,sigma_min=0.01,sigma_max=0.02,consecutive=2,cd_min=1,cd_max=1",
    ];

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Stands in for a crash: thrown at the start of an epoch, after the previous epoch's checkpoint is on disk.</summary>
    private sealed class CrashBeforeEpoch(int epoch) : TrainingCallback
    {
        public override void OnEpochStart(TrainingContext context)
        {
            if (context.Epoch == epoch)
                throw new IOException($"crash before epoch {epoch}");
        }
    }

    private sealed record Outcome(TrainingResult Result, string ModelHash, string OptimizerHash);

    private static Outcome Train(DataSplits data, CheckpointFolder? folder, TrainingCheckpoint? resumeFrom, TrainingCallback? extra = null, NoiseGenerator? generator = null)
    {
        var options = new TrainerOptions { Epochs = Epochs, BatchSize = 32, Seed = 7, NoiseGenerator = generator ?? NoiseGenerator.Default };
        using var model = ModelRegistry.Create(ModelSpec.Parse("deepmlp:layers=3,width=16,dropout=0.2"), new ModelShape(data.SampleShape, data.ClassCount), options.Seed);
        using var optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.01).Create(model.parameters());
        var trainer = new Trainer(model, optimizer, options).Add(new LearningRateScheduler(LearningRateSchedule.Parse("cosine", 0.01, 8)));
        var injectors = s_noise.Select(text => NoiseSpec.Parse(text, Epochs).Create(model)).ToList();
        try
        {
            foreach (NoiseInjector injector in injectors)
                trainer.Add(injector);
            if (extra is not null)
                trainer.Add(extra);
            if (folder is not null)
                trainer.SaveCheckpoints(folder);
            TrainingResult result = trainer.Fit(data, resumeFrom);
            return new Outcome(result, Hash(w => model.save(w)), Hash(((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict));
        }
        finally
        {
            foreach (var injector in injectors.OfType<IDisposable>())
                injector.Dispose();
        }
    }

    private static string Hash(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
            write(writer);
        return Convert.ToHexString(SHA256.HashData(stream.ToArray()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_run_resumed_after_epoch_k_equals_the_uninterrupted_run_bit_for_bit(int k)
    {
        using DataSplits data = Blobs.Create(train: 250, features: 8);
        Outcome uninterrupted = Train(data, folder: null, resumeFrom: null);
        var folder = new CheckpointFolder(_folder.File($"run-{k}"), "run-key");

        if (k < Epochs)
            Assert.Throws<IOException>(() => Train(data, folder, null, new CrashBeforeEpoch(k + 1)));
        else
            Train(data, folder, null);
        TrainingCheckpoint checkpoint = folder.LoadLatest() ?? throw new InvalidOperationException("no checkpoint");
        Outcome resumed = Train(data, folder, checkpoint);

        Assert.Equal(k, checkpoint.Epoch);
        Assert.Equal(uninterrupted.Result.History, resumed.Result.History);
        Assert.Equal(uninterrupted.Result.TestLoss, resumed.Result.TestLoss);
        Assert.Equal(uninterrupted.ModelHash, resumed.ModelHash);
        Assert.Equal(uninterrupted.OptimizerHash, resumed.OptimizerHash);
        Assert.NotNull(resumed.Result.StateFingerprint);
        Assert.Equal(uninterrupted.Result.StateFingerprint, resumed.Result.StateFingerprint);
        // The adaptive controller acted in this run, so its replay on resume is exercised.
        Assert.Contains(uninterrupted.Result.History, r => r.Diagnostics["adaptive.stuck"] == 1);
    }

    [Fact]
    public void A_checkpoint_drawn_with_another_generator_is_refused_naming_both_and_its_own_generator_resumes_it_exactly()
    {
        using DataSplits data = Blobs.Create(train: 250, features: 8);
        NoiseGenerator old = NoiseGenerator.Aes128BoxMullerV1, other = NoiseGenerator.Ars7BoxMullerV2;
        Outcome uninterrupted = Train(data, folder: null, resumeFrom: null, generator: old);
        var folder = new CheckpointFolder(_folder.File("generators"), "run-key");
        Assert.Throws<IOException>(() => Train(data, folder, null, new CrashBeforeEpoch(3), old));
        TrainingCheckpoint checkpoint = folder.LoadLatest()!;

        var refused = Assert.Throws<CheckpointMismatchException>(() => Train(data, folder, checkpoint, generator: other));
        Outcome resumed = Train(data, folder, checkpoint, generator: old);

        Assert.Equal("The checkpoint of epoch 2 was drawn with noise generator aes128-boxmuller-v1 but this run draws with ars7-boxmuller-v2; "
            + "resume it with that generator (TrainerOptions.NoiseGenerator = NoiseGenerator.Find(\"aes128-boxmuller-v1\")) or start afresh without the checkpoint.", refused.Message);
        Assert.Equal(uninterrupted.Result.History, resumed.Result.History);
        Assert.Equal(uninterrupted.Result.StateFingerprint, resumed.Result.StateFingerprint);
        // The two generators' runs are different runs: their noise, and so their histories, differ.
        Assert.NotEqual(uninterrupted.Result.History, Train(data, null, null, generator: other).Result.History);
    }

    [Fact]
    public void A_checkpoint_records_its_generator_and_one_of_format_1_reads_as_drawn_with_the_first_generator()
    {
        using DataSplits data = Blobs.Create(train: 100, features: 8);
        var folder = new CheckpointFolder(_folder.File("versioned"), "run-key");
        Train(data, folder, null);
        TrainingCheckpoint written = folder.LoadLatest()!;
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            // Format 1's payload: run key, epoch, step, stop flag, then the history; no generator.
            writer.Write("key");
            writer.Write(0);
            writer.Write(0L);
            writer.Write(false);
            writer.Write(2);
            writer.Write("[]"u8);
            for (int i = 0; i < 5; i++)
                writer.Write(0);
        }

        TrainingCheckpoint old = TrainingCheckpoint.ReadFrom(new MemoryStream(Fuzzing.TrainingCheckpointFuzzTests.Sign(payload.ToArray(), version: 1)), "old.ckpt");

        Assert.Equal(NoiseGenerator.Default.Name, written.NoiseGenerator);
        Assert.Equal("aes128-boxmuller-v1", old.NoiseGenerator);
        Assert.Null(old.GeneratorMismatch(NoiseGenerator.Aes128BoxMullerV1));
        Assert.NotNull(old.GeneratorMismatch(NoiseGenerator.Ars7BoxMullerV2));
    }

    [Fact]
    public void Only_the_newest_two_checkpoints_are_kept()
    {
        using DataSplits data = Blobs.Create(train: 100, features: 8);
        string path = _folder.File("kept");

        Train(data, new CheckpointFolder(path, "run-key"), null);

        Assert.Equal(["epoch-000003.ckpt", "epoch-000004.ckpt"], Directory.GetFiles(path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_checkpoint_of_other_callbacks_is_refused_with_what_differs()
    {
        using DataSplits data = Blobs.Create(train: 100, features: 8);
        var folder = new CheckpointFolder(_folder.File("other"), "run-key");
        Train(data, folder, null);
        TrainingCheckpoint checkpoint = folder.LoadLatest()!;
        var options = new TrainerOptions { Epochs = Epochs, BatchSize = 32, Seed = 7 };
        using var model = ModelRegistry.Create(ModelSpec.Parse("deepmlp:layers=3,width=16,dropout=0.2"), new ModelShape(data.SampleShape, data.ClassCount), options.Seed);
        using var optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.01).Create(model.parameters());
        var trainer = new Trainer(model, optimizer, options);

        var error = Assert.Throws<CheckpointMismatchException>(() => trainer.Fit(data, checkpoint));

        Assert.Equal("The checkpoint holds the state of [noise/activation, noise/adaptive, noise/anti, noise/gradient, noise/input, noise/weight] but this run has []; resume with the callbacks and noise it was written with.", error.Message);
    }
}
