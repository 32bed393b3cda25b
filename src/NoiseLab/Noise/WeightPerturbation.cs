using NoiseLab.Randomness;
using NoiseLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>When a weight perturbation is added and whether it is taken back.</summary>
public enum PerturbationTiming
{
    /// <summary>
    /// Perturbed gradient descent, seed 003's "before GD": w + ξ at step start, forward and backward
    /// there, w restored exactly (bit for bit, from a buffer allocated once) after backward, and the
    /// optimizer steps from w with the gradient taken at w + ξ.
    /// </summary>
    BeforeGradient,

    /// <summary>Plain weight noise, seed 003's "after GD" and seed 001's weight noise: w ← w + ξ after the optimizer step, kept.</summary>
    Kept,
}

/// <summary>What happens to batch-norm running statistics during a perturbed forward pass.</summary>
public enum BatchNormDuringPerturbation
{
    /// <summary>
    /// Default: the statistics the perturbed pass wrote are undone, and a forward pass without
    /// gradients at the restored weights updates them from the same batch (one extra forward, only
    /// for models that have such buffers).
    /// </summary>
    CleanPass,

    /// <summary>Keep what the perturbed pass wrote (seed 003's code does this).</summary>
    Perturbed,
}

/// <summary>
/// Noise on the weights: perturbed gradient descent (<see cref="PerturbationTiming.BeforeGradient"/>)
/// or weight noise that stays (<see cref="PerturbationTiming.Kept"/>), on all parameter groups or one
/// per step (<see cref="PerturbationScope"/>). Group i at step t draws from key (tensor i, draw t).
/// </summary>
public sealed class WeightPerturbation : NoiseInjector, IDisposable
{
    private Tensor[] _saved = [];
    private Tensor[] _savedBuffers = [];
    private IReadOnlyList<Tensor> _modelBuffers = [];
    private int[] _perturbedGroups = [];

    /// <summary>Creates the injector; <paramref name="name"/> defaults to "perturb" before the gradient and "weight" when kept.</summary>
    public WeightPerturbation(NoiseSettings settings, PerturbationTiming timing, PerturbationScope scope = PerturbationScope.All,
        BatchNormDuringPerturbation batchNorm = BatchNormDuringPerturbation.CleanPass, string? name = null)
        : base(name ?? (timing == PerturbationTiming.Kept ? "weight" : "perturb"), settings)
    {
        Timing = timing;
        Scope = scope;
        BatchNorm = batchNorm;
    }

    /// <summary>Before the gradient (restored) or kept.</summary>
    public PerturbationTiming Timing { get; }

    /// <summary>All groups, or one per step.</summary>
    public PerturbationScope Scope { get; }

    /// <summary>Batch-norm statistics handling for <see cref="PerturbationTiming.BeforeGradient"/>.</summary>
    public BatchNormDuringPerturbation BatchNorm { get; }

    /// <summary>The groups perturbed at the last step, in order (for inspection and tests).</summary>
    public IReadOnlyList<int> LastPerturbedGroups => _perturbedGroups;

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        base.OnTrainStart(context);
        if (Timing != PerturbationTiming.BeforeGradient)
            return;
        // One restore buffer per parameter, allocated once for the run: the hot path only copies.
        Dispose();
        using (no_grad())
        {
            _saved = [.. context.Parameters.Select(p => empty_like(p))];
            _modelBuffers = [.. context.Model.buffers()];
            _savedBuffers = [.. _modelBuffers.Select(b => empty_like(b))];
        }
    }

    /// <inheritdoc />
    public override void OnStepStart(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Timing != PerturbationTiming.BeforeGradient)
            return;
        using (no_grad())
        {
            for (int i = 0; i < _modelBuffers.Count; i++)
                _savedBuffers[i].copy_(_modelBuffers[i]);
        }
        PerturbThisStep(context, save: true);
    }

    /// <inheritdoc />
    public override void OnAfterBackward(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Timing != PerturbationTiming.BeforeGradient || _perturbedGroups.Length == 0)
            return;
        using (no_grad())
        {
            foreach (int group in _perturbedGroups)
                context.Parameters[group].copy_(_saved[group]);
            if (_modelBuffers.Count > 0 && BatchNorm == BatchNormDuringPerturbation.CleanPass)
            {
                for (int i = 0; i < _modelBuffers.Count; i++)
                    _modelBuffers[i].copy_(_savedBuffers[i]);
                using var scope = NewDisposeScope();
                context.Model.call(context.Inputs!);
            }
        }
    }

    /// <inheritdoc />
    public override void OnAfterOptimizerStep(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Timing == PerturbationTiming.Kept)
            PerturbThisStep(context, save: false);
    }

    private void PerturbThisStep(TrainingContext context, bool save)
    {
        double sigma = BeginStep(context);
        _perturbedGroups = [];
        if (!context.Model.training || sigma == 0)
            return;
        using var noGrad = no_grad();
        IReadOnlyList<Parameter> parameters = context.Parameters;
        int groups = parameters.Count;
        _perturbedGroups = Scope == PerturbationScope.All
            ? [.. Enumerable.Range(0, groups)]
            : [(int)(context.Step % groups)];
        double perGroup = Scope == PerturbationScope.All ? sigma / Math.Sqrt(groups) : sigma;
        foreach (int group in _perturbedGroups)
        {
            Parameter p = parameters[group];
            if (save)
                _saved[group].copy_(p);
            float effective = Settings.EffectiveSigma(perGroup, p);
            NoiseSampler.Add_(p, Settings.Distribution, effective, Key.WithTensor(group).WithDraw(context.Step));
        }
    }

    /// <summary>Frees the restore buffers.</summary>
    public void Dispose()
    {
        foreach (Tensor t in _saved.Concat(_savedBuffers))
            t.Dispose();
        _saved = [];
        _savedBuffers = [];
    }
}
