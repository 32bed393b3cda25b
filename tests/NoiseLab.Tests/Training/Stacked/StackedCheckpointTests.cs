using NoiseLab.Checkpoints;
using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Models.Stacked;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Training.Stacked;

/// <summary>
/// A replica's checkpoint is its single run's checkpoint: a stacked run resumes from its replicas' checkpoints bit for
/// bit, a single run resumes from a replica's, and a stacked run from single runs'.
/// </summary>
public sealed class StackedCheckpointTests : IDisposable
{
    private const int Epochs = 4;
    private static readonly string[] s_noise = ["input:gaussian:sigma=0.1", "weight:gaussian:sigma=0.001", "perturb:anti:sigma=0.01", "gradient:annealed:eta=0.01"];
    private static readonly long?[] s_seeds = [0, 1, 2];
    private readonly TemporaryFolder _folder = new();
    private readonly ModelSpec _model = ModelSpec.Parse("deepmlp:layers=2,width=16,init=he,dropout=0.2");
    private readonly OptimizerSpec _optimizer = new(OptimizerKind.Adam, 0.01);
    private readonly TrainerOptions _options = new() { Epochs = Epochs, BatchSize = 32, ClipNorm = 1.0 };

    public void Dispose() => _folder.Dispose();

    private CheckpointFolder Folder(string name, long seed) => new(_folder.File($"{name}-{seed}"), "run-key", keep: Epochs);

    private IReadOnlyList<ReplicaOutcome?> Stacked(DataSplits data, string? saveTo, IReadOnlyList<TrainingCheckpoint?>? resume = null)
    {
        using StackedMlp model = StackedModels.Create(_model, StackedRuns.Shape(data), s_seeds);
        using var trainer = new StackedTrainer(model, s_seeds, _optimizer.Create, _options);
        for (int slot = 0; slot < s_seeds.Length; slot++)
        {
            foreach (string plan in s_noise)
                trainer.Add(slot, NoiseSpec.Parse(plan, Epochs).Create(model.Replicas[slot]!));
            if (saveTo is not null)
                trainer.SaveCheckpoints(slot, Folder(saveTo, s_seeds[slot]!.Value));
        }
        return trainer.Fit(data, resume);
    }

    private TrainingResult Single(DataSplits data, long seed, string? saveTo, TrainingCheckpoint? resume = null)
    {
        using var model = ModelRegistry.Create(_model, StackedRuns.Shape(data), seed);
        using var optimizer = _optimizer.Create(model.parameters());
        var trainer = new Trainer(model, optimizer, _options with { Seed = seed });
        foreach (string plan in s_noise)
            trainer.Add(NoiseSpec.Parse(plan, Epochs).Create(model));
        if (saveTo is not null)
            trainer.SaveCheckpoints(Folder(saveTo, seed));
        return trainer.Fit(data, resume);
    }

    private static byte[] Bytes(TrainingCheckpoint checkpoint)
    {
        using var stream = new MemoryStream();
        checkpoint.WriteTo(stream);
        return stream.ToArray();
    }

    [Fact]
    public void A_stacked_run_resumed_from_its_replicas_checkpoints_ends_as_the_uninterrupted_run_bit_for_bit()
    {
        using var threads = new ThreadCount(2);
        using DataSplits data = Blobs.Create(train: 160, features: 16, classes: 4);
        var uninterrupted = Stacked(data, saveTo: "stacked");

        var resumed = Stacked(data, saveTo: null, [.. s_seeds.Select(s => Folder("stacked", s!.Value).Load(2))]);

        for (int slot = 0; slot < s_seeds.Length; slot++)
        {
            Assert.Equal(uninterrupted[slot]!.Result!.History, resumed[slot]!.Result!.History);
            Assert.Equal(uninterrupted[slot]!.Result!.StateFingerprint, resumed[slot]!.Result!.StateFingerprint);
        }
    }

    [Fact]
    public void At_one_thread_a_replicas_checkpoints_are_its_single_runs_byte_for_byte_and_each_resumes_the_other()
    {
        using var threads = new ThreadCount(1);
        using DataSplits data = Blobs.Create(train: 160, features: 16, classes: 4);
        var stacked = Stacked(data, saveTo: "stacked");
        var singles = s_seeds.Select(s => Single(data, s!.Value, saveTo: "single")).ToList();

        var stackedFromSingles = Stacked(data, saveTo: null, [.. s_seeds.Select(s => Folder("single", s!.Value).Load(1))]);

        for (int slot = 0; slot < s_seeds.Length; slot++)
        {
            long seed = s_seeds[slot]!.Value;
            for (int epoch = 1; epoch <= Epochs; epoch++)
                Assert.Equal(Bytes(Folder("single", seed).Load(epoch)!), Bytes(Folder("stacked", seed).Load(epoch)!));
            TrainingResult singleFromReplica = Single(data, seed, saveTo: null, Folder("stacked", seed).Load(3));
            Assert.Equal(singles[slot].StateFingerprint, singleFromReplica.StateFingerprint);
            Assert.Equal(singles[slot].History, stackedFromSingles[slot]!.Result!.History);
            Assert.Equal(stacked[slot]!.Result!.StateFingerprint, stackedFromSingles[slot]!.Result!.StateFingerprint);
        }
    }

    [Fact]
    public void Checkpoints_of_different_epochs_are_refused_and_resumption_goes_back_to_the_epoch_every_replica_has()
    {
        using DataSplits data = Blobs.Create(train: 96, features: 16, classes: 4);
        Stacked(data, saveTo: "stacked");

        var error = Assert.Throws<CheckpointMismatchException>(() => Stacked(data, saveTo: null, [Folder("stacked", 0).Load(3), Folder("stacked", 1).Load(2), null]));
        // As after a kill between the replicas' saves of epoch 3: two are at 3, one at 2; a fresh replica cannot join them.
        var (epoch, replicas) = StackedResumption.Choose([.. new[] { (0L, 3), (1L, 2), (2L, 3) }.Select(r => (Folder("stacked", r.Item1), Folder("stacked", r.Item1).Load(r.Item2)))]);
        var (fresh, withFresh) = StackedResumption.Choose([(Folder("stacked", 0), Folder("stacked", 0).Load(3)), (Folder("none", 9), null)]);

        Assert.Equal("The replicas' checkpoints are of epochs 0, 2, 3; stacked replicas train in step and resume from one epoch.", error.Message);
        Assert.Equal(2, epoch);
        Assert.Equal([2, 2, 2], replicas.Select(r => r.Start!.Epoch));
        Assert.Equal(0, fresh);
        Assert.Equal([false, true], withFresh.Select(r => r.Joins));
    }
}
