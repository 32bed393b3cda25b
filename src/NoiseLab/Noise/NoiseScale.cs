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
