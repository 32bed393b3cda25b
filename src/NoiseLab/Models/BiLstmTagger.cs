using NoiseLab.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NoiseLab.Models;

/// <summary>
/// Seed 003's named-entity tagger: token embeddings (named <c>embedding</c>, where embedding noise
/// attaches; id 0 is padding), a bidirectional LSTM, and a linear layer from both directions' states to
/// tag logits for every token [batch, length, tags].
/// </summary>
public sealed class BiLstmTagger : Module<Tensor, Tensor>
{
    private readonly Embedding _embedding;
    private readonly LSTM _lstm;
    private readonly Linear _output;

    /// <summary>Creates the tagger.</summary>
    public BiLstmTagger(long vocabulary, int tags, int width = 50, int hidden = 64, int layers = 1) : base(nameof(BiLstmTagger))
    {
        _embedding = Embedding(vocabulary, width, padding_idx: 0);
        _lstm = LSTM(width, hidden, layers, batchFirst: true, bidirectional: true);
        _output = Linear(2 * hidden, tags);
        register_module("embedding", _embedding);
        register_module("lstm", _lstm);
        register_module("out", _output);
    }

    /// <summary>Builds from registry arguments <c>width=50,hidden=64,layers=1</c> for token samples [length].</summary>
    public static BiLstmTagger FromArguments(string arguments, ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.VocabularySize <= 0 || shape.SampleShape.Length != 1)
            throw new ArgumentException("bilstm needs token inputs (a tagging data set such as conll:FOLDER).", nameof(shape));
        var values = SpecArguments.Parse(arguments, "bilstm");
        var model = new BiLstmTagger(shape.VocabularySize, shape.Outputs, values.Int("width", 50, min: 1), values.Int("hidden", 64, min: 1), values.Int("layers", 1, min: 1));
        values.RejectUnused();
        return model;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var (states, _, _) = _lstm.call(_embedding.call(ids), null);
        return _output.call(states).MoveToOuterDisposeScope();
    }
}
