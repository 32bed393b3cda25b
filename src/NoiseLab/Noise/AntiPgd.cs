using NoiseLab.Randomness;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Anti-PGD (Orvieto et al., "Anticorrelated noise injection for improved generalization", 2022):
/// w ← w − lr·g + (ξ_{k+1} − ξ_k). The increments telescope, so after k steps the net perturbation
/// is ξ_k alone. By default each tensor's last draw is kept in a buffer of its size, so a step draws
/// once; with <see cref="RegenerateNoise"/> nothing is kept and ξ_k is drawn again from its key to be
/// subtracted (no extra memory, twice the drawing). Both give the same bits.
/// </summary>
public sealed class AntiPgd(NoiseSettings settings, string name = "anti") : NoiseInjector(name, settings), IDisposable
{
    private float[] _previousSigma = [];
    private long _previousDraw = -1;
    private Tensor[] _previousNoise = [];
    private bool _previousNoiseHeld;

    /// <summary>Draw ξ_k again to subtract it instead of keeping it: no parameter-sized buffers, two draws per step.</summary>
    public bool RegenerateNoise { get; init; }

    /// <inheritdoc />
    public override NoiseInjectorState CaptureState() => new(PreviousDraw: _previousDraw, PreviousSigmas: [.. _previousSigma]);

    /// <inheritdoc />
    public override void RestoreState(NoiseInjectorState state)
    {
        base.RestoreState(state);
        _previousDraw = state.PreviousDraw;
        _previousSigma = [.. state.PreviousSigmas ?? []];
        // A checkpoint holds the key of ξ_k, not ξ_k: the buffers are refilled from it at the next step.
        _previousNoiseHeld = false;
    }

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        base.OnTrainStart(context);
        if (_previousSigma.Length != context.Parameters.Count)
            (_previousDraw, _previousSigma) = (-1, new float[context.Parameters.Count]);
        if (RegenerateNoise)
            return;
        Dispose();
        using (no_grad())
            _previousNoise = [.. context.Parameters.Select(p => empty_like(p))];
    }

    /// <inheritdoc />
    public override void OnAfterOptimizerStep(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double sigma = BeginStep(context);
        if (!context.Model.training)
            return;
        using var noGrad = no_grad();
        for (int i = 0; i < context.Parameters.Count; i++)
        {
            Tensor p = context.Parameters[i];
            NoiseKey previous = Key.WithTensor(i).WithDraw(_previousDraw), next = Key.WithTensor(i).WithDraw(context.Step);
            if (RegenerateNoise)
            {
                if (_previousDraw >= 0)
                    NoiseSampler.Subtract_(p, Settings.Distribution, _previousSigma[i], previous);
                _previousSigma[i] = Settings.EffectiveSigma(sigma, p);
                NoiseSampler.Add_(p, Settings.Distribution, _previousSigma[i], next);
                continue;
            }
            // p − σ'ξ' then + σξ: the same two roundings as the regenerating path.
            Tensor noise = _previousNoise[i];
            if (_previousDraw >= 0 && _previousSigma[i] != 0)
            {
                if (!_previousNoiseHeld)
                    NoiseSampler.Fill_(noise, Settings.Distribution, _previousSigma[i], previous);
                p.sub_(noise);
            }
            _previousSigma[i] = Settings.EffectiveSigma(sigma, p);
            if (_previousSigma[i] != 0)
            {
                NoiseSampler.Fill_(noise, Settings.Distribution, _previousSigma[i], next);
                p.add_(noise);
            }
        }
        _previousDraw = context.Step;
        _previousNoiseHeld = true;
    }

    /// <summary>Frees the buffers of the last draw.</summary>
    public void Dispose()
    {
        foreach (Tensor t in _previousNoise)
            t.Dispose();
        _previousNoise = [];
        _previousNoiseHeld = false;
    }
}
