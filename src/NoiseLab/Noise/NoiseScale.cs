using NoiseLab.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// What sigma is measured against. Relative scales make one sigma fit data of any range (seed 000's
/// warning: a sigma of 0.1 is tiny for pixels in [0, 255] and large for pixels in [0, 1]).
/// </summary>
public enum NoiseScale
{
    /// <summary>s is the noise's standard deviation.</summary>
    Absolute,

    /// <summary>The standard deviation is s times the standard deviation of the tensor perturbed (per batch for inputs and activations, per tensor for weights).</summary>
    RelativeToStd,

    /// <summary>The standard deviation is s times the root mean square of the tensor perturbed.</summary>
    RelativeToRms,
}

/// <summary>What a <see cref="NoiseScale"/> makes of a level.</summary>
public static class NoiseScaleExtensions
{
    /// <summary>The standard deviation to draw with for <paramref name="target"/> at level <paramref name="sigma"/>.</summary>
    public static float StandardDeviationFor(this NoiseScale scale, double sigma, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (scale == NoiseScale.Absolute || sigma == 0)
            return (float)sigma;
        using var noGrad = no_grad();
        // A scope holds the intermediate tensors while libtorch reads them, also in a caller's loop without one.
        using var scope = NewDisposeScope();
        Tensor measure = scale == NoiseScale.RelativeToStd
            ? target.std()
            : target.pow(ScalarConstants.Two).mean().sqrt();
        return (float)(sigma * measure.ToDoubleHeld());
    }
}
