using NoiseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Support;

/// <summary>A small, separable synthetic classification problem: Gaussian blobs around class centres.</summary>
internal static class Blobs
{
    public static DataSplits Create(int train = 256, int validation = 64, int test = 64, int features = 8, int classes = 3, long seed = 1)
    {
        using var generator = new Generator((ulong)seed);
        Tensor centres = randn(classes, features, generator: generator).mul_(3);
        InMemoryDataset Make(int count)
        {
            Tensor labels = arange(count, dtype: ScalarType.Int64).remainder(classes);
            Tensor points = centres.index_select(0, labels).add(randn(count, features, generator: generator));
            return new InMemoryDataset(points, labels);
        }
        return new DataSplits("blobs", Make(train), Make(validation), Make(test), classes);
    }
}
