using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// A layer that adds zero-mean noise in training mode and is the identity in eval mode and at
/// sigma 0, like Keras' GaussianNoise. Its only state is the count of draws, so the same seed and
/// the same sequence of training calls give the same noise.
/// </summary>
public abstract class NoiseLayer : nn.Module<Tensor, Tensor>
{
    private readonly NoiseDistribution _distribution;
    private readonly NoiseKey _key;

    private protected NoiseLayer(string name, NoiseDistribution distribution, double sigma, NoiseScale scale, long seed) : base(name)
    {
        if (!(sigma >= 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be a finite number >= 0.");
        _distribution = distribution;
        Sigma = sigma;
        Scale = scale;
        _key = NoiseKey.For(seed, "noise/layer/" + name);
    }

    /// <summary>The noise's standard deviation (absolute, or relative to the batch's std or RMS).</summary>
    public double Sigma { get; }

    /// <summary>Absolute or relative.</summary>
    public NoiseScale Scale { get; }

    /// <summary>Training-mode calls so far; part of each draw's key. Save it to resume a stream.</summary>
    public long Draws { get; set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training || Sigma == 0)
            return input.alias();
        float sigma = new NoiseSettings(_distribution, new Schedules.ConstantSigma(Sigma), Scale).EffectiveSigma(Sigma, input);
        Tensor output = input.contiguous().clone();
        NoiseSampler.Add_(output, _distribution, sigma, _key.WithDraw(Draws++));
        return output;
    }
}

/// <summary>Adds N(0, s²) noise in training mode; the identity in eval mode and at s = 0.</summary>
public sealed class GaussianNoise : NoiseLayer
{
    /// <summary>Noise of standard deviation <paramref name="sigma"/>, drawn from a stream keyed by <paramref name="seed"/>.</summary>
    public GaussianNoise(double sigma, long seed = 0, NoiseScale scale = NoiseScale.Absolute)
        : base(nameof(GaussianNoise), NoiseDistribution.Gaussian, sigma, scale, seed) { }
}

/// <summary>Adds U(−√3·s, √3·s) noise (standard deviation s) in training mode; the identity in eval mode and at s = 0.</summary>
public sealed class UniformNoise : NoiseLayer
{
    /// <summary>Noise of standard deviation <paramref name="sigma"/>, drawn from a stream keyed by <paramref name="seed"/>.</summary>
    public UniformNoise(double sigma, long seed = 0, NoiseScale scale = NoiseScale.Absolute)
        : base(nameof(UniformNoise), NoiseDistribution.Uniform, sigma, scale, seed) { }
}
