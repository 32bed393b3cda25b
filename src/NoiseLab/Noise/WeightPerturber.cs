using NoiseLab.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Perturbed gradient descent for any training loop (seed 003's "before GD"): <see cref="Apply"/> adds
/// ξ to the weights, the caller runs forward and backward at w + ξ, and disposing the returned
/// <see cref="Restoration"/> (or calling <see cref="Restore"/>) puts w back bit for bit, so the optimizer
/// steps from w with the gradient taken at w + ξ. The restore buffers are allocated once, here: a step
/// only copies. Nothing is perturbed while the model is in eval mode.
/// </summary>
/// <example>
/// <code>
/// using var perturber = new WeightPerturber(model, NoiseDistribution.Gaussian, NoiseKey.ForInjector(seed, "perturb"), PerturbationScope.Layerwise);
/// optimizer.zero_grad();
/// using (perturber.Apply(step, sigma: 0.003, batchNormInputs: x))
///     loss(model.call(x), y).backward();
/// optimizer.step();
/// </code>
/// </example>
public sealed class WeightPerturber : IDisposable
{
    private readonly nn.Module _model;
    private readonly Tensor[] _saved;
    private readonly IReadOnlyList<Tensor> _modelBuffers;
    private readonly Tensor[] _savedBuffers;
    private int[] _perturbedGroups = [];
    private bool _disposed;

    /// <summary>Prepares perturbations of <paramref name="model"/>'s trainable parameters.</summary>
    /// <param name="model">The model; its trainable parameters, in order, are the groups.</param>
    /// <param name="distribution">Gaussian or uniform.</param>
    /// <param name="key">The stream; group i at step t draws from key (i, t).</param>
    /// <param name="scope">All groups with s/√n, or one group per step.</param>
    /// <param name="scale">Absolute, or relative to each weight tensor.</param>
    /// <param name="batchNorm">What happens to batch-norm running statistics written by the perturbed pass.</param>
    public WeightPerturber(nn.Module model, NoiseDistribution distribution, NoiseKey key, PerturbationScope scope = PerturbationScope.All,
        NoiseScale scale = NoiseScale.Absolute, BatchNormDuringPerturbation batchNorm = BatchNormDuringPerturbation.CleanPass)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        Distribution = distribution;
        Key = key;
        Scope = scope;
        Scale = scale;
        BatchNorm = batchNorm;
        Parameters = [.. model.parameters().Where(p => p.requires_grad)];
        using (no_grad())
        {
            _saved = [.. Parameters.Select(p => empty_like(p))];
            _modelBuffers = [.. model.buffers()];
            _savedBuffers = [.. _modelBuffers.Select(b => empty_like(b))];
        }
    }

    /// <summary>The groups: the model's trainable parameters, in order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Gaussian or uniform.</summary>
    public NoiseDistribution Distribution { get; }

    /// <summary>The stream the perturbations draw from; the Trainer sets it from the run seed.</summary>
    public NoiseKey Key { get; set; }

    /// <summary>All groups, or one per step.</summary>
    public PerturbationScope Scope { get; }

    /// <summary>Absolute, or relative to each weight tensor.</summary>
    public NoiseScale Scale { get; }

    /// <summary>Batch-norm statistics handling.</summary>
    public BatchNormDuringPerturbation BatchNorm { get; }

    /// <summary>The groups perturbed by the last <see cref="Apply"/>, in order; empty once restored with nothing applied.</summary>
    public IReadOnlyList<int> LastPerturbedGroups { get; private set; } = [];

    /// <summary>Whether the weights now hold a perturbation that <see cref="Restore"/> will take back.</summary>
    public bool IsApplied => _perturbedGroups.Length > 0;

    /// <summary>
    /// Adds this step's perturbation at level <paramref name="sigma"/> (nothing in eval mode or at 0). The
    /// batch-norm statistics are saved first, so that <see cref="Restore"/> can undo what the perturbed pass writes.
    /// </summary>
    /// <param name="step">The optimizer step: the draw, and the group for <see cref="PerturbationScope.Layerwise"/>.</param>
    /// <param name="sigma">The level (s; each group gets s/√n with <see cref="PerturbationScope.All"/>).</param>
    /// <param name="batchNormInputs">The batch for the clean pass that refreshes batch-norm statistics when the restoration is disposed; null skips it.</param>
    /// <exception cref="InvalidOperationException">A perturbation is still applied.</exception>
    public Restoration Apply(long step, double sigma, Tensor? batchNormInputs = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NoiseFunctional.ValidateLevel(sigma);
        if (IsApplied)
            throw new InvalidOperationException("The weights still hold the last perturbation; restore it (dispose the restoration) before applying the next.");
        using var noGrad = no_grad();
        for (int i = 0; i < _modelBuffers.Count; i++)
            _savedBuffers[i].copy_(_modelBuffers[i]);
        LastPerturbedGroups = _perturbedGroups = !_model.training || sigma == 0
            ? []
            : NoiseFunctional.GroupsAt(Parameters.Count, step, Scope);
        double perGroup = NoiseFunctional.LevelPerGroup(sigma, Parameters.Count, Scope);
        foreach (int group in _perturbedGroups)
        {
            Parameter p = Parameters[group];
            // The save copy and the perturbation in one pass over the weights.
            NoiseSampler.SaveAndAdd_(p, _saved[group], Distribution, Scale.StandardDeviationFor(perGroup, p), Key.WithTensor(group).WithDraw(step));
        }
        return new Restoration(this, batchNormInputs);
    }

    /// <summary>
    /// Puts the perturbed groups back exactly; with <see cref="BatchNormDuringPerturbation.CleanPass"/> and a model
    /// that has buffers, undoes what the perturbed pass wrote into them and runs <paramref name="batchNormInputs"/>
    /// (when given) through the restored model without gradients to update them cleanly. Does nothing when nothing is applied.
    /// </summary>
    public void Restore(Tensor? batchNormInputs = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsApplied)
            return;
        using var noGrad = no_grad();
        foreach (int group in _perturbedGroups)
            Parameters[group].copy_(_saved[group]);
        _perturbedGroups = [];
        if (_modelBuffers.Count == 0 || BatchNorm != BatchNormDuringPerturbation.CleanPass)
            return;
        for (int i = 0; i < _modelBuffers.Count; i++)
            _modelBuffers[i].copy_(_savedBuffers[i]);
        if (batchNormInputs is not null && _model is nn.Module<Tensor, Tensor> forward)
        {
            using var scope = NewDisposeScope();
            forward.call(batchNormInputs);
        }
    }

    /// <summary>Frees the restore buffers; a perturbation still applied stays in the weights.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        foreach (Tensor t in _saved.Concat(_savedBuffers))
            t.Dispose();
        _disposed = true;
    }

    /// <summary>Takes the perturbation back when disposed (<see cref="Restore"/>), for a <c>using</c> block around forward and backward.</summary>
    public readonly struct Restoration : IDisposable
    {
        private readonly WeightPerturber? _owner;
        private readonly Tensor? _batchNormInputs;

        internal Restoration(WeightPerturber owner, Tensor? batchNormInputs) => (_owner, _batchNormInputs) = (owner, batchNormInputs);

        /// <summary>Restores the weights.</summary>
        public void Dispose() => _owner?.Restore(_batchNormInputs);
    }
}
