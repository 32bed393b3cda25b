using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// A layer that adds zero-mean noise in training mode and is the identity in eval mode and at
/// sigma 0, like Keras' GaussianNoise; the module form of <see cref="NoiseFunctional.AddNoise"/>.
/// Each instance draws its own stream: at construction it takes a salt from TorchSharp's global
/// generator (as a weight takes its initial value), so two layers differ, and a model built after the
/// same <c>torch.manual_seed</c> replays. The salt and the count of draws live in the buffer
/// <c>noise_stream</c>, so <c>save</c>/<c>load</c> carry them and a reloaded model continues its stream.
/// </summary>
public abstract class NoiseLayer : nn.Module<Tensor, Tensor>
{
    private const string StreamBuffer = "noise_stream";
    private readonly NoiseDistribution _distribution;
    private readonly long _seed;
    private (long Salt, ulong Stream) _streamOfSalt;

    private protected NoiseLayer(string name, NoiseDistribution distribution, double sigma, NoiseScale scale, long seed) : base(name)
    {
        if (!(sigma >= 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be a finite number >= 0.");
        _distribution = distribution;
        Sigma = sigma;
        Scale = scale;
        _seed = seed;
        long salt;
        using (Tensor drawn = randint(long.MaxValue, [1], dtype: ScalarType.Int64))
            salt = drawn.item<long>();
        register_buffer(StreamBuffer, tensor(new[] { salt, 0L }));
    }

    /// <summary>The noise's standard deviation (absolute, or relative to the batch's std or RMS).</summary>
    public double Sigma { get; }

    /// <summary>Absolute or relative.</summary>
    public NoiseScale Scale { get; }

    /// <summary>Training-mode calls so far; part of each draw's key. It travels with the model's state.</summary>
    public long Draws
    {
        get => ReadState(1);
        set
        {
            using Tensor draws = State[1];
            using Scalar count = value.ToScalar();
            draws.fill_(count);
        }
    }

    /// <summary>The key of the next draw.</summary>
    public NoiseKey NextKey
    {
        get
        {
            long salt = ReadState(0);
            if (_streamOfSalt.Stream == 0 || _streamOfSalt.Salt != salt)
                _streamOfSalt = (salt, SeedDerivation.Derive(_seed, $"noise/layer/{GetName()}/{salt}"));
            return new NoiseKey(_streamOfSalt.Stream, 0, (ulong)Draws);
        }
    }

    private Tensor State => get_buffer(StreamBuffer)!;

    private long ReadState(int index)
    {
        using Tensor value = State[index];
        return value.item<long>();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training || Sigma == 0)
            return input.alias();
        NoiseKey key = NextKey;
        Draws = (long)key.Draw + 1;
        return NoiseFunctional.AddNoise(input, _distribution, Sigma, key, Scale);
    }
}

/// <summary>Adds N(0, s²) noise in training mode; the identity in eval mode and at s = 0.</summary>
public sealed class GaussianNoise : NoiseLayer
{
    /// <summary>Noise of standard deviation <paramref name="sigma"/>, drawn from a stream keyed by <paramref name="seed"/> and the layer's own salt.</summary>
    public GaussianNoise(double sigma, long seed = 0, NoiseScale scale = NoiseScale.Absolute)
        : base(nameof(GaussianNoise), NoiseDistribution.Gaussian, sigma, scale, seed) { }
}

/// <summary>Adds U(−√3·s, √3·s) noise (standard deviation s) in training mode; the identity in eval mode and at s = 0.</summary>
public sealed class UniformNoise : NoiseLayer
{
    /// <summary>Noise of standard deviation <paramref name="sigma"/>, drawn from a stream keyed by <paramref name="seed"/> and the layer's own salt.</summary>
    public UniformNoise(double sigma, long seed = 0, NoiseScale scale = NoiseScale.Absolute)
        : base(nameof(UniformNoise), NoiseDistribution.Uniform, sigma, scale, seed) { }
}
