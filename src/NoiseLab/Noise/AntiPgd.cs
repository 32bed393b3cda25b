using NoiseLab.Randomness;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Anti-PGD (Orvieto et al., "Anticorrelated noise injection for improved generalization", 2022):
/// w ← w − lr·g + (ξ_{k+1} − ξ_k). The increments telescope, so after k steps the net perturbation
/// is ξ_k alone. ξ_k is never stored: it is regenerated from its key and subtracted, which needs
/// only the level each tensor used at the previous step.
/// </summary>
public sealed class AntiPgd(NoiseSettings settings, string name = "anti") : NoiseInjector(name, settings)
{
    private float[] _previousSigma = [];
    private long _previousDraw = -1;

    /// <inheritdoc />
    public override NoiseInjectorState CaptureState() => new(PreviousDraw: _previousDraw, PreviousSigmas: [.. _previousSigma]);

    /// <inheritdoc />
    public override void RestoreState(NoiseInjectorState state)
    {
        base.RestoreState(state);
        _previousDraw = state.PreviousDraw;
        _previousSigma = [.. state.PreviousSigmas ?? []];
    }

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        base.OnTrainStart(context);
        if (_previousSigma.Length != context.Parameters.Count)
            (_previousDraw, _previousSigma) = (-1, new float[context.Parameters.Count]);
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
            if (_previousDraw >= 0)
                NoiseSampler.Subtract_(p, Settings.Distribution, _previousSigma[i], Key.WithTensor(i).WithDraw(_previousDraw));
            _previousSigma[i] = Settings.EffectiveSigma(sigma, p);
            NoiseSampler.Add_(p, Settings.Distribution, _previousSigma[i], Key.WithTensor(i).WithDraw(context.Step));
        }
        _previousDraw = context.Step;
    }
}
