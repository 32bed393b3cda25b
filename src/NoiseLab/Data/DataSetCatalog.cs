namespace NoiseLab.Data;

/// <summary>The data sets that <c>noiselab</c> knows by name.</summary>
public static class DataSetCatalog
{
    private static readonly Dictionary<string, MnistFamily> s_imageSets = new(StringComparer.OrdinalIgnoreCase)
    {
        [MnistFamily.FashionMnist.Name] = MnistFamily.FashionMnist,
        [MnistFamily.Mnist.Name] = MnistFamily.Mnist,
    };

    /// <summary>The names accepted by <see cref="Load"/>.</summary>
    public static IReadOnlyList<string> Names => [.. s_imageSets.Keys, Cifar10.Name];

    /// <summary>Loads data set <paramref name="name"/>.</summary>
    /// <exception cref="DataSetException">The name is unknown, or the data is missing or malformed.</exception>
    public static DataSplits Load(string name, DataOptions options, Action<string>? log = null)
    {
        if (name.Equals(Cifar10.Name, StringComparison.OrdinalIgnoreCase))
            return Cifar10.Load(options, log);
        if (!s_imageSets.TryGetValue(name, out MnistFamily? family))
            throw new DataSetException($"Unknown data set '{name}'; choose one of: {string.Join(", ", Names)}.");
        return MnistFamilyLoader.Load(family, options, log);
    }
}
