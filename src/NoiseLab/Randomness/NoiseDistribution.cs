namespace NoiseLab.Randomness;

/// <summary>The shape of the noise. Both have mean 0 and standard deviation equal to the sigma asked for.</summary>
public enum NoiseDistribution
{
    /// <summary>Normal N(0, s²).</summary>
    Gaussian,

    /// <summary>Uniform U(−a, a) with a = √3·s, whose standard deviation is s (seed 002).</summary>
    Uniform,
}
