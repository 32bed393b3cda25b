using NoiseLab.Data;

namespace NoiseLab.Tests.Support;

/// <summary>Writes a small MNIST-layout data set (random 28×28 images, labels 0–9) for loader tests.</summary>
internal static class FakeMnist
{
    public static void Write(string folder, int trainCount, int testCount, bool gzip = true, int seed = 1)
    {
        var random = new Random(seed);
        string suffix = gzip ? ".gz" : "";
        WritePair(folder, "train", trainCount, random, suffix);
        WritePair(folder, "t10k", testCount, random, suffix);
    }

    private static void WritePair(string folder, string prefix, int count, Random random, string suffix)
    {
        var pixels = new byte[count * 28 * 28];
        random.NextBytes(pixels);
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
            labels[i] = (byte)(i % 10);
        IdxFile.Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte{suffix}"), new IdxArray([count, 28, 28], pixels));
        IdxFile.Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte{suffix}"), new IdxArray([count], labels));
    }
}
