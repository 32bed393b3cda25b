using NoiseLab.Checkpoints;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Checkpoints;

public sealed class CheckpointFolderTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static TrainingCheckpoint Checkpoint(int epoch, string runKey = "run-a") => new()
    {
        RunKey = runKey,
        Epoch = epoch,
        Step = 10L * epoch,
        History = [.. Enumerable.Range(1, epoch).Select(e => new EpochRecord { Epoch = e, TrainLoss = 1.0 / e, ValLoss = 2.0 / e, GradNorm = e, WeightUpdateNorm = 0.5, LearningRate = 0.1 })],
        Model = [1, 2, 3, (byte)epoch],
        Optimizer = [4, 5],
        GlobalGenerator = [6],
        ShuffleGenerator = [7, 8, 9],
        Callbacks = new Dictionary<string, byte[]> { ["noise/input"] = [(byte)epoch], ["augment/crop-flip"] = [] },
    };

    [Fact]
    public void A_checkpoint_reads_back_with_every_field_equal()
    {
        TrainingCheckpoint written = Checkpoint(3);
        using var stream = new MemoryStream();
        written.WriteTo(stream);
        stream.Position = 0;

        TrainingCheckpoint read = TrainingCheckpoint.ReadFrom(stream, "memory");

        Assert.Equal((written.RunKey, written.Epoch, written.Step, written.StopRequested), (read.RunKey, read.Epoch, read.Step, read.StopRequested));
        Assert.Equal(written.History, read.History);
        Assert.Equal(written.Model, read.Model);
        Assert.Equal(written.Optimizer, read.Optimizer);
        Assert.Equal(written.GlobalGenerator, read.GlobalGenerator);
        Assert.Equal(written.ShuffleGenerator, read.ShuffleGenerator);
        Assert.Equal(written.Callbacks.OrderBy(c => c.Key), read.Callbacks.OrderBy(c => c.Key));
    }

    [Fact]
    public void Every_single_bit_flip_is_detected()
    {
        using var stream = new MemoryStream();
        Checkpoint(2).WriteTo(stream);
        byte[] bytes = stream.ToArray();

        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            byte[] flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<CheckpointCorruptException>(() => TrainingCheckpoint.ReadFrom(new MemoryStream(flipped), "flipped"));
        }
    }

    [Fact]
    public void Every_truncation_is_detected()
    {
        using var stream = new MemoryStream();
        Checkpoint(2).WriteTo(stream);
        byte[] bytes = stream.ToArray();

        for (int length = 0; length < bytes.Length; length++)
            Assert.Throws<CheckpointCorruptException>(() => TrainingCheckpoint.ReadFrom(new MemoryStream(bytes[..length]), "cut"));
    }

    [Fact]
    public void A_damaged_newest_checkpoint_falls_back_to_the_previous_one_with_a_warning()
    {
        var folder = new CheckpointFolder(_folder.File("run"), "run-a");
        folder.Save(Checkpoint(1));
        folder.Save(Checkpoint(2));
        string newest = Path.Combine(folder.Path, "epoch-000002.ckpt");
        byte[] bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(newest, bytes);
        var warnings = new List<string>();

        TrainingCheckpoint? loaded = folder.LoadLatest(warnings.Add);

        Assert.Equal(1, loaded?.Epoch);
        Assert.Equal([$"warning: The checkpoint '{newest}' cannot be used: its checksum does not match its contents. It is skipped, falling back to epoch 1."], warnings);
    }

    [Fact]
    public void A_truncated_only_checkpoint_means_starting_afresh_with_a_warning()
    {
        var folder = new CheckpointFolder(_folder.File("run"), "run-a");
        folder.Save(Checkpoint(1));
        string only = Path.Combine(folder.Path, "epoch-000001.ckpt");
        byte[] bytes = File.ReadAllBytes(only);
        File.WriteAllBytes(only, bytes[..(bytes.Length - 5)]);
        var warnings = new List<string>();

        Assert.Null(folder.LoadLatest(warnings.Add));
        Assert.Equal([$"warning: The checkpoint '{only}' cannot be used: it is truncated or has trailing bytes. It is skipped, starting the run from its beginning."], warnings);
    }

    [Fact]
    public void A_missing_folder_or_a_leftover_partial_file_is_no_checkpoint()
    {
        var folder = new CheckpointFolder(_folder.File("run"), "run-a");
        Assert.Null(folder.LoadLatest());

        folder.Save(Checkpoint(1));
        File.WriteAllBytes(Path.Combine(folder.Path, "epoch-000002.ckpt" + DurableFile.PartialSuffix), [1, 2, 3]);

        Assert.Equal(1, folder.LoadLatest()?.Epoch);
    }

    [Fact]
    public void Checkpoints_of_another_run_configuration_are_refused()
    {
        string path = _folder.File("run");
        new CheckpointFolder(path, "run-a").Save(Checkpoint(1));

        var error = Assert.Throws<CheckpointMismatchException>(() => new CheckpointFolder(path, "run-b").LoadLatest());

        Assert.Equal($"The checkpoints in '{path}' belong to another run configuration (run-a, this run is run-b); delete that folder or choose another checkpoint folder.", error.Message);
    }
}
