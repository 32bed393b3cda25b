using NoiseLab.Randomness;
using NoiseLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Wraps any TorchSharp optimizer so that gradient noise happens inside <see cref="step"/>, in the
/// stages Opacus names: <see cref="ClipGradients"/> (optional, the whole gradient to an L2 norm),
/// <see cref="AddGradientNoise"/> (g ← clip(g) + noise at the schedule's level for this step), then the
/// wrapped optimizer's step. A training loop keeps calling <c>zero_grad()</c>, <c>backward()</c> and
/// <c>step()</c>; learning-rate schedulers see the wrapped optimizer's parameter groups. Step t (counted
/// from 0) draws tensor i's noise from key (i, t), as the Trainer's <see cref="GradientNoise"/> does.
/// </summary>
/// <example>
/// <code>
/// var optimizer = new GradientNoiseOptimizer(torch.optim.SGD(model.parameters(), 0.01),
///     new NoiseSettings(NoiseDistribution.Gaussian, new AnnealedSigma(eta: 0.01)), NoiseKey.ForInjector(seed, "gradient"), maxGradNorm: 10);
/// </code>
/// </example>
public sealed class GradientNoiseOptimizer : optim.Optimizer
{
    private const string StateMagic = "NoiseLab.GradientNoiseOptimizer/1";
    private readonly optim.Optimizer _inner;
    private readonly Parameter[] _parameters;

    /// <summary>Wraps <paramref name="optimizer"/>; the wrapper does not own it (dispose it yourself).</summary>
    /// <param name="optimizer">The optimizer that steps the weights.</param>
    /// <param name="settings">Distribution, schedule (read at the step count and <see cref="Epoch"/>) and scale of the noise.</param>
    /// <param name="key">The stream.</param>
    /// <param name="maxGradNorm">Clip the whole gradient to this L2 norm before the noise; null: no clipping.</param>
    /// <exception cref="ArgumentNullException">The optimizer or the settings are null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The clipping norm is not a positive finite number.</exception>
    public GradientNoiseOptimizer(optim.Optimizer optimizer, NoiseSettings settings, NoiseKey key, double? maxGradNorm = null) : base(IntPtr.Zero)
    {
        _inner = optimizer ?? throw new ArgumentNullException(nameof(optimizer), "GradientNoiseOptimizer needs the optimizer to wrap (e.g. torch.optim.SGD(model.parameters(), 0.1)), but it was given null.");
        Settings = settings ?? throw new ArgumentNullException(nameof(settings), "GradientNoiseOptimizer needs the noise settings (distribution, schedule, scale), but it was given null.");
        if (maxGradNorm is double norm && !(norm > 0 && double.IsFinite(norm)))
            throw new ArgumentOutOfRangeException(nameof(maxGradNorm), maxGradNorm, "The clipping norm must be a positive finite number (or null for no clipping).");
        Key = key;
        MaxGradNorm = maxGradNorm;
        _parameters = [.. optimizer.parameters()];
    }

    /// <summary>The optimizer that steps the weights.</summary>
    public optim.Optimizer Inner => _inner;

    /// <summary>Distribution, schedule and scale of the noise.</summary>
    public NoiseSettings Settings { get; }

    /// <summary>The stream.</summary>
    public NoiseKey Key { get; }

    /// <summary>The clipping norm, or null.</summary>
    public double? MaxGradNorm { get; }

    /// <summary>Steps taken so far: the schedule's t and the draw of the next step's noise.</summary>
    public long Steps { get; private set; }

    /// <summary>The epoch, counted from 0, the schedule is read at (for per-epoch schedules); set it from your loop.</summary>
    public int Epoch { get; set; }

    /// <summary>The level the next step will add.</summary>
    public double Sigma => Settings.Schedule.At(Steps, Epoch);

    /// <summary>The whole gradient's L2 norm before clipping, at the last step.</summary>
    public double LastGradientNorm { get; private set; }

    /// <summary>σ·√n/‖g‖ at the last step (the noise's expected norm over the clipped gradient's); NaN when no noise was added.</summary>
    public double LastNoiseToGradient { get; private set; } = double.NaN;

    /// <summary>Stage 1: clips the whole gradient to <see cref="MaxGradNorm"/> (when set) and returns the norm it had.</summary>
    public double ClipGradients() => LastGradientNorm = MaxGradNorm is double max
        ? GradientNorm.Clip(_parameters, max)
        : GradientNorm.Compute(_parameters);

    /// <summary>Stage 2: adds this step's noise to the gradients; returns σ·√n/‖g‖.</summary>
    public double AddGradientNoise()
    {
        double clipped = GradientNorm.AfterClipping(LastGradientNorm, MaxGradNorm);
        return LastNoiseToGradient = NoiseFunctional.AddGradientNoise(_parameters, Settings.Distribution, Sigma, Key, Steps, Settings.Scale, clipped);
    }

    /// <summary>Clips, adds the noise and steps the wrapped optimizer. A closure, when given, is evaluated first (with gradients) to compute them.</summary>
    public override Tensor step(Func<Tensor>? closure = null)
    {
        Tensor? loss = null;
        if (closure is not null)
        {
            using var enable = enable_grad();
            loss = closure();
        }
        ClipGradients();
        AddGradientNoise();
        _inner.step();
        Steps++;
        return loss!;
    }

    /// <inheritdoc />
    public override void zero_grad() => _inner.zero_grad();

    /// <inheritdoc />
    public override IEnumerable<Parameter> parameters() => _parameters;

    /// <inheritdoc />
    public override IEnumerable<optim.ILearningRateController> ParamGroups => _inner.ParamGroups;

    /// <summary>Writes the noise state (steps, epoch) and the wrapped optimizer's state, so a resumed loop continues the same stream.</summary>
    /// <exception cref="InvalidOperationException">The wrapped optimizer's state cannot be saved (it is not one of TorchSharp's managed optimizers).</exception>
    public void save_state_dict(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateMagic);
        writer.Write(Steps);
        writer.Write(Epoch);
        InnerState().save_state_dict(writer);
    }

    /// <summary>Reads what <see cref="save_state_dict(BinaryWriter)"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The stream holds no GradientNoiseOptimizer state.</exception>
    public void load_state_dict(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string magic = reader.ReadString();
        if (magic != StateMagic)
            throw new InvalidDataException($"The saved state is not a GradientNoiseOptimizer's (it starts with '{magic}'); load it into the optimizer that saved it.");
        long steps = reader.ReadInt64();
        int epoch = reader.ReadInt32();
        InnerState().load_state_dict(reader);
        Steps = steps;
        Epoch = epoch;
    }

    private OptimizerHelper InnerState() => _inner as OptimizerHelper
        ?? throw new InvalidOperationException($"The wrapped {_inner.GetType().Name} cannot save its state; wrap one of TorchSharp's managed optimizers (SGD, Adam, AdamW, ...) to save and resume.");
}
