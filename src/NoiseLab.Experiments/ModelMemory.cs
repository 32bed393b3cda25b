using System.Globalization;
using NoiseLab.Models;

namespace NoiseLab.Experiments;

/// <summary>
/// What a model needs in memory, estimated from its spec before it is built, so that <c>mlp:100000,100000</c>
/// is refused with the size it would need instead of failing inside libtorch's allocator.
/// </summary>
public static class ModelMemory
{
    /// <summary>Bytes per parameter while training: weights, gradients and up to two optimizer moments, float32, plus a copy for noise.</summary>
    public const long BytesPerParameter = 5 * sizeof(float);

    /// <summary>
    /// The parameter count of the fully connected models (mlp, mnistnet1–3, deepmlp), whose size their
    /// spec alone decides; null for the others, whose size is checked by building them.
    /// </summary>
    public static double? Parameters(ModelSpec model, ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (HiddenWidths(model) is not double[] widths)
            return null;
        double parameters = 0, inputs = shape.FlatInputs;
        foreach (double width in widths.Append(shape.Outputs))
        {
            parameters += (inputs + 1) * width;
            inputs = width;
        }
        return parameters;
    }

    /// <summary>The hidden widths of the fully connected models, input side first, from their spec; null for the others.</summary>
    public static double[]? HiddenWidths(ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Name switch
        {
            "mlp" => MlpWidths(model.Arguments),
            "mnistnet1" => [500, 500, 500],
            "mnistnet2" => [5000, 5000, 5000],
            "mnistnet3" => [1000, 1000, 1000, 1000, 1000],
            "deepmlp" => DeepWidths(model.Arguments),
            _ => null,
        };
    }

    /// <summary>Throws when training <paramref name="model"/> would need more memory than this process may have.</summary>
    /// <exception cref="ArgumentException">The message gives the parameter count and the size it would need.</exception>
    public static void Check(ModelSpec model, ModelShape shape, long? available = null)
    {
        if (Parameters(model, shape) is not double parameters)
            return;
        long limit = available ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double needed = parameters * BytesPerParameter;
        if (needed > limit)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The model {DataSetNames.Shorten(model.ToString())} has {parameters:N0} parameters and needs about {Gigabytes(needed)} to train, more than the {Gigabytes(limit)} of memory here; use smaller widths or fewer layers."));
    }

    private static string Gigabytes(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 30):N1} GB");

    // Widths as numbers, so that a spec too large for an int still gets its size, not an overflow.
    private static double[]? MlpWidths(string arguments)
    {
        var widths = new List<double>();
        foreach (string part in arguments.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out double width) || width <= 0)
                return null;
            widths.Add(width);
        }
        return [.. widths];
    }

    private static double[]? DeepWidths(string arguments)
    {
        double layers = 20, width = 50;
        foreach (string pair in arguments.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = pair.Split('=', 2);
            if (parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out double value) && value > 0)
            {
                if (parts[0] == "layers")
                    layers = value;
                else if (parts[0] == "width")
                    width = value;
            }
        }
        // Beyond 10,000 layers the count only grows; the model's own check refuses such depths.
        return [.. Enumerable.Repeat(width, (int)Math.Min(layers, 10_000))];
    }
}
