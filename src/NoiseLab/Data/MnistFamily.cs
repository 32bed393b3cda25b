namespace NoiseLab.Data;

/// <summary>
/// A data set in MNIST's layout: four IDX files (training and test images and labels), 28×28
/// grey-scale images of 10 classes. Describes where the files are published and how to
/// recognise an intact copy.
/// </summary>
public sealed record MnistFamily(
    string Name,
    string Title,
    IReadOnlyList<Uri> Mirrors,
    RemoteFile TrainImages,
    RemoteFile TrainLabels,
    RemoteFile TestImages,
    RemoteFile TestLabels,
    string? DebianPackage,
    string? DebianFolder)
{
    /// <summary>Number of classes in every MNIST-family data set.</summary>
    public const int ClassCount = 10;

    /// <summary>
    /// Zalando's Fashion-MNIST. Sizes and SHA-256 are those of the publisher's files
    /// (as listed in tensorflow/datasets' url_checksums/fashion_mnist.txt).
    /// Debian's dataset-fashion-mnist package holds the same images, recompressed.
    /// </summary>
    public static MnistFamily FashionMnist { get; } = new(
        "fashion-mnist",
        "Fashion-MNIST",
        [new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")],
        new RemoteFile("train-images-idx3-ubyte.gz", 26421880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
        new RemoteFile("train-labels-idx1-ubyte.gz", 29515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
        new RemoteFile("t10k-images-idx3-ubyte.gz", 4422102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
        new RemoteFile("t10k-labels-idx1-ubyte.gz", 5148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
        "dataset-fashion-mnist",
        "/usr/share/datasets/fashion-mnist");

    /// <summary>
    /// LeCun, Cortes and Burges' MNIST digits. Sizes and SHA-256 are those of the original files
    /// (as listed in tensorflow/datasets' url_checksums/mnist.txt for the CVDF mirror).
    /// </summary>
    public static MnistFamily Mnist { get; } = new(
        "mnist",
        "MNIST",
        [new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/"), new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/")],
        new RemoteFile("train-images-idx3-ubyte.gz", 9912422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
        new RemoteFile("train-labels-idx1-ubyte.gz", 28881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
        new RemoteFile("t10k-images-idx3-ubyte.gz", 1648877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
        new RemoteFile("t10k-labels-idx1-ubyte.gz", 4542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        DebianPackage: null,
        DebianFolder: null);

    /// <summary>The four files, in the order train images, train labels, test images, test labels.</summary>
    public IReadOnlyList<RemoteFile> Files => [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>
    /// The path of <paramref name="file"/> in <paramref name="folder"/>, compressed or not,
    /// or null when neither is there.
    /// </summary>
    public static string? FindIn(string folder, RemoteFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string compressed = Path.Combine(folder, file.FileName);
        if (File.Exists(compressed))
            return compressed;
        string raw = Path.Combine(folder, Path.GetFileNameWithoutExtension(file.FileName));
        return File.Exists(raw) ? raw : null;
    }

    /// <summary>True when <paramref name="folder"/> holds all four files.</summary>
    public bool IsComplete(string folder) => Files.All(f => FindIn(folder, f) is not null);
}
