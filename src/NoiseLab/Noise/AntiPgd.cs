using NoiseLab.Training;

namespace NoiseLab.Noise;

/// <summary>
/// Anti-PGD in <see cref="Trainer"/>'s loop: an <see cref="AnticorrelatedPerturbation"/> stepped after each
/// optimizer step, w ← w − lr·g + (ξ_{k+1} − ξ_k) (Orvieto et al. 2022). By default each tensor's last draw
/// is kept in a buffer of its size; with <see cref="RegenerateNoise"/> it is drawn again instead. Both give the same bits.
/// </summary>
public sealed class AntiPgd(NoiseSettings settings, string name = "anti") : NoiseInjector(name, settings), IDisposable
{
    private AnticorrelatedPerturbation? _perturbation;
    private NoiseInjectorState _pending = NoiseInjectorState.Empty;

    /// <summary>Draw ξ_k again to subtract it instead of keeping it: no parameter-sized buffers, two draws per step.</summary>
    public bool RegenerateNoise { get; init; }

    /// <inheritdoc />
    public override NoiseInjectorState CaptureState() => _perturbation?.CaptureState() ?? _pending;

    /// <inheritdoc />
    public override void RestoreState(NoiseInjectorState state)
    {
        base.RestoreState(state);
        _pending = state;
        _perturbation?.RestoreState(state);
    }

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        base.OnTrainStart(context);
        Dispose();
        _perturbation = new AnticorrelatedPerturbation(context.Parameters, Settings.Distribution, Key, Settings.Scale, RegenerateNoise);
        _perturbation.RestoreState(_pending);
    }

    /// <inheritdoc />
    public override void OnAfterOptimizerStep(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double sigma = BeginStep(context);
        if (!context.Model.training)
            return;
        _perturbation!.Step(context.Step, sigma);
        if (RecordDraws)
        {
            foreach (NoiseDraw draw in _perturbation.NoiseInWeights())
                RecordDraw(draw);
        }
    }

    /// <summary>Frees the buffers of the last draw.</summary>
    public void Dispose()
    {
        _perturbation?.Dispose();
        _perturbation = null;
    }
}
