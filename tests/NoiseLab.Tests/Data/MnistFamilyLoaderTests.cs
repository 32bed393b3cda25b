using NoiseLab.Data;
using NoiseLab.Tests.Support;
using TorchSharp;

namespace NoiseLab.Tests.Data;

public sealed class MnistFamilyLoaderTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Loads_gzipped_or_raw_files_from_the_named_folder(bool gzip)
    {
        FakeMnist.Write(_folder.Path, trainCount: 60, testCount: 20, gzip);
        var options = new DataOptions { Directory = _folder.Path, Validation = new ValidationSplit(10), AllowDownload = false };

        using DataSplits splits = MnistFamilyLoader.Load(MnistFamily.FashionMnist, options);

        Assert.Equal(50, splits.Train.Count);
        Assert.Equal(10, splits.Validation.Count);
        Assert.Equal(20, splits.Test.Count);
        Assert.Equal([1L, 28, 28], splits.SampleShape);
        Assert.Equal(torch.ScalarType.Float32, splits.Train.Features.dtype);
        Assert.Equal(torch.ScalarType.Int64, splits.Train.Targets.dtype);
        Assert.InRange(splits.Train.Features.max().item<float>(), 0.9f, 1.0f);
        Assert.Equal(0f, splits.Train.Features.min().item<float>(), 2);
    }

    [Fact]
    public void Pixels_are_scaled_to_the_unit_interval_and_labels_kept()
    {
        FakeMnist.Write(_folder.Path, trainCount: 30, testCount: 10);
        IdxArray rawTest = IdxFile.Read(_folder.File("t10k-images-idx3-ubyte.gz"));
        var options = new DataOptions { Directory = _folder.Path, Validation = new ValidationSplit(5), AllowDownload = false };

        using DataSplits splits = MnistFamilyLoader.Load(MnistFamily.Mnist, options);

        float[] pixels = splits.Test.Features.flatten().data<float>().ToArray();
        Assert.Equal(rawTest.Data.Select(b => b / 255f), pixels);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), splits.Test.Targets.data<long>().ToArray());
    }

    [Fact]
    public void The_data_set_may_sit_in_a_subfolder_named_after_it()
    {
        string sub = Path.Combine(_folder.Path, "fashion-mnist");
        Directory.CreateDirectory(sub);
        FakeMnist.Write(sub, trainCount: 30, testCount: 10);

        string found = MnistFamilyLoader.Locate(MnistFamily.FashionMnist, new DataOptions { Directory = _folder.Path, AllowDownload = false });

        Assert.Equal(sub, found);
    }

    [Fact]
    public void Limit_train_keeps_the_first_samples_of_the_training_split()
    {
        FakeMnist.Write(_folder.Path, trainCount: 60, testCount: 10);
        var full = new DataOptions { Directory = _folder.Path, Validation = new ValidationSplit(10), AllowDownload = false };

        using DataSplits all = MnistFamilyLoader.Load(MnistFamily.FashionMnist, full);
        using DataSplits limited = MnistFamilyLoader.Load(MnistFamily.FashionMnist, full with { LimitTrain = 7 });

        Assert.Equal(7, limited.Train.Count);
        Assert.True(all.Train.Features.narrow(0, 0, 7).eq(limited.Train.Features).all().item<bool>());
        Assert.True(all.Validation.Features.eq(limited.Validation.Features).all().item<bool>());
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_named_with_the_fix()
    {
        string missing = _folder.File("absent");

        var error = Assert.Throws<DataSetException>(() =>
            MnistFamilyLoader.Load(MnistFamily.FashionMnist, new DataOptions { Directory = missing }));

        Assert.Equal($"The data folder '{missing}' does not exist; create it (NoiseLab downloads Fashion-MNIST into it) or pass a folder that holds the Fashion-MNIST IDX files to --data-dir.", error.Message);
    }

    [Fact]
    public void Missing_files_without_download_say_how_to_get_them()
    {
        var error = Assert.Throws<DataSetException>(() =>
            MnistFamilyLoader.Load(MnistFamily.FashionMnist, new DataOptions { Directory = _folder.Path, AllowDownload = false }));

        Assert.StartsWith($"Fashion-MNIST was not found in {_folder.Path}, {Path.Combine(_folder.Path, "fashion-mnist")} and could not be downloaded (downloads are turned off).", error.Message, StringComparison.Ordinal);
        Assert.Contains("To fix it, install Debian's package ('sudo apt-get install dataset-fashion-mnist', or run ./scripts/setup.sh in a NoiseLab checkout), or put train-images-idx3-ubyte.gz, ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_and_label_counts_that_disagree_are_reported()
    {
        FakeMnist.Write(_folder.Path, trainCount: 30, testCount: 10);
        IdxFile.Write(_folder.File("t10k-labels-idx1-ubyte.gz"), new IdxArray([9], new byte[9]));

        var error = Assert.Throws<DataSetException>(() =>
            MnistFamilyLoader.Load(MnistFamily.FashionMnist, new DataOptions { Directory = _folder.Path, Validation = new ValidationSplit(5) }));

        Assert.Contains("holds 10 images but", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 9 labels; the files do not belong together.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_outside_the_classes_is_reported_with_its_position()
    {
        FakeMnist.Write(_folder.Path, trainCount: 30, testCount: 10);
        IdxFile.Write(_folder.File("t10k-labels-idx1-ubyte.gz"), new IdxArray([10], [0, 1, 2, 3, 42, 5, 6, 7, 8, 9]));

        var error = Assert.Throws<DataSetException>(() =>
            MnistFamilyLoader.Load(MnistFamily.FashionMnist, new DataOptions { Directory = _folder.Path, Validation = new ValidationSplit(5) }));

        Assert.Contains("has label 42 at position 4; Fashion-MNIST labels run from 0 to 9.", error.Message, StringComparison.Ordinal);
    }
}
