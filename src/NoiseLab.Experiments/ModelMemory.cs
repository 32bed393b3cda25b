using System.Globalization;
using NoiseLab.Configuration;
using NoiseLab.Models;

namespace NoiseLab.Experiments;

/// <summary>What a model holds: its trainable parameters and the activations one sample leaves for the backward pass.</summary>
/// <param name="Parameters">Trainable values (weights and biases), exactly as the built model counts them.</param>
/// <param name="ActivationsPerSample">Values of one sample kept from the forward pass for the backward pass (an estimate from the layer shapes).</param>
/// <param name="Buffers">Other values the model keeps (e.g. a transformer's position table).</param>
public sealed record ModelFootprint(double Parameters, double ActivationsPerSample, double Buffers = 0);

/// <summary>
/// What a model needs in memory, estimated from its spec and its data's shape before it is built, so that
/// <c>mlp:100000,100000</c>, <c>lstm:hidden=100000</c> or <c>resnet18</c> at a batch of a million is refused
/// with the size it would need instead of failing inside libtorch's allocator.
/// </summary>
public static class ModelMemory
{
    /// <summary>Bytes per parameter while training: weights, gradients and up to two optimizer moments, float32, plus a copy for noise.</summary>
    public const long BytesPerParameter = 5 * sizeof(float);

    /// <summary>Bytes per kept activation while training: its value from the forward pass and its gradient in the backward pass, float32.</summary>
    public const long BytesPerActivation = 2 * sizeof(float);

