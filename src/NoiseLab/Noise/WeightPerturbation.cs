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
/// Noise on the weights in <see cref="Training.Trainer"/>'s loop: perturbed gradient descent
/// (<see cref="PerturbationTiming.BeforeGradient"/>, through a <see cref="WeightPerturber"/>) or weight
/// noise that stays (<see cref="PerturbationTiming.Kept"/>, <see cref="NoiseFunctional.AddWeightNoise"/>),
/// on all parameter groups or one per step (<see cref="PerturbationScope"/>). Group i at step t draws
/// from key (tensor i, draw t).
/// </summary>
public sealed class WeightPerturbation : NoiseInjector, IDisposable
{
    private WeightPerturber? _perturber;
    private IReadOnlyList<int> _keptGroups = [];

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
    public IReadOnlyList<int> LastPerturbedGroups => Timing == PerturbationTiming.Kept ? _keptGroups : _perturber?.LastPerturbedGroups ?? [];

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        base.OnTrainStart(context);
        if (Timing != PerturbationTiming.BeforeGradient)
            return;
        // One restore buffer per parameter, allocated once for the run: the hot path only copies.
        Dispose();
        _perturber = new WeightPerturber(context.Model, Settings.Distribution, Key, Scope, Settings.Scale, BatchNorm);
    }

    /// <inheritdoc />
    public override void OnStepStart(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Timing != PerturbationTiming.BeforeGradient)
            return;
        double sigma = BeginStep(context);
        if (RecordDraws && context.Model.training)
            RecordWeightDraws(context.Parameters, sigma, context.Step);
        _perturber!.Apply(context.Step, sigma);
    }

    /// <inheritdoc />
    public override void OnAfterBackward(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Timing == PerturbationTiming.BeforeGradient)
            _perturber!.Restore(context.Inputs);
    }

    /// <inheritdoc />
    public override void OnAfterOptimizerStep(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Timing != PerturbationTiming.Kept)
            return;
        double sigma = BeginStep(context);
        if (RecordDraws && context.Model.training)
            RecordWeightDraws(context.Parameters, sigma, context.Step);
        _keptGroups = context.Model.training
            ? NoiseFunctional.AddWeightNoise(context.Parameters, Settings.Distribution, sigma, Key, context.Step, Scope, Settings.Scale)
            : [];
    }

    // What the perturbation is about to draw: each group the scope picks, from key (group, step), at its share of the level.
    private void RecordWeightDraws(IReadOnlyList<Parameter> parameters, double sigma, long step)
    {
        double perGroup = NoiseFunctional.LevelPerGroup(sigma, parameters.Count, Scope);
        foreach (int group in NoiseFunctional.GroupsAt(parameters.Count, step, Scope))
            RecordDraw(parameters[group].numel(), Settings.EffectiveSigma(perGroup, parameters[group]), Key.WithTensor(group).WithDraw(step));
    }

    /// <summary>Frees the restore buffers.</summary>
    public void Dispose()
    {
        _perturber?.Dispose();
        _perturber = null;
    }
}
