using NoiseLab.Randomness;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// One tensor's worth of noise, described well enough to draw it again bit for bit: how many values, from which
/// distribution, at which standard deviation and key. Injectors that record their draws (<see cref="NoiseInjector.RecordDraws"/>)
/// keep these instead of the noise itself, so a histogram of the noise costs no memory during training.
/// </summary>
/// <param name="Count">The number of values drawn.</param>
/// <param name="Distribution">Gaussian or uniform.</param>
/// <param name="Sigma">The standard deviation they were drawn at (after any relative scaling).</param>
/// <param name="Key">The key they were drawn from.</param>
public readonly record struct NoiseDraw(long Count, NoiseDistribution Distribution, float Sigma, NoiseKey Key)
{
    /// <summary>The values of <paramref name="draws"/>, drawn again and laid end to end in one float32 CPU tensor.</summary>
    public static Tensor Redraw(IReadOnlyList<NoiseDraw> draws)
    {
        ArgumentNullException.ThrowIfNull(draws);
        Tensor values = zeros(draws.Sum(d => d.Count), ScalarType.Float32);
        long offset = 0;
        foreach (NoiseDraw draw in draws)
        {
            // A slice of a 1-D tensor is contiguous, so the sampler fills it in the order it filled the original.
            using Tensor slice = values.narrow(0, offset, draw.Count);
            NoiseSampler.Fill_(slice, draw.Distribution, draw.Sigma, draw.Key);
            offset += draw.Count;
        }
        return values;
    }
}
