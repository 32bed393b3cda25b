using CsCheck;
using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Fuzzing;

/// <summary>An MNIST-layout folder with one damaged IDX file: it loads or fails with a <see cref="DataSetException"/>.</summary>
public sealed class MnistFamilyLoaderFuzzTests : IDisposable
{
    private static readonly byte[][] s_tokens = [[0, 0, 8, 3], [0, 0, 8, 1], [0, 0, 0, 1], [0, 0, 0, 2], [10], [255]];
    private static readonly string[] s_files = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static byte[][] ValidFiles()
    {
        var random = new Random(5);
        var pixels = new byte[6 * 2 * 3];
        random.NextBytes(pixels);
        return
        [
            IdxFileFuzzTests.Encode([6, 2, 3], pixels), IdxFileFuzzTests.Encode([6], [0, 1, 2, 3, 4, 9]),
            IdxFileFuzzTests.Encode([2, 2, 3], pixels[..12]), IdxFileFuzzTests.Encode([2], [5, 7]),
        ];
    }

    private static readonly Gen<(int File, Mutation[] Mutations)> s_inputs = Gen.Select(Gen.Int[0, 3], Mutation.Several(s_tokens));

    private void Load(byte[][] files)
    {
        for (int i = 0; i < files.Length; i++)
            File.WriteAllBytes(_folder.File(s_files[i]), files[i]);
        using DataSplits splits = MnistFamilyLoader.Load(MnistFamily.Mnist, new DataOptions { Directory = _folder.Path, Validation = new ValidationSplit(2), AllowDownload = false });
    }

    [Fact]
    public void A_folder_with_a_damaged_file_loads_or_fails_with_a_DataSetException()
    {
        Load(ValidFiles());
        FuzzCheck.Property<(int File, Mutation[] Mutations), DataSetException>(s_inputs, input =>
        {
            byte[][] files = ValidFiles();
            files[input.File] = Mutation.ApplyAll(files[input.File], input.Mutations);
            Load(files);
        }, _ => 256, iterations: 150, print: input => $"file {s_files[input.File]}: {string.Join("; ", input.Mutations.AsEnumerable())}");
    }

    [Fact]
    public void Too_few_training_images_for_the_validation_split_is_a_data_set_error()
    {
        byte[][] files = ValidFiles();
        for (int i = 0; i < files.Length; i++)
            File.WriteAllBytes(_folder.File(s_files[i]), files[i]);

        var error = Assert.Throws<DataSetException>(() => MnistFamilyLoader.Load(MnistFamily.Mnist, new DataOptions { Directory = _folder.Path, AllowDownload = false }));

        Assert.Equal($"'{_folder.File(s_files[0])}' holds 6 training images; the validation split takes 5,000 of them and needs at least one left for training, so pass a smaller --val-size or use the complete data set.", error.Message);
    }
}
