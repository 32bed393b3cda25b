using NoiseLab.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NoiseLab.Models;

/// <summary>
/// Seed 003's forecaster for a univariate series: an LSTM over the look-back window
/// [batch, window, features], its last time step through <c>fc1</c> (ReLU) and <c>fc2</c> to the
/// predicted value(s).
/// </summary>
public sealed class LstmForecaster : Module<Tensor, Tensor>
{
    private readonly LSTM _lstm;
    private readonly Linear _fc1;
    private readonly Linear _fc2;

    /// <summary>An LSTM of <paramref name="layers"/> layers of <paramref name="hidden"/> units over <paramref name="features"/> inputs per step.</summary>
    public LstmForecaster(long features, int outputs, int hidden = 50, int layers = 1) : base(nameof(LstmForecaster))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        _lstm = LSTM(features, hidden, layers, batchFirst: true);
        _fc1 = Linear(hidden, hidden);
        _fc2 = Linear(hidden, outputs);
        register_module("lstm", _lstm);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
    }

    /// <summary>Builds from registry arguments <c>hidden=50,layers=1</c> for samples [window, features].</summary>
    public static LstmForecaster FromArguments(string arguments, ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.SampleShape.Length != 2)
            throw new ArgumentException($"lstm needs sequence samples [window, features]; the data's samples are [{string.Join(", ", shape.SampleShape)}].", nameof(shape));
        var values = SpecArguments.Parse(arguments, "lstm");
        var model = new LstmForecaster(shape.SampleShape[1], shape.Outputs, values.Int("hidden", 50, min: 1), values.Int("layers", 1, min: 1));
        values.RejectUnused();
        return model;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (sequence, _, _) = _lstm.call(input, null);
        Tensor last = sequence.select(1, -1);
        return _fc2.call(functional.relu(_fc1.call(last))).MoveToOuterDisposeScope();
    }
}
