using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NoiseLab.Models.Stacked;

/// <summary>
/// k linear layers side by side, one per replica: <c>weight</c> is [k, out, in] and <c>bias</c> [k, 1, out], and
/// <see cref="forward"/> maps [k, B, in] to [k, B, out] with one batched product. Slot r holds a copy of replica r's
/// layer, and <see cref="Alias"/> makes that layer's own parameters views of slot r, so a replica's single-run
/// module reads and writes the stacked weights.
/// </summary>
public sealed class StackedLinear : Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;

    /// <summary>Stacks <paramref name="replicas"/>' weights; a null slot is an empty replica with zero weights.</summary>
    /// <exception cref="ArgumentException">No replica is given, one has no bias, or their shapes differ.</exception>
    public StackedLinear(IReadOnlyList<Linear?> replicas) : base(nameof(StackedLinear))
    {
        ArgumentNullException.ThrowIfNull(replicas);
        Linear first = replicas.FirstOrDefault(l => l is not null) ?? throw new ArgumentException("A stacked layer needs at least one replica.", nameof(replicas));
        if (replicas.Any(l => l is not null && (l.bias is null || !l.weight.shape.SequenceEqual(first.weight.shape))))
            throw new ArgumentException($"Stacked replicas must be linear layers with biases of one shape, [{string.Join(", ", first.weight.shape)}].", nameof(replicas));
        Width = replicas.Count;
        InFeatures = first.in_features;
        OutFeatures = first.out_features;
        using (no_grad())
        {
            // The scope holds every slot's tensor while stack reads them; the stacked tensors leave it for the parameters.
            using var scope = NewDisposeScope();
            Tensor Slot(Linear? layer, Func<Linear, Tensor> part, long[] shape) =>
                layer is null ? zeros(shape, dtype: first.weight.dtype, device: first.weight.device) : part(layer).detach().reshape(shape);
            _weight = new Parameter(stack([.. replicas.Select(l => Slot(l, x => x.weight, [OutFeatures, InFeatures]))]).DetachFromDisposeScope());
            _bias = new Parameter(stack([.. replicas.Select(l => Slot(l, x => x.bias!, [1, OutFeatures]))]).DetachFromDisposeScope());
        }
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    /// <summary>k, the number of replicas.</summary>
    public int Width { get; }

    /// <summary>Input features of each replica's layer.</summary>
    public long InFeatures { get; }

    /// <summary>Output features of each replica's layer.</summary>
    public long OutFeatures { get; }

    /// <summary>The weights, [k, out, in].</summary>
    public Parameter Weight => _weight;

    /// <summary>The biases, [k, 1, out].</summary>
    public Parameter Bias => _bias;

    /// <summary>Makes <paramref name="layer"/>'s weight and bias views of slot <paramref name="replica"/>: the same memory, the single layer's shapes.</summary>
    public void Alias(int replica, Linear layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentOutOfRangeException.ThrowIfNegative(replica);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(replica, Width);
        using var scope = NewDisposeScope();
        layer.weight = new Parameter(_weight.detach()[replica]);
        layer.bias = new Parameter(_bias.detach()[replica].view(OutFeatures));
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // TorchSharp 0.107's a.baddbmm(b, c) passes a as the first batch to libtorch, so it computes c + a·b,
        // PyTorch's baddbmm(c, a, b): one fused product per replica, the single layer's addmm (a test pins it).
        using Tensor transposed = _weight.transpose(1, 2);
        return input.baddbmm(transposed, _bias);
    }
}
