using CsCheck;
using NoiseLab.Data;
using NoiseLab.Tests.Support;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Fuzzing;

/// <summary>CIFAR-10 binary batches damaged every way: they read or fail with a <see cref="DataSetException"/>.</summary>
public sealed class Cifar10FuzzTests : IDisposable
{
    private static readonly byte[][] s_tokens = [[0], [9], [10], [255], new byte[Cifar10.RecordSize], new byte[Cifar10.RecordSize - 1]];
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // One to three records with labels 0-9.
    private static readonly Gen<byte[]> s_batch =
        Gen.Select(Gen.Int[1, 3], Gen.Byte[0, 9].Array[3], (count, labels) => (count, labels))
            .SelectMany(b => Gen.Byte.Array[b.count * Cifar10.RecordSize].Select(bytes =>
            {
                for (int i = 0; i < b.count; i++)
                    bytes[i * Cifar10.RecordSize] = b.labels[i];
                return bytes;
            }));

    // Two batch files, either or both damaged.
    private static readonly Gen<(byte[] First, byte[] Second)> s_inputs =
        Gen.Select(s_batch, s_batch, Mutation.Several(s_tokens), Gen.Int[0, 2], (first, second, mutations, which) => which switch
        {
            0 => (Mutation.ApplyAll(first, mutations), second),
            1 => (first, Mutation.ApplyAll(second, mutations)),
            _ => (Mutation.ApplyAll(first, mutations), Mutation.ApplyAll(second, mutations)),
        });

    private void Read(byte[] first, byte[] second)
    {
        string[] paths = [_folder.File("data_batch_1.bin"), _folder.File("data_batch_2.bin")];
        File.WriteAllBytes(paths[0], first);
        File.WriteAllBytes(paths[1], second);
        var (images, labels) = Cifar10.ReadFiles(paths);
        using (images)
        using (labels)
        {
            long count = (first.Length + second.Length) / Cifar10.RecordSize;
            if (images.shape[0] != count || labels.shape[0] != count)
                throw new FuzzFailureException($"ReadFiles returned {images.shape[0]} images for {count} records.");
        }
    }

    [Fact]
    public void A_damaged_batch_reads_or_fails_with_a_DataSetException()
    {
        Read(new byte[Cifar10.RecordSize], new byte[Cifar10.RecordSize]); // TorchSharp's first use is slow; keep it out of the time bound.
        FuzzCheck.Property<(byte[] First, byte[] Second), DataSetException>(s_inputs, input => Read(input.First, input.Second),
            input => input.First.Length + input.Second.Length, iterations: 200,
            print: input => $"first {FuzzInputs.Describe(input.First)}; second {FuzzInputs.Describe(input.Second)}");
    }

    [Fact]
    public void A_file_of_a_billion_records_fails_fast_without_being_read()
    {
        string path = _folder.File("data_batch_1.bin");
        const long Records = 1_000_000_000 / Cifar10.RecordSize * 3; // about 3 GB of whole records, sparse on disk
        FuzzInputs.WriteSparse(path, [3], Records * Cifar10.RecordSize);

        var error = FuzzCheck.Expect<DataSetException>(() => Cifar10.ReadFiles([path]), 64, allocationLimit: 4L << 20);

        Assert.NotNull(error);
        Assert.Equal($"CIFAR-10 file '{path}' holds {Records:N0} records ({Records * Cifar10.RecordSize:N0} bytes), more than the 699,050 that NoiseLab can hold in memory with the files before it; it is not a CIFAR-10 batch (each holds 10,000 records), so download it again.", error.Message);
    }

    [Theory]
    [InlineData(5_000_000_001L)]
    [InlineData(1_000_000_001L)]
    public void A_huge_file_of_a_wrong_length_fails_fast_without_being_read(long length)
    {
        string path = _folder.File("test_batch.bin");
        FuzzInputs.WriteSparse(path, [3], length);

        var error = FuzzCheck.Expect<DataSetException>(() => Cifar10.ReadFiles([path]), 64, allocationLimit: 4L << 20);

        Assert.NotNull(error);
        Assert.Equal($"CIFAR-10 file '{path}' is {length} bytes, not a whole number of 3073-byte records; it is truncated or not the binary version. Download it again.", error.Message);
    }

    [Fact]
    public void Too_few_training_records_for_the_validation_split_is_a_data_set_error()
    {
        string folder = Path.Combine(_folder.Path, "cifar-10-batches-bin");
        Directory.CreateDirectory(folder);
        foreach (string name in Cifar10.TrainFiles.Append(Cifar10.TestFile))
            File.WriteAllBytes(Path.Combine(folder, name), new byte[Cifar10.RecordSize]);

        var error = Assert.Throws<DataSetException>(() => Cifar10.Load(new DataOptions { Directory = _folder.Path, AllowDownload = false }));

        Assert.Equal($"CIFAR-10 in '{folder}' holds 5 training images; the validation split takes 5,000 of them and needs at least one left for training, so pass a smaller --val-size or use the complete data set.", error.Message);
    }
}
