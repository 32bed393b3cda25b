using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Anti-PGD's noise for any training loop (Orvieto et al., "Anticorrelated noise injection for improved
/// generalization", 2022): after each optimizer step, <see cref="Step"/> adds ξ_{k+1} − ξ_k to the weights,
/// so w ← w − lr·g + (ξ_{k+1} − ξ_k). The increments telescope: after k steps the net perturbation is ξ_k.
/// By default each tensor's last draw is kept in a buffer of its size, so a step draws once; with
/// <c>regenerateNoise</c> nothing is kept and ξ_k is drawn again from its key to be subtracted (no extra
/// memory, twice the drawing). Both give the same bits. Carry <see cref="CaptureState"/> across a checkpoint.
/// </summary>
public sealed class AnticorrelatedPerturbation : IDisposable
{
    private readonly Tensor[] _previousNoise;
    private float[] _previousSigma;
    private long _previousDraw = -1;
    private bool _previousNoiseHeld;

    /// <summary>Prepares the perturbation of <paramref name="parameters"/> (tensor i draws from key (i, step)).</summary>
    /// <param name="parameters">The weights, in a fixed order.</param>
    /// <param name="distribution">Gaussian or uniform.</param>
    /// <param name="key">The stream.</param>
    /// <param name="scale">Absolute, or relative to each weight tensor.</param>
    /// <param name="regenerateNoise">Draw ξ_k again instead of keeping it: no parameter-sized buffers, two draws per step.</param>
    public AnticorrelatedPerturbation(IReadOnlyList<Tensor> parameters, NoiseDistribution distribution, NoiseKey key,
        NoiseScale scale = NoiseScale.Absolute, bool regenerateNoise = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        Distribution = distribution;
        Key = key;
        Scale = scale;
        RegenerateNoise = regenerateNoise;
        _previousSigma = new float[Parameters.Count];
        using (no_grad())
            _previousNoise = regenerateNoise ? [] : [.. Parameters.Select(p => empty_like(p))];
    }

    /// <summary>The weights.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Gaussian or uniform.</summary>
    public NoiseDistribution Distribution { get; }

    /// <summary>The stream.</summary>
    public NoiseKey Key { get; }

    /// <summary>Absolute, or relative to each weight tensor.</summary>
    public NoiseScale Scale { get; }

    /// <summary>Whether ξ_k is drawn again rather than kept.</summary>
    public bool RegenerateNoise { get; }

    /// <summary>
    /// Replaces ξ_k in the weights by ξ_{k+1}, drawn at level <paramref name="sigma"/> from draw <paramref name="step"/>;
    /// call it after the optimizer step. At level 0 it only takes ξ_k out.
    /// </summary>
    public void Step(long step, double sigma)
    {
        NoiseFunctional.ValidateLevel(sigma);
        using var noGrad = no_grad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            Tensor p = Parameters[i];
            NoiseKey previous = Key.WithTensor(i).WithDraw(_previousDraw), next = Key.WithTensor(i).WithDraw(step);
            if (RegenerateNoise)
            {
                if (_previousDraw >= 0)
                    NoiseSampler.Subtract_(p, Distribution, _previousSigma[i], previous);
                _previousSigma[i] = Scale.StandardDeviationFor(sigma, p);
                NoiseSampler.Add_(p, Distribution, _previousSigma[i], next);
                continue;
            }
            // p − σ'ξ' then + σξ: the same two roundings as the regenerating path.
            Tensor noise = _previousNoise[i];
            bool takeOut = _previousDraw >= 0 && _previousSigma[i] != 0;
            if (takeOut && !_previousNoiseHeld)
                NoiseSampler.Fill_(noise, Distribution, _previousSigma[i], previous);
            if (takeOut && Scale == NoiseScale.Absolute && sigma != 0)
            {
                // One pass takes ξ' out, puts ξ in and keeps it; a relative level is measured on w without ξ', so it cannot.
                _previousSigma[i] = (float)sigma;
                NoiseSampler.Exchange_(p, noise, Distribution, _previousSigma[i], next);
                continue;
            }
            if (takeOut)
                p.sub_(noise);
            _previousSigma[i] = Scale.StandardDeviationFor(sigma, p);
            if (_previousSigma[i] != 0)
                NoiseSampler.AddKeeping_(p, noise, Distribution, _previousSigma[i], next);
        }
        _previousDraw = step;
        _previousNoiseHeld = true;
    }

    /// <summary>The ξ now in the weights, one draw per tensor (none before the first step, or at level 0), to be drawn again.</summary>
    public IReadOnlyList<NoiseDraw> NoiseInWeights() => _previousDraw < 0 ? []
        : [.. Enumerable.Range(0, Parameters.Count).Where(i => _previousSigma[i] != 0)
            .Select(i => new NoiseDraw(Parameters[i].numel(), Distribution, _previousSigma[i], Key.WithTensor(i).WithDraw(_previousDraw)))];

    /// <summary>Which ξ is in the weights and at what level: what a checkpoint must carry to continue exactly.</summary>
    public NoiseInjectorState CaptureState() => new(PreviousDraw: _previousDraw, PreviousSigmas: [.. _previousSigma]);

    /// <summary>Continues from a <see cref="CaptureState"/> of a perturbation of the same parameters.</summary>
    /// <exception cref="ArgumentException">The state is of another number of tensors.</exception>
    public void RestoreState(NoiseInjectorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        float[] sigmas = [.. state.PreviousSigmas ?? []];
        if (state.PreviousDraw >= 0 && sigmas.Length != Parameters.Count)
            throw new ArgumentException($"The saved Anti-PGD state is of {sigmas.Length} tensors, but this perturbation has {Parameters.Count}.", nameof(state));
        _previousDraw = state.PreviousDraw;
        _previousSigma = sigmas.Length == Parameters.Count ? sigmas : new float[Parameters.Count];
        // A checkpoint holds the key of ξ_k, not ξ_k: the buffers are refilled from it at the next step.
        _previousNoiseHeld = false;
    }

    /// <summary>Frees the buffers of the last draw.</summary>
    public void Dispose()
    {
        foreach (Tensor t in _previousNoise)
            t.Dispose();
        _previousNoiseHeld = false;
    }
}
