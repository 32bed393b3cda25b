using Microsoft.Data.Sqlite;
using NoiseLab.Checkpoints;
using NoiseLab.Experiments;
using NoiseLab.Tests.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Reliability;

/// <summary>
/// A full disk during a checkpoint write, made real: the checkpoint's temporary file is a link to
/// /dev/full, where every write fails with ENOSPC.
/// </summary>
public sealed class DiskFullTests : IDisposable
{
    private const string Spec = """
        name: full
        limit_train: 300
        epochs: 3
        seeds: [0]
        models: ["mlp:8"]
        optimizers: [{optimizer: momentum, lr: 0.05}]
        noise: {none: []}
        """;

    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static void FillDiskAt(string checkpointFolder, int epoch)
    {
        Directory.CreateDirectory(checkpointFolder);
        File.CreateSymbolicLink(Path.Combine(checkpointFolder, $"epoch-{epoch:D6}.ckpt{DurableFile.PartialSuffix}"), "/dev/full");
    }

    [Fact]
    public void A_checkpoint_write_on_a_full_disk_fails_in_one_sentence_and_the_previous_checkpoint_stays_loadable()
    {
        var folder = new CheckpointFolder(_folder.File("run"), "run-a");
        var first = new TrainingCheckpoint
        {
            RunKey = "run-a", Epoch = 1, Step = 5, History = [new() { Epoch = 1, TrainLoss = 1, ValLoss = 1, GradNorm = 1, WeightUpdateNorm = 1, LearningRate = 0.1 }],
            Model = [1], Optimizer = [2], GlobalGenerator = [3], ShuffleGenerator = [4], Callbacks = new Dictionary<string, byte[]>(),
        };
        folder.Save(first);
        FillDiskAt(folder.Path, 2);

        var error = Assert.Throws<CheckpointWriteException>(() => folder.Save(new TrainingCheckpoint
        {
            RunKey = "run-a", Epoch = 2, Step = 10, History = [.. first.History, first.History[0] with { Epoch = 2 }],
            Model = [1], Optimizer = [2], GlobalGenerator = [3], ShuffleGenerator = [4], Callbacks = new Dictionary<string, byte[]>(),
        }));

        Assert.Equal($"The checkpoint of epoch 2 could not be written to '{Path.Combine(folder.Path, "epoch-000002.ckpt")}': No space left on device : '{Path.Combine(folder.Path, "epoch-000002.ckpt.partial")}' The checkpoints written before it are intact.", error.Message);
        Assert.Equal(["epoch-000001.ckpt"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
        Assert.Equal(1, folder.LoadLatest()?.Epoch);
    }

    [Fact]
    public void A_run_that_meets_a_full_disk_is_marked_interrupted_and_later_resumes_to_the_uninterrupted_result()
    {
        SweepSpec spec = SweepSpec.Parse(Spec, "full.yaml");
        using RunStore reference = RunStore.Open(_folder.File("reference.db"));
        SweepRunner.Run(spec, Spec, reference, RunStoreTests.Options(_folder.File("reference")));
        using RunStore store = RunStore.Open(_folder.File("full.db"));
        SweepOptions options = RunStoreTests.Options(_folder.File("full"));
        string id = spec.Runs[0].Id;
        FillDiskAt(SweepRunner.CheckpointFolderOf(options.CheckpointRoot, "full", id), 2);

        SweepOutcome interrupted = SweepRunner.Run(spec, Spec, store, options);
        StoredRun stopped = store.Runs("full").Single();
        SweepOutcome resumed = SweepRunner.Run(spec, Spec, store, options);

        Assert.Equal(new SweepOutcome(0, 0, 0, 0, 1), interrupted);   // and the worker stopped taking runs
        Assert.Equal(RunStatus.Interrupted, stopped.Status);
        Assert.StartsWith("The checkpoint of epoch 2 could not be written", stopped.Error, StringComparison.Ordinal);
        Assert.Equal(new SweepOutcome(1, 0, 0, 0, 0), resumed);
        Assert.Equal(reference.Epochs("full", id), store.Epochs("full", id));
        Assert.Equal(reference.Runs("full").Single().Result, store.Runs("full").Single().Result);
    }
}
