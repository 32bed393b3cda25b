namespace NoiseLab.Examples;

/// <summary>Which noise a <see cref="PlainLoop"/> uses, each place off (null) or at a constant level.</summary>
public sealed record LoopNoise
{
    /// <summary>Gaussian noise on each batch's inputs (functional form).</summary>
    public double? Input { get; init; }

    /// <summary>Gaussian noise on the gradients after clipping, through <see cref="Noise.GradientNoiseOptimizer"/>.</summary>
    public double? Gradient { get; init; }

    /// <summary>Gaussian weight noise added after each optimizer step and kept.</summary>
    public double? KeptWeight { get; init; }

    /// <summary>Perturbed gradient descent: weights perturbed before the gradient and restored before the step.</summary>
    public double? BeforeGradient { get; init; }

    /// <summary>Before-gradient perturbation on one layer per step instead of all layers with σ/√n.</summary>
    public bool Layerwise { get; init; }

    /// <summary>Anti-PGD's anticorrelated weight noise after each optimizer step.</summary>
    public double? AntiPgd { get; init; }

    /// <summary>NEFTune's α for noise on a token model's embeddings, through a forward hook.</summary>
    public double? Embedding { get; init; }
}
