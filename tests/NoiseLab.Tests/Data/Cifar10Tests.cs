using NoiseLab.Data;
using NoiseLab.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Data;

public sealed class Cifar10Tests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static byte[] Records(int count, int seed, out byte[] labels)
    {
        var random = new Random(seed);
        var bytes = new byte[count * Cifar10.RecordSize];
        random.NextBytes(bytes);
        labels = new byte[count];
        for (int i = 0; i < count; i++)
            bytes[i * Cifar10.RecordSize] = labels[i] = (byte)((i + seed) % 10);
        return bytes;
    }

    private string WriteFixture(int perBatch = 4)
    {
        string folder = Path.Combine(_folder.Path, "cifar-10-batches-bin");
        Directory.CreateDirectory(folder);
        for (int b = 1; b <= 5; b++)
            File.WriteAllBytes(Path.Combine(folder, $"data_batch_{b}.bin"), Records(perBatch, b, out _));
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), Records(3, 9, out _));
        return folder;
    }

    [Fact]
    public void Records_read_back_as_exact_pixels_in_channel_row_column_order_and_labels()
    {
        byte[] bytes = Records(2, 3, out byte[] labels);
        string path = _folder.File("batch.bin");
        File.WriteAllBytes(path, bytes);

        var (images, targets) = Cifar10.ReadFiles([path]);

        Assert.Equal([2L, 3, 32, 32], images.shape);
        Assert.Equal(labels.Select(l => (long)l), targets.data<long>().ToArray());
        // Record 1, green channel (second 1024 bytes), row 5, column 7.
        byte raw = bytes[Cifar10.RecordSize + 1 + 1024 + 5 * 32 + 7];
        Assert.Equal(raw / 255f, images[1, 1, 5, 7].item<float>());
    }

    [Fact]
    public void The_loader_normalizes_each_channel_with_training_statistics()
    {
        WriteFixture();

        using DataSplits splits = Cifar10.Load(new DataOptions { Directory = _folder.Path, Validation = new ValidationSplit(5), AllowDownload = false });

        Assert.Equal((15, 5, 3), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        using Tensor all = cat([splits.Train.Features, splits.Validation.Features]);
        float[] means = all.mean([0, 2, 3]).data<float>().ToArray();
        float[] stds = all.std([0, 2, 3]).data<float>().ToArray();
        Assert.All(means, m => Assert.Equal(0f, m, 4));
        Assert.All(stds, s => Assert.Equal(1f, s, 3));
    }

    [Fact]
    public void A_truncated_file_is_a_clear_error()
    {
        string folder = WriteFixture();
        string path = Path.Combine(folder, "data_batch_3.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^100]);

        var error = Assert.Throws<DataSetException>(() => Cifar10.Load(new DataOptions { Directory = _folder.Path, Validation = new ValidationSplit(5) }));

        Assert.Equal($"CIFAR-10 file '{path}' is {4 * Cifar10.RecordSize - 100} bytes, not a whole number of 3073-byte records; it is truncated or not the binary version. Download it again.", error.Message);
    }

    [Fact]
    public void A_label_above_nine_is_a_clear_error()
    {
        byte[] bytes = Records(3, 1, out _);
        bytes[2 * Cifar10.RecordSize] = 12;
        string path = _folder.File("bad.bin");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DataSetException>(() => Cifar10.ReadFiles([path]));

        Assert.Equal($"CIFAR-10 file '{path}' has label 12 in record 2; labels run from 0 to 9.", error.Message);
    }

    [Fact]
    public void Missing_files_without_download_say_how_to_get_them()
    {
        var error = Assert.Throws<DataSetException>(() => Cifar10.Load(new DataOptions { Directory = _folder.Path, AllowDownload = false }));

        Assert.Contains("CIFAR-10 was not found in", error.Message, StringComparison.Ordinal);
        Assert.Contains("unpack cifar-10-binary.tar.gz (the binary version)", error.Message, StringComparison.Ordinal);
    }
}
