using NoiseLab.Interop;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Data;

/// <summary>
/// CIFAR-10 in its standard binary version: <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c> and
/// <c>test_batch.bin</c> (in <c>cifar-10-batches-bin/</c> once the archive is unpacked), each a run of
/// 3,073-byte records: one label byte (0–9), then 1,024 red, 1,024 green and 1,024 blue bytes of a
/// 32×32 image in row-major order. Images become float32 [N, 3, 32, 32] normalized per channel with
/// the training split's mean and standard deviation (fitted on training samples only).
/// </summary>
public static class Cifar10
{
    /// <summary>The catalog name.</summary>
    public const string Name = "cifar10";

    /// <summary>Bytes per record: a label and a 3×32×32 image.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    private const string Folder = "cifar-10-batches-bin";

    // The most records whose pixels fit in one array (about 2 GB); the real data set has 60,000.
    private const int MaxRecords = (int)(0x7FFFFFC7L / (RecordSize - 1));

    /// <summary>The publisher's archive (size and SHA-256 as tensorflow/datasets lists them).</summary>
    public static RemoteFile Archive { get; } = new("cifar-10-binary.tar.gz", 170052171, "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd");

    private static readonly Uri s_mirror = new("https://www.cs.toronto.edu/~kriz/");

    /// <summary>The training files, in order.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } = [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")];

    /// <summary>The test file.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>Loads CIFAR-10 as train / validation / test splits.</summary>
    /// <exception cref="DataSetException">The files are missing (and cannot be downloaded) or malformed.</exception>
    public static DataSplits Load(DataOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string folder = Locate(options, log);
        InMemoryDataset fullTrainData, test;
        using (var scope = NewDisposeScope())
        {
            var (trainImages, trainLabels) = ReadFiles(TrainFiles.Select(f => Path.Combine(folder, f)));
            var (testImages, testLabels) = ReadFiles([Path.Combine(folder, TestFile)]);
            // Per-channel statistics of the training file, applied to every split.
            Tensor mean = trainImages.mean([0, 2, 3], keepdim: true);
            Tensor std = trainImages.std([0, 2, 3], keepdim: true);
            fullTrainData = new InMemoryDataset(trainImages.sub(mean).div_(std).MoveToOuterDisposeScope(), trainLabels.MoveToOuterDisposeScope());
            test = new InMemoryDataset(testImages.sub(mean).div_(std).MoveToOuterDisposeScope(), testLabels.MoveToOuterDisposeScope());
        }
        using InMemoryDataset fullTrain = fullTrainData;
        if (fullTrain.Count <= options.Validation.Size)
        {
            test.Dispose();
            throw new DataSetException(DataSetException.TooFewForValidation($"CIFAR-10 in '{folder}'", fullTrain.Count, "training images", options.Validation.Size));
        }
        var (train, validation) = options.Validation.Apply(fullTrain);
        train = options.ApplyLimit(train);
        return new DataSplits(Name, train, validation, test, 10);
    }

    /// <summary>Reads CIFAR-10 binary files into images [N, 3, 32, 32] scaled to [0, 1] and int64 labels [N].</summary>
    /// <exception cref="DataSetException">A file is missing, unreadable, of the wrong length or has a label beyond 9.</exception>
    public static (Tensor Images, Tensor Labels) ReadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        // Every length is checked before anything is read or allocated, so a file that claims more
        // records than memory holds (or a sparse file of gigabytes) fails at once.
        var files = new List<(string Path, int Records)>();
        long count = 0;
        foreach (string path in paths)
        {
            if (!File.Exists(path))
                throw new DataSetException($"CIFAR-10 file '{path}' does not exist.");
            long length = new FileInfo(path).Length;
            if (length == 0 || length % RecordSize != 0)
                throw new DataSetException($"CIFAR-10 file '{path}' is {length} bytes, not a whole number of {RecordSize}-byte records; it is truncated or not the binary version. Download it again.");
            count += length / RecordSize;
            if (count > MaxRecords)
                throw new DataSetException(string.Create(CultureInfo.InvariantCulture, $"CIFAR-10 file '{path}' holds {length / RecordSize:N0} records ({length:N0} bytes), more than the {MaxRecords:N0} that NoiseLab can hold in memory with the files before it; it is not a CIFAR-10 batch (each holds 10,000 records), so download it again."));
            files.Add((path, (int)(length / RecordSize)));
        }
        var pixels = new byte[count * (RecordSize - 1)];
        var labels = new byte[count];
        var record = new byte[RecordSize];
        int index = 0;
        foreach (var (path, records) in files)
        {
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
                for (int r = 0; r < records; r++, index++)
                {
                    if (file.ReadAtLeast(record, RecordSize, throwOnEndOfStream: false) < RecordSize)
                        throw new DataSetException($"CIFAR-10 file '{path}' became shorter while it was read (record {r} of {records}); make sure nothing else writes it and download it again.");
                    if (record[0] > 9)
                        throw new DataSetException($"CIFAR-10 file '{path}' has label {record[0]} in record {r}; labels run from 0 to 9.");
                    labels[index] = record[0];
                    record.AsSpan(1).CopyTo(pixels.AsSpan(index * (RecordSize - 1)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DataSetException($"CIFAR-10 file '{path}' could not be read: {e.Message}", e);
            }
        }
        using Tensor rawImages = tensor(pixels, [count, 3, 32, 32]), rawLabels = tensor(labels, [count]);
        return (rawImages.to_type(ScalarType.Float32).div_(ScalarConstants.GreyLevels), rawLabels.to_type(ScalarType.Int64));
    }

    private static bool IsComplete(string folder) =>
        TrainFiles.Append(TestFile).All(f => File.Exists(Path.Combine(folder, f)));

    private static string Locate(DataOptions options, Action<string>? log)
    {
        if (options.Directory is not null && !Directory.Exists(options.Directory))
            throw new DataSetException($"The data folder '{options.Directory}' does not exist; create it (NoiseLab downloads CIFAR-10 into it) or pass a folder that holds {Folder}/ to --data-dir.");
        IReadOnlyList<string> roots = DataFolders.Candidates(Name, options, systemFolder: null);
        string? found = roots.SelectMany(r => new[] { r, Path.Combine(r, Folder) }).FirstOrDefault(IsComplete);
        if (found is not null)
            return found;

        string target = DataFolders.DownloadTarget(Name, options);
        string searched = string.Join(", ", roots.Distinct());
        string fix = $"To fix it, unpack {Archive.FileName} (the binary version) so that {Folder}/data_batch_1.bin … test_batch.bin are in a folder, and pass it to --data-dir or set {DataOptions.EnvironmentVariable}.";
        if (!options.AllowDownload)
            throw new DataSetException($"CIFAR-10 was not found in {searched} (downloads are turned off). {fix}");
        try
        {
            log?.Invoke($"Downloading CIFAR-10 ({Archive.Size / 1_000_000} MB) into {target} ...");
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            string archive = new ChecksummedDownload(http).FetchAsync(Archive, [s_mirror], target).GetAwaiter().GetResult();
            using (FileStream file = File.OpenRead(archive))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gzip, target, overwriteFiles: true);
            File.Delete(archive);
            return Path.Combine(target, Folder);
        }
        catch (Exception e) when (e is DataSetException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataSetException($"CIFAR-10 was not found in {searched} and could not be downloaded ({e.Message}). {fix}", e);
        }
    }
}
