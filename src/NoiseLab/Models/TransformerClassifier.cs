using NoiseLab.Configuration;
using NoiseLab.Interop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NoiseLab.Models;

/// <summary>
/// Seed 003's text classifier: token embeddings (width 25 by default) plus sinusoidal positions, a
/// transformer encoder (5 heads; feed-forward 64 or 128; 1–6 layers) that ignores padding through its
/// key-padding mask, a mean over the real tokens, and a linear layer to the classes. Token id 0 is
/// padding. The embedding layer is named <c>embedding</c>, where embedding noise attaches.
/// </summary>
public sealed class TransformerClassifier : Module<Tensor, Tensor>
{
    private readonly Embedding _embedding;
    private readonly TransformerEncoder _encoder;
    private readonly Linear _classifier;
    private readonly Tensor _positions;

    /// <summary>Creates the classifier for sequences up to <paramref name="maxLength"/> tokens.</summary>
    public TransformerClassifier(long vocabulary, int classes, long maxLength, int width = 25, int heads = 5, int hidden = 64, int layers = 1, double dropout = 0.1)
        : base(nameof(TransformerClassifier))
    {
        if (width % heads != 0)
            throw new ArgumentException($"transformer: the embedding width {width} must be a multiple of the heads {heads}.", nameof(heads));
        _embedding = Embedding(vocabulary, width, padding_idx: 0);
        _encoder = TransformerEncoder(TransformerEncoderLayer(width, heads, hidden, dropout), layers);
        _classifier = Linear(width, classes);
        register_module("embedding", _embedding);
        register_module("encoder", _encoder);
        register_module("out", _classifier);
        _positions = SinusoidalPositions(maxLength, width);
        register_buffer("positions", _positions, persistent: false);
    }

    /// <summary>Builds from registry arguments <c>width=25,heads=5,hidden=64,layers=1,dropout=0.1</c> for token samples [length].</summary>
    public static TransformerClassifier FromArguments(string arguments, ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.VocabularySize <= 0 || shape.SampleShape.Length != 1)
            throw new ArgumentException("transformer needs token inputs (a text data set such as imdb:PATH).", nameof(shape));
        var values = SpecArguments.Parse(arguments, "transformer");
        var model = new TransformerClassifier(shape.VocabularySize, shape.Outputs, shape.SampleShape[0],
            values.Int("width", 25, min: 1), values.Int("heads", 5, min: 1), values.Int("hidden", 64, min: 1), values.Int("layers", 1, min: 1), values.Fraction("dropout", 0.1));
        values.RejectUnused();
        return model;
    }

    private static Tensor SinusoidalPositions(long length, int width)
    {
        var table = new float[length * width];
        for (long p = 0; p < length; p++)
        {
            for (int i = 0; i < width; i++)
            {
                double angle = p / Math.Pow(10000, 2.0 * (i / 2) / width);
                table[p * width + i] = (float)(i % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle));
            }
        }
        return tensor(table, [length, width]);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        using var scope = NewDisposeScope();
        Tensor padding = ids.eq(ScalarConstants.Zero);                                // [batch, length]
        Tensor x = _embedding.call(ids).add(_positions.narrow(0, 0, ids.shape[1]), ScalarConstants.One);
        x = _encoder.call(x.transpose(0, 1), null!, padding).transpose(0, 1);   // the encoder is sequence-first
        Tensor real = padding.logical_not().unsqueeze(-1).to_type(x.dtype);
        Tensor pooled = x.mul(real).sum(1).div(real.sum(1).clamp_min(ScalarConstants.One));
        return _classifier.call(pooled).MoveToOuterDisposeScope();
    }
}
