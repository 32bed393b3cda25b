using NoiseLab.Noise.Schedules;
using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>The three orthogonal choices every injector makes: distribution, schedule and scale.</summary>
/// <param name="Distribution">Gaussian or uniform (both with standard deviation s).</param>
/// <param name="Schedule">s as a function of step and epoch.</param>
/// <param name="Scale">Absolute, or relative to the perturbed tensor's std or RMS.</param>
public sealed record NoiseSettings(NoiseDistribution Distribution, SigmaSchedule Schedule, NoiseScale Scale = NoiseScale.Absolute)
{
    /// <summary>Gaussian noise with a constant absolute sigma.</summary>
    public static NoiseSettings Gaussian(double sigma) => new(NoiseDistribution.Gaussian, new ConstantSigma(sigma));

    /// <summary>Uniform noise with a constant absolute sigma.</summary>
    public static NoiseSettings Uniform(double sigma) => new(NoiseDistribution.Uniform, new ConstantSigma(sigma));

    /// <summary>The standard deviation to draw with for <paramref name="target"/>, given the schedule's <paramref name="sigma"/>.</summary>
    public float EffectiveSigma(double sigma, Tensor target) => Scale.StandardDeviationFor(sigma, target);
}
