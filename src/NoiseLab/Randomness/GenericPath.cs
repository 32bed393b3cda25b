using NoiseLab.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Randomness;

/// <summary>
/// The sampler's path for tensors its AES kernel cannot write (float64, float16, bfloat16,
/// non-contiguous, any device but the CPU): libtorch draws with a generator on the tensor's own
/// device, seeded from the whole key, so the same key gives the same bits on the same kind of device.
/// </summary>
internal static class GenericPath
{
    private static readonly double s_sqrt3 = Math.Sqrt(3);

    /// <summary>Fills (or adds to) <paramref name="tensor"/> with noise of standard deviation |sigma|; a negative sigma subtracts the same draw.</summary>
    public static void Draw(Tensor tensor, NoiseDistribution distribution, float sigma, NoiseKey key, bool accumulate)
    {
        using var generator = new Generator(SeedOf(key), tensor.device);
        using var noGrad = no_grad();
        double std = Math.Abs((double)sigma);
        if (!accumulate && !IsHalfPrecision(tensor))
        {
            Sample(tensor, distribution, std, generator);
            if (sigma < 0)
                tensor.neg_();
            return;
        }
        if (!accumulate)
            tensor.zero_();
        // Half-precision draws come from float32 and are rounded once: libtorch's own bfloat16 normal_ runs about 0.7 % narrow.
        using Tensor noise = empty_like(tensor, dtype: IsHalfPrecision(tensor) ? ScalarType.Float32 : tensor.dtype);
        Sample(noise, distribution, std, generator);
        if (sigma < 0)
            tensor.sub_(noise);
        else
            tensor.add_(noise, ScalarConstants.One);
    }

    /// <summary>The generator's seed: the stream, tensor and draw mixed so that nearby keys give unrelated seeds.</summary>
    internal static ulong SeedOf(NoiseKey key) =>
        SeedDerivation.Mix(SeedDerivation.Mix(key.Stream ^ SeedDerivation.Mix(key.Tensor)) ^ key.Draw);

    private static bool IsHalfPrecision(Tensor tensor) => tensor.dtype is ScalarType.BFloat16 or ScalarType.Float16;

    private static void Sample(Tensor target, NoiseDistribution distribution, double std, Generator generator)
    {
        if (distribution == NoiseDistribution.Gaussian)
            target.normal_(0, std, generator);
        else
            target.uniform_(-s_sqrt3 * std, s_sqrt3 * std, generator);
    }
}
