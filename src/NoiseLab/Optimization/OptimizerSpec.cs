using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Optimization;

/// <summary>
/// An optimizer and its hyper-parameters, validated on construction, that builds the
/// TorchSharp optimizer for a model's parameters.
/// </summary>
public sealed record OptimizerSpec
{
    /// <summary>Creates a spec; <paramref name="momentum"/> null means the kind's default (0.9 for Momentum, 0 for Sgd).</summary>
    public OptimizerSpec(OptimizerKind kind, double learningRate, double? momentum = null, double weightDecay = 0)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive finite number.");
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be zero or positive.");
        if (momentum is double m && !(m >= 0 && m < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        if (momentum is not null && kind is OptimizerKind.Adam or OptimizerKind.AdamW)
            throw new ArgumentException($"Momentum applies to sgd and momentum; {kind.ToString().ToLowerInvariant()} uses its betas (0.9, 0.999) instead.", nameof(momentum));

        Kind = kind;
        LearningRate = learningRate;
        Momentum = momentum ?? (kind == OptimizerKind.Momentum ? 0.9 : 0.0);
        WeightDecay = weightDecay;
    }

    /// <summary>Which optimizer.</summary>
    public OptimizerKind Kind { get; }

    /// <summary>The initial learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>Heavy-ball momentum for the SGD kinds; 0 for the Adam kinds.</summary>
    public double Momentum { get; }

    /// <summary>Weight decay: L2 on the gradient for SGD and Adam, decoupled for AdamW.</summary>
    public double WeightDecay { get; }

    /// <summary>Parses a kind name as the command line writes it: sgd, momentum, adam, adamw.</summary>
    public static OptimizerKind ParseKind(string name) => name.ToLowerInvariant() switch
    {
        "sgd" => OptimizerKind.Sgd,
        "momentum" or "sgd-momentum" => OptimizerKind.Momentum,
        "adam" => OptimizerKind.Adam,
        "adamw" => OptimizerKind.AdamW,
        _ => throw new ArgumentException($"Unknown optimizer '{name}'; choose one of: sgd, momentum, adam, adamw.", nameof(name)),
    };

    /// <summary>
    /// Builds the optimizer over <paramref name="parameters"/>: TorchSharp's, bit for bit, with its step's Scalars held
    /// alive (<see cref="SafeSgd"/>, <see cref="SafeAdam"/>, <see cref="SafeAdamW"/>).
    /// </summary>
    public optim.Optimizer Create(IEnumerable<Parameter> parameters) => Kind switch
    {
        OptimizerKind.Sgd or OptimizerKind.Momentum => new SafeSgd(parameters, LearningRate, Momentum, WeightDecay),
        OptimizerKind.Adam => new SafeAdam(parameters, LearningRate, WeightDecay),
        OptimizerKind.AdamW => new SafeAdamW(parameters, LearningRate, WeightDecay),
        _ => throw new InvalidOperationException($"Optimizer kind {Kind} has no builder."),
    };
}