    /// <summary>
    /// The footprint of one of NoiseLab's models (every name in <see cref="ModelRegistry"/>'s built-in list) for
    /// samples of <paramref name="shape"/>; null for a model registered elsewhere, or for arguments or a shape the
    /// model itself refuses when built (its own message then says why).
    /// </summary>
    public static ModelFootprint? Estimate(ModelSpec model, ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(shape);
        try
        {
            return model.Name switch
            {
                "mlp" => MlpWidths(model.Arguments) is { } widths ? Dense(shape.FlatInputs, widths, shape.Outputs) : null,
                "mnistnet1" => Dense(shape.FlatInputs, [500, 500, 500], shape.Outputs),
                "mnistnet2" => Dense(shape.FlatInputs, [5000, 5000, 5000], shape.Outputs),
                "mnistnet3" => Dense(shape.FlatInputs, [1000, 1000, 1000, 1000, 1000], shape.Outputs),
                "deepmlp" => DeepMlp(model.Arguments, shape),
                "babycnn" => Convolutional(shape, [8], []),
                "tinycnn" => Convolutional(shape, [32, 64], [128]),
                "simplecnn" => Convolutional(shape, [256, 512, 512], [2048, 1024, 512]),
                "resnet18" => ResNet18(shape),
                "lstm" => Lstm(model.Arguments, shape),
                "bilstm" => BiLstm(model.Arguments, shape),
                "transformer" => Transformer(model.Arguments, shape),
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            // Arguments the model's own parser refuses: building it gives the message.
            return null;
        }
    }

    /// <summary>The bytes training needs: parameters with their gradients and optimizer state, one batch's activations, buffers.</summary>
    public static double BytesToTrain(ModelFootprint footprint, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(footprint);
        return footprint.Parameters * BytesPerParameter + footprint.ActivationsPerSample * batchSize * BytesPerActivation + footprint.Buffers * sizeof(float);
    }

    /// <summary>Throws when training <paramref name="model"/> at <paramref name="batchSize"/> would need more memory than this process may have.</summary>
    /// <param name="model">The model.</param>
    /// <param name="shape">Its data's sample shape.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="available">The memory to fit in; null for what this process may use (the machine's or its container's limit).</param>
    /// <exception cref="ArgumentException">The message gives the parameter count, the size it would need and what to shrink.</exception>
    public static void Check(ModelSpec model, ModelShape shape, int batchSize = 128, long? available = null)
    {
        if (Estimate(model, shape) is not { } footprint)
            return;
        long limit = available ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double parameters = footprint.Parameters * BytesPerParameter + footprint.Buffers * sizeof(float);
        double activations = footprint.ActivationsPerSample * batchSize * BytesPerActivation;
        if (parameters + activations <= limit)
            return;
        string fix = activations > parameters
            ? $"use a smaller batch size (now {batchSize:N0}){(shape.SampleShape.Length is 1 or 2 ? " or shorter sequences" : "")}"
            : model.Name is "lstm" or "bilstm" or "transformer" ? "use a smaller width, hidden size or fewer layers" : "use smaller widths or fewer layers";
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"The model {DataSetNames.Shorten(model.ToString())} has {footprint.Parameters:N0} parameters and needs about {Gigabytes(parameters + activations)} to train at a batch of {batchSize:N0} ({Gigabytes(parameters)} for its parameters, {Gigabytes(activations)} for a batch's activations), more than the {Gigabytes(limit)} of memory here; {fix}."));
    }

    private static string Gigabytes(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 30):N1} GB");

    // Linear layers with ReLU between: each hidden layer keeps its output before and after the ReLU.
    private static ModelFootprint Dense(double inputs, IReadOnlyList<double> widths, double outputs)
    {
        double parameters = 0, activations = inputs, fanIn = inputs;
        foreach (double width in widths)
        {
            parameters += (fanIn + 1) * width;
            activations += 2 * width;
            fanIn = width;
        }
        parameters += (fanIn + 1) * outputs;
        return new ModelFootprint(parameters, activations + outputs);
    }

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
        return widths.Count == 0 ? null : [.. widths];
    }

    private static ModelFootprint DeepMlp(string arguments, ModelShape shape)
    {
        var values = SpecArguments.Parse(arguments, "deepmlp");
        double layers = Whole(values, "layers", 20), width = Whole(values, "width", 50);
        // Beyond 10,000 layers the count only grows; the model's own check refuses such depths.
        var footprint = Dense(shape.FlatInputs, [.. Enumerable.Repeat(width, (int)Math.Min(layers, 10_000))], shape.Outputs);
        // Dropout keeps a mask of every hidden layer's output.
        return values.Double("dropout", 0) > 0 ? footprint with { ActivationsPerSample = footprint.ActivationsPerSample + layers * width } : footprint;
    }

    // 3×3 convolutions (padding 1) with ReLU and 2×2 max-pooling, then linear layers: ConvStack.
    private static ModelFootprint? Convolutional(ModelShape shape, long[] channels, double[] hidden)
    {
        if (shape.SampleShape.Length != 3)
            return null;
        double parameters = 0, activations = shape.FlatInputs, inChannels = shape.SampleShape[0];
        long height = shape.SampleShape[1], width = shape.SampleShape[2];
        foreach (long outChannels in channels)
        {
            parameters += (inChannels * 9 + 1) * outChannels;
            activations += 2.0 * outChannels * height * width + (double)outChannels * (height / 2) * (width / 2);
            (inChannels, height, width) = (outChannels, height / 2, width / 2);
        }
        if (height == 0 || width == 0)
            return null;
        var head = Dense(inChannels * height * width, hidden, shape.Outputs);
        return new ModelFootprint(parameters + head.Parameters, activations + head.ActivationsPerSample - inChannels * height * width);
    }

    // The CIFAR form: a 3×3 stem, four stages of two residual blocks (batch norm, no conv biases), average pooling, one linear layer.
    private static ModelFootprint? ResNet18(ModelShape shape)
    {
        if (shape.SampleShape.Length != 3)
            return null;
        long height = shape.SampleShape[1], width = shape.SampleShape[2];
        double parameters = 9.0 * shape.SampleShape[0] * 64 + 2 * 64;
        double activations = shape.FlatInputs + 3.0 * 64 * height * width;
        long channels = 64;
        foreach (var (outChannels, stride) in new[] { (64L, 1L), (128L, 2L), (256L, 2L), (512L, 2L) })
        {
            for (int block = 0; block < 2; block++)
            {
                long step = block == 0 ? stride : 1;
                (height, width) = ((height + step - 1) / step, (width + step - 1) / step);
                bool shortcut = step != 1 || channels != outChannels;
                parameters += 9.0 * channels * outChannels + 2 * outChannels + 9.0 * outChannels * outChannels + 2 * outChannels
                    + (shortcut ? (double)channels * outChannels + 2 * outChannels : 0);
                // conv, norm, ReLU, conv, norm, sum, ReLU; the shortcut's conv and norm.
                activations += (shortcut ? 9.0 : 7.0) * outChannels * height * width;
                channels = outChannels;
            }
        }
        parameters += 512.0 * shape.Outputs + shape.Outputs;
        return new ModelFootprint(parameters, activations + 512 + shape.Outputs);
    }

    // One LSTM layer in one direction: four gates over the input and the hidden state, two biases (PyTorch's b_ih and b_hh).
    private static double LstmLayer(double inputs, double hidden) => 4 * hidden * (inputs + hidden) + 8 * hidden;

    // Per step and layer the backward pass keeps the four gates, the cell state, its tanh and the hidden state.
    private const double LstmValuesPerStep = 7;

    private static ModelFootprint? Lstm(string arguments, ModelShape shape)
    {
        if (shape.SampleShape.Length != 2)
            return null;
        var values = SpecArguments.Parse(arguments, "lstm");
        double hidden = Whole(values, "hidden", 50), layers = Whole(values, "layers", 1);
        double steps = shape.SampleShape[0], features = shape.SampleShape[1];
        double parameters = LstmLayer(features, hidden) + (layers - 1) * LstmLayer(hidden, hidden) + (hidden + 1) * hidden + (hidden + 1) * shape.Outputs;
        double activations = steps * features + steps * layers * LstmValuesPerStep * hidden + 2 * hidden + shape.Outputs;
        return new ModelFootprint(parameters, activations);
    }

    private static ModelFootprint? BiLstm(string arguments, ModelShape shape)
    {
        if (shape.VocabularySize <= 0 || shape.SampleShape.Length != 1)
            return null;
        var values = SpecArguments.Parse(arguments, "bilstm");
        double width = Whole(values, "width", 50), hidden = Whole(values, "hidden", 64), layers = Whole(values, "layers", 1);
        double steps = shape.SampleShape[0];
        double parameters = (double)shape.VocabularySize * width
            + 2 * (LstmLayer(width, hidden) + (layers - 1) * LstmLayer(2 * hidden, hidden))
            + (2 * hidden + 1) * shape.Outputs;
        double activations = steps * (width + 2 * layers * LstmValuesPerStep * hidden + shape.Outputs);
        return new ModelFootprint(parameters, activations);
    }

    private static ModelFootprint? Transformer(string arguments, ModelShape shape)
    {
        if (shape.VocabularySize <= 0 || shape.SampleShape.Length != 1)
            return null;
        var values = SpecArguments.Parse(arguments, "transformer");
        double width = Whole(values, "width", 25), heads = Whole(values, "heads", 5), hidden = Whole(values, "hidden", 64), layers = Whole(values, "layers", 1);
        double length = shape.SampleShape[0];
        // Per layer: attention's input projection (3 × width²) and output projection, the feed-forward pair, two layer norms.
        double layer = 3 * width * width + 3 * width + width * width + width + width * hidden + hidden + hidden * width + width + 4 * width;
        double parameters = (double)shape.VocabularySize * width + layers * layer + (width + 1) * shape.Outputs;
        // Per layer: queries, keys, values, context, projection, residuals and norms (10 × length × width),
        // the attention weights before and after softmax and dropout (3 × heads × length²), the feed-forward's (3 × length × hidden).
        double activations = length * width + layers * (10 * length * width + 3 * heads * length * length + 3 * length * hidden) + width + shape.Outputs;
        return new ModelFootprint(parameters, activations, Buffers: length * width);
    }

    // A size argument as a number; one the model refuses (not a positive whole number) leaves the message to the model.
    private static double Whole(SpecArguments values, string key, int fallback)
    {
        double value = values.Double(key, fallback);
        return value >= 1 && value == Math.Floor(value) ? value : throw new ArgumentException($"{key} is not a positive whole number.");
    }
}
