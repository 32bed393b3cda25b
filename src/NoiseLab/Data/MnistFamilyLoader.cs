using NoiseLab.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Data;

/// <summary>
/// Finds, downloads if needed, reads and splits an MNIST-family data set into tensors:
/// images as float32 [N, 1, 28, 28] scaled to [0, 1], labels as int64 [N].
/// </summary>
public static class MnistFamilyLoader
{
    private static readonly TimeSpan s_downloadTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Loads <paramref name="family"/> as train / validation / test splits.</summary>
    /// <param name="family">Which data set.</param>
    /// <param name="options">Where to look, how to split, how much to keep.</param>
    /// <param name="log">Receives one line per download step; null for silence.</param>
    /// <exception cref="DataSetException">The data is missing (and cannot be downloaded) or malformed.</exception>
    public static DataSplits Load(MnistFamily family, DataOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(options);
        if (options.LimitTrain is <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.LimitTrain, "LimitTrain must be a positive number of samples.");

        return LoadFrom(family, Locate(family, options, log), options);
    }

    /// <summary>Loads <paramref name="family"/> from the four files in <paramref name="folder"/>.</summary>
    internal static DataSplits LoadFrom(MnistFamily family, string folder, DataOptions options)
    {
        if (options.LimitTrain is <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.LimitTrain, "LimitTrain must be a positive number of samples.");
        using var fullTrain = ReadPair(family, folder, family.TrainImages, family.TrainLabels);
        if (fullTrain.Count <= options.Validation.Size)
            throw new DataSetException(DataSetException.TooFewForValidation($"'{MnistFamily.FindIn(folder, family.TrainImages)}'", fullTrain.Count, "training images", options.Validation.Size));
        var test = ReadPair(family, folder, family.TestImages, family.TestLabels);
        var (train, validation) = options.Validation.Apply(fullTrain);
        train = options.ApplyLimit(train);
        return new DataSplits(family.Name, train, validation, test, MnistFamily.ClassCount);
    }

    /// <summary>The folder holding all four files, downloading them when allowed and needed.</summary>
    public static string Locate(MnistFamily family, DataOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Directory is not null && !Directory.Exists(options.Directory))
            throw new DataSetException($"The data folder '{options.Directory}' does not exist; create it (NoiseLab downloads {family.Title} into it) or pass a folder that holds the {family.Title} IDX files to --data-dir.");

        IReadOnlyList<string> candidates = DataFolders.Candidates(family.Name, options, family.DebianFolder);
        string? found = candidates.FirstOrDefault(family.IsComplete);
        if (found is not null)
            return found;

        string target = DataFolders.DownloadTarget(family.Name, options);
        if (!options.AllowDownload)
            throw new DataSetException(NotFoundMessage(family, candidates, reason: "downloads are turned off"));
        try
        {
            using var http = new HttpClient { Timeout = s_downloadTimeout };
            var download = new ChecksummedDownload(http);
            foreach (RemoteFile file in family.Files.Where(f => MnistFamily.FindIn(target, f) is null))
            {
                log?.Invoke($"Downloading {family.Title} {file.FileName} into {target} ...");
                download.FetchAsync(file, family.Mirrors, target).GetAwaiter().GetResult();
            }
            return target;
        }
        catch (Exception e) when (e is DataSetException or IOException or UnauthorizedAccessException)
        {
            throw new DataSetException(NotFoundMessage(family, candidates, reason: e.Message), e);
        }
    }

    private static string NotFoundMessage(MnistFamily family, IReadOnlyList<string> searched, string reason)
    {
        string install = family.DebianPackage is null
            ? ""
            : $"install Debian's package ('sudo apt-get install {family.DebianPackage}', or run ./scripts/setup.sh in a NoiseLab checkout), or ";
        return $"{family.Title} was not found in {string.Join(", ", searched.Distinct())} and could not be downloaded ({reason}). To fix it, {install}put {string.Join(", ", family.Files.Select(f => f.FileName))} (gzipped or not) in a folder and pass it to --data-dir or set {DataOptions.EnvironmentVariable}.";
    }

    private static InMemoryDataset ReadPair(MnistFamily family, string folder, RemoteFile imagesFile, RemoteFile labelsFile)
    {
        string imagesPath = MnistFamily.FindIn(folder, imagesFile)!;
        string labelsPath = MnistFamily.FindIn(folder, labelsFile)!;
        IdxArray images = IdxFile.Read(imagesPath);
        IdxArray labels = IdxFile.Read(labelsPath);
        if (images.Shape.Length != 3)
            throw new DataSetException($"'{imagesPath}' should hold images [count x rows x columns] but has {images.Shape.Length} dimensions.");
        if (labels.Shape.Length != 1)
            throw new DataSetException($"'{labelsPath}' should hold one label per image but has {labels.Shape.Length} dimensions.");
        if (images.Count != labels.Count)
            throw new DataSetException($"'{imagesPath}' holds {images.Count} images but '{labelsPath}' holds {labels.Count} labels; the files do not belong together.");
        int badLabel = Array.FindIndex(labels.Data, l => l >= MnistFamily.ClassCount);
        if (badLabel >= 0)
            throw new DataSetException($"'{labelsPath}' has label {labels.Data[badLabel]} at position {badLabel}; {family.Title} labels run from 0 to {MnistFamily.ClassCount - 1}.");

        using var scope = NewDisposeScope();
        Tensor features = tensor(images.Data, [images.Count, 1, images.Shape[1], images.Shape[2]])
            .to_type(ScalarType.Float32).div_(ScalarConstants.GreyLevels);
        Tensor targets = tensor(labels.Data, [labels.Count]).to_type(ScalarType.Int64);
        return new InMemoryDataset(features.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope());
    }
}
