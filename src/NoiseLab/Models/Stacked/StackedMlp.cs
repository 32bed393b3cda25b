using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NoiseLab.Models.Stacked;

/// <summary>
/// k replicas of one fully connected ReLU network (<see cref="Mlp"/>, seed 003's MNISTNets, <see cref="DeepMlp"/>
/// with any init and dropout) as one module: the layers are <see cref="StackedLinear"/>s named as the single
/// network's (fc1, fc2, …, out), the input is [k, B, …] and the output [k, B, classes]. Slot r starts from replica
/// r's weights, bit for bit, and replica r's own module stays usable (<see cref="Replicas"/>): its parameters are
/// views of slot r, so evaluating, saving, loading or perturbing it acts on the stacked weights.
/// </summary>
public sealed class StackedMlp : Module<Tensor, Tensor>
{
    private readonly StackedLinear[] _layers;
    private readonly StackedDropout? _dropout;
    private readonly Module<Tensor, Tensor>?[] _replicas;

    /// <summary>Stacks <paramref name="replicas"/> (null slots are empty replicas with zero weights) and takes ownership of them.</summary>
    /// <exception cref="ArgumentException">A replica is not of the MLP family, or they differ in shape or dropout.</exception>
    public StackedMlp(IReadOnlyList<Module<Tensor, Tensor>?> replicas) : base(nameof(StackedMlp))
    {
        ArgumentNullException.ThrowIfNull(replicas);
        var present = replicas.Where(m => m is not null).ToList();
        if (present.Count == 0)
            throw new ArgumentException("A stacked model needs at least one replica.", nameof(replicas));
        if (present.FirstOrDefault(m => !CanStack(m!)) is { } other)
            throw new ArgumentException($"Only the MLP family (mlp, mnistnet1-3, deepmlp) can be stacked, not {other.GetType().Name}.", nameof(replicas));
        var layers = replicas.Select(m => m is null ? null : LayersOf(m)).ToList();
        int depth = layers.First(l => l is not null)!.Count;
        double dropout = DropoutOf(present[0]!);
        if (layers.Any(l => l is not null && l.Count != depth) || present.Any(m => DropoutOf(m!) != dropout))
            throw new ArgumentException("Stacked replicas must have the same layers and dropout.", nameof(replicas));

        _replicas = [.. replicas];
        _layers = new StackedLinear[depth];
        for (int i = 0; i < depth; i++)
        {
            _layers[i] = new StackedLinear([.. layers.Select(l => l?[i])]);
            register_module(i == depth - 1 ? "out" : $"fc{i + 1}", _layers[i]);
        }
        if (dropout > 0)
        {
            _dropout = new StackedDropout(dropout, replicas.Count);
            register_module("dropout", _dropout);
        }
        for (int r = 0; r < replicas.Count; r++)
        {
            if (layers[r] is not { } own)
                continue;
            for (int i = 0; i < depth; i++)
                _layers[i].Alias(r, own[i]);
        }
    }

    /// <summary>Whether <paramref name="model"/> is of a family this class stacks.</summary>
    public static bool CanStack(nn.Module model) => model is Mlp or DeepMlp;

    /// <summary>k, the number of slots.</summary>
    public int Width => _replicas.Length;

    /// <summary>Each slot's single-run module (null for an empty slot); its parameters are views of the slot.</summary>
    public IReadOnlyList<Module<Tensor, Tensor>?> Replicas => _replicas;

    /// <summary>The stacked layers, input side first.</summary>
    public IReadOnlyList<StackedLinear> Layers => _layers;

    /// <summary>Each replica's dropout generator; empty without dropout.</summary>
    public IReadOnlyList<Generator> DropoutGenerators => _dropout?.Generators ?? [];

    /// <summary>The stacked parameters, [k, …] each, in the single module's parameter order (fc1.weight, fc1.bias, …, out.bias).</summary>
    public IReadOnlyList<Parameter> StackedParameters => [.. _layers.SelectMany(l => new[] { l.Weight, l.Bias })];

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        Tensor x = input.flatten(2);
        for (int i = 0; i < _layers.Length - 1; i++)
        {
            x = functional.relu(_layers[i].call(x));
            if (_dropout is not null)
                x = _dropout.call(x);
        }
        return _layers[^1].call(x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var replica in _replicas)
                replica?.Dispose();
        }
        base.Dispose(disposing);
    }

    private static IReadOnlyList<Linear> LayersOf(nn.Module model) => model switch
    {
        Mlp mlp => mlp.Layers,
        DeepMlp deep => deep.Layers,
        _ => throw new ArgumentException($"{model.GetType().Name} cannot be stacked."),
    };

    private static double DropoutOf(nn.Module model) => model is DeepMlp deep ? deep.DropoutRate : 0;
}
