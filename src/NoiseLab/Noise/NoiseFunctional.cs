using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// The functional core of NoiseLab's noise, usable from any training loop: each place of noise as one
/// function over a tensor or a parameter list, with its distribution, level, key and draw passed in,
/// as <c>torch.nn.functional.dropout</c> is to the <c>Dropout</c> module. The layers, hooks, the
/// optimizer wrapper and the Trainer's injectors are thin adapters over these functions.
/// Group (tensor) i of a parameter list at draw d draws from <c>key.WithTensor(i).WithDraw(d)</c>.
/// </summary>
public static class NoiseFunctional
{
    /// <summary>
    /// <paramref name="input"/> plus zero-mean noise of standard deviation <paramref name="sigma"/> (absolute,
    /// or relative to the input's std or RMS), as a new tensor; with <paramref name="training"/> false or at
    /// sigma 0, an alias of the input. Gradients flow through unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not floating-point (token ids: use <see cref="EmbeddingNoiseHook"/>).</exception>
    public static Tensor AddNoise(Tensor input, NoiseDistribution distribution, double sigma, NoiseKey key,
        NoiseScale scale = NoiseScale.Absolute, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        ValidateLevel(sigma);
        if (!training || sigma == 0)
            return input.alias();
        if (!input.is_floating_point())
            throw new ArgumentException($"Noise goes on floating-point tensors, but this one is {input.dtype}; for token ids, put the noise on their embeddings (EmbeddingNoiseHook).", nameof(input));
        float std = scale.StandardDeviationFor(sigma, input);
        using Tensor dense = input.contiguous();
        Tensor output = dense.clone();
        NoiseSampler.Add_(output, distribution, std, key);
        return output;
    }

    /// <summary>
    /// Gradient noise (seed 004, Neelakantan et al.): g ← g + noise on every parameter that has a
    /// gradient, in place. Call it after clipping and before the optimizer step, once per optimizer step.
    /// </summary>
    /// <param name="parameters">The parameters whose <c>grad</c> gets noise; tensor i draws from key (i, <paramref name="draw"/>).</param>
    /// <param name="distribution">Gaussian or uniform.</param>
    /// <param name="sigma">The noise's standard deviation (for <see cref="Schedules.AnnealedSigma"/>, √(η/(1+t)^γ)).</param>
    /// <param name="key">The stream.</param>
    /// <param name="draw">The draw, usually the optimizer step.</param>
    /// <param name="scale">Absolute, or relative to each gradient tensor.</param>
    /// <param name="gradientNorm">The (clipped) gradient's L2 norm if the caller has it; otherwise it is computed.</param>
    /// <returns>σ·√n/‖g‖, the noise's expected norm over the gradient's; NaN when no parameter has a gradient or ‖g‖ is 0.</returns>
    public static double AddGradientNoise(IReadOnlyList<Tensor> parameters, NoiseDistribution distribution, double sigma, NoiseKey key, long draw,
        NoiseScale scale = NoiseScale.Absolute, double? gradientNorm = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ValidateLevel(sigma);
        double norm = gradientNorm ?? Training.GradientNorm.Compute(parameters);
        if (sigma == 0)
            return 0;
        long elements = 0;
        double noiseSquared = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            using Tensor? grad = parameters[i].grad;
            if (grad is null)
                continue;
            float std = scale.StandardDeviationFor(sigma, grad);
            NoiseSampler.Add_(grad, distribution, std, key.WithTensor(i).WithDraw(draw));
            elements += grad.numel();
            noiseSquared += (double)std * std * grad.numel();
        }
        return elements > 0 && norm > 0 ? Math.Sqrt(noiseSquared) / norm : double.NaN;
    }

    /// <summary>
    /// Weight noise, in place and kept (seed 003's "after GD", seed 001's weight noise): w ← w + ξ on the
    /// groups <paramref name="scope"/> picks at <paramref name="step"/>, each from key (group, step).
    /// Call it after the optimizer step. For noise that is taken back after the gradient, use <see cref="WeightPerturber"/>.
    /// </summary>
    /// <returns>The groups perturbed, in order.</returns>
    public static IReadOnlyList<int> AddWeightNoise(IReadOnlyList<Tensor> parameters, NoiseDistribution distribution, double sigma, NoiseKey key, long step,
        PerturbationScope scope = PerturbationScope.All, NoiseScale scale = NoiseScale.Absolute)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ValidateLevel(sigma);
        if (sigma == 0 || parameters.Count == 0)
            return [];
        int[] groups = GroupsAt(parameters.Count, step, scope);
        double perGroup = LevelPerGroup(sigma, parameters.Count, scope);
        using var noGrad = no_grad();
        foreach (int group in groups)
        {
            Tensor p = parameters[group];
            NoiseSampler.Add_(p, distribution, scale.StandardDeviationFor(perGroup, p), key.WithTensor(group).WithDraw(step));
        }
        return groups;
    }

    /// <summary>The groups a weight perturbation of <paramref name="scope"/> touches at <paramref name="step"/>, of <paramref name="groupCount"/>.</summary>
    public static int[] GroupsAt(int groupCount, long step, PerturbationScope scope)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(groupCount);
        if (groupCount == 0)
            return [];
        return scope == PerturbationScope.Layerwise
            ? [(int)(step % groupCount)]
            : [.. Enumerable.Range(0, groupCount)];
    }

    /// <summary>Each group's level: s/√n_groups when all groups share one perturbation, s otherwise.</summary>
    public static double LevelPerGroup(double sigma, int groupCount, PerturbationScope scope) =>
        scope == PerturbationScope.All ? sigma / Math.Sqrt(groupCount) : sigma;

    internal static void ValidateLevel(double sigma)
    {
        if (!(sigma >= 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The noise level sigma must be a finite number >= 0.");
    }
}
