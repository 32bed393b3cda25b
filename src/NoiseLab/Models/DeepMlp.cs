using NoiseLab.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NoiseLab.Models;

/// <summary>
/// Seed 004's very deep network: by default 20 hidden layers of 50 ReLU units (fc1…fc20, then out),
/// with a chosen weight init and optional dropout after each hidden layer.
/// </summary>
public sealed class DeepMlp : Module<Tensor, Tensor>
{
    private readonly Linear[] _layers;
    private readonly Dropout? _dropout;

    /// <summary>Creates the network; weights are drawn from TorchSharp's global generator.</summary>
    public DeepMlp(long inputs, int outputs, int hiddenLayers = 20, int width = 50, WeightInit init = WeightInit.Simple, double dropout = 0) : base(nameof(DeepMlp))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenLayers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1).");
        _layers = new Linear[hiddenLayers + 1];
        long fanIn = inputs;
        for (int i = 0; i <= hiddenLayers; i++)
        {
            long fanOut = i == hiddenLayers ? outputs : width;
            _layers[i] = Linear(fanIn, fanOut);
            Initialize(_layers[i], fanIn, init);
            register_module(i == hiddenLayers ? "out" : $"fc{i + 1}", _layers[i]);
            fanIn = fanOut;
        }
        if (dropout > 0)
        {
            _dropout = Dropout(dropout);
            register_module("dropout", _dropout);
        }
        Init = init;
    }

    /// <summary>The init the weights were drawn with.</summary>
    public WeightInit Init { get; }

    /// <summary>The linear layers, input side first, the output layer last (for stacking replicas).</summary>
    internal IReadOnlyList<Linear> Layers => _layers;

    /// <summary>The dropout probability after each hidden layer (0: none).</summary>
    internal double DropoutRate => _dropout?.p ?? 0;

    /// <summary>Sussillo and Abbott's gain for a ReLU layer with <paramref name="fanIn"/> inputs.</summary>
    public static double SussilloGain(long fanIn) => Math.Sqrt(2) * Math.Exp(1.2 / (Math.Max(fanIn, 6) - 2.4));

    /// <summary>Builds from registry arguments: <c>layers=20,width=50,init=simple|he|sussillo|zero,dropout=0</c>.</summary>
    public static DeepMlp FromArguments(string arguments, ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var values = SpecArguments.Parse(arguments, "deepmlp");
        WeightInit init = values.Text("init", "simple").ToLowerInvariant() switch
        {
            "simple" => WeightInit.Simple,
            "he" => WeightInit.He,
            "sussillo" => WeightInit.Sussillo,
            "zero" => WeightInit.Zero,
            string other => throw new ArgumentException($"deepmlp: init must be simple, he, sussillo or zero, not '{other}'.", nameof(arguments)),
        };
        var model = new DeepMlp(shape.FlatInputs, shape.Outputs, values.Int("layers", 20, min: 1), values.Int("width", 50, min: 1), init, values.Fraction("dropout", 0));
        values.RejectUnused();
        return model;
    }

    private static void Initialize(Linear layer, long fanIn, WeightInit init)
    {
        using var noGrad = no_grad();
        layer.bias!.zero_();
        switch (init)
        {
            case WeightInit.Simple:
                layer.weight!.normal_(0, 0.1);
                break;
            case WeightInit.He:
                layer.weight!.normal_(0, Math.Sqrt(2.0 / fanIn));
                break;
            case WeightInit.Sussillo:
                layer.weight!.normal_(0, SussilloGain(fanIn) / Math.Sqrt(fanIn));
                break;
            case WeightInit.Zero:
                layer.weight!.zero_();
                break;
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input.flatten(1);
        for (int i = 0; i < _layers.Length - 1; i++)
        {
            x = functional.relu(_layers[i].call(x));
            if (_dropout is not null)
                x = _dropout.call(x);
        }
        return _layers[^1].call(x).MoveToOuterDisposeScope();
    }
}
