using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NoiseLab.Models;

/// <summary>
/// A fully connected ReLU network: flatten, then hidden layers <c>fc1</c>, <c>fc2</c>, … each
/// followed by a ReLU, then the linear output layer <c>out</c>. Layer names are stable so that
/// noise can be attached after a layer by name. Weights use TorchSharp's default Linear init.
/// </summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly Linear[] _hidden;
    private readonly Linear _output;

    /// <summary>Creates an MLP from <paramref name="inputs"/> features through <paramref name="hiddenWidths"/> to <paramref name="outputs"/>.</summary>
    public Mlp(long inputs, IReadOnlyList<int> hiddenWidths, int outputs) : base(nameof(Mlp))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        ArgumentNullException.ThrowIfNull(hiddenWidths);
        if (hiddenWidths.Any(w => w <= 0))
            throw new ArgumentOutOfRangeException(nameof(hiddenWidths), $"Hidden widths must be positive; got {string.Join(",", hiddenWidths)}.");

        HiddenWidths = [.. hiddenWidths];
        _hidden = new Linear[hiddenWidths.Count];
        long width = inputs;
        for (int i = 0; i < hiddenWidths.Count; i++)
        {
            _hidden[i] = Linear(width, hiddenWidths[i]);
            register_module($"fc{i + 1}", _hidden[i]);
            width = hiddenWidths[i];
        }
        _output = Linear(width, outputs);
        register_module("out", _output);
    }

    /// <summary>The widths of the hidden layers, input side first.</summary>
    public IReadOnlyList<int> HiddenWidths { get; }

    /// <summary>The linear layers, input side first, the output layer last (for stacking replicas).</summary>
    internal IReadOnlyList<Linear> Layers => [.. _hidden, _output];

    /// <summary>Parses the registry arguments of <c>mlp</c>: comma-separated hidden widths, e.g. "500,500".</summary>
    public static IReadOnlyList<int> ParseWidths(string arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Length == 0)
            return [];
        var widths = new List<int>();
        foreach (string part in arguments.Split(','))
        {
            if (!int.TryParse(part.Trim(), out int width) || width <= 0)
                throw new ArgumentException($"mlp takes comma-separated positive hidden widths, e.g. mlp:500,500; '{part.Trim()}' is not one.", nameof(arguments));
            widths.Add(width);
        }
        return widths;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input.flatten(1);
        foreach (Linear layer in _hidden)
            x = functional.relu(layer.call(x));
        return _output.call(x).MoveToOuterDisposeScope();
    }
}
