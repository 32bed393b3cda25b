using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Models;

/// <summary>
/// The models that <c>noiselab</c> knows by name. Each entry turns a <see cref="ModelSpec"/>'s
/// arguments and a <see cref="ModelShape"/> into a module. Creation seeds TorchSharp's global
/// generator, so the same seed gives the same initial weights.
/// </summary>
public static class ModelRegistry
{
    /// <summary>Builds a model from its arguments for a given input and output shape.</summary>
    public delegate nn.Module<Tensor, Tensor> Factory(string arguments, ModelShape shape);

    private sealed record Entry(string Usage, string Description, Factory Create);

    // Model initialisation draws from TorchSharp's process-wide generator; the lock keeps
    // seed-then-build atomic when several threads create models.
    private static readonly Lock s_initialisation = new();

    private static readonly Dictionary<string, Entry> s_entries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mlp"] = new Entry(
            "mlp:W1,W2,...",
            "fully connected ReLU network with the given hidden widths (mlp:500,500 is 784-500-500-10 on Fashion-MNIST)",
            // Without widths the network would be one linear layer, which nobody writes "mlp" for.
            (arguments, shape) => arguments.Length > 0
                ? new Mlp(shape.FlatInputs, Mlp.ParseWidths(arguments), shape.Outputs)
                : throw new ArgumentException("mlp needs its hidden widths after a colon, e.g. mlp:500,500; without any it would be a linear model.")),
        ["mnistnet1"] = Fixed("mnistnet1", "seed 003's MLP, 3 hidden layers of 500 ReLU units", shape => new Mlp(shape.FlatInputs, [500, 500, 500], shape.Outputs)),
        ["mnistnet2"] = Fixed("mnistnet2", "seed 003's MLP, 3 hidden layers of 5000 ReLU units", shape => new Mlp(shape.FlatInputs, [5000, 5000, 5000], shape.Outputs)),
        ["mnistnet3"] = Fixed("mnistnet3", "seed 003's MLP, 5 hidden layers of 1000 ReLU units", shape => new Mlp(shape.FlatInputs, [1000, 1000, 1000, 1000, 1000], shape.Outputs)),
        ["deepmlp"] = new Entry(
            "deepmlp[:layers=20,width=50,init=simple|he|sussillo|zero,dropout=P]",
            "seed 004's deep ReLU MLP (20x50) with its inits: simple N(0, 0.1^2), he, sussillo (good inits) or zero",
            DeepMlp.FromArguments),
        ["lstm"] = new Entry(
            "lstm[:hidden=50,layers=1]",
            "seed 003's LSTM forecaster for a series window (fc1, fc2 after the last step)",
            LstmForecaster.FromArguments),
        ["transformer"] = new Entry(
            "transformer[:width=25,heads=5,hidden=64,layers=1,dropout=0.1]",
            "seed 003's transformer text classifier with padding mask, for token data (imdb:PATH)",
            TransformerClassifier.FromArguments),
        ["bilstm"] = new Entry(
            "bilstm[:width=50,hidden=64,layers=1]",
            "seed 003's BiLSTM named-entity tagger, for tagging data (conll:FOLDER)",
            BiLstmTagger.FromArguments),
        ["babycnn"] = Fixed("babycnn", "seed 002's BabyCNN: conv 8, linear (20,714 parameters on CIFAR-10)", shape => new BabyCnn(shape)),
        ["tinycnn"] = Fixed("tinycnn", "seed 002's TinyCNN: conv 32-64, linear 128 (545,098 parameters on CIFAR-10)", shape => new TinyCnn(shape)),
        ["simplecnn"] = Fixed("simplecnn", "seed 002's SimpleCNN: conv 256-512-512, linear 2048-1024-512 (22,954,506 parameters on CIFAR-10)", shape => new SimpleCnn(shape)),
        ["resnet18"] = Fixed("resnet18", "ResNet-18, CIFAR form (11,173,962 parameters on CIFAR-10)", shape => new ResNet18(shape)),
    };

    // A model without arguments: any given is an error rather than silently ignored.
    private static Entry Fixed(string name, string description, Func<ModelShape, nn.Module<Tensor, Tensor>> create) =>
        new(name, description, (arguments, shape) => arguments.Length == 0
            ? create(shape)
            : throw new ArgumentException($"{name} takes no arguments; got '{arguments}'."));

    /// <summary>The registered names with their usage and a one-line description, for help texts.</summary>
    public static IEnumerable<(string Name, string Usage, string Description)> Describe() =>
        s_entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value.Usage, e.Value.Description));

    /// <summary>Adds or replaces a model under <paramref name="name"/>.</summary>
    public static void Register(string name, string usage, string description, Factory create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        lock (s_initialisation)
            s_entries[name] = new Entry(usage, description, create);
    }

    private static readonly HashSet<string> s_realValued = new(StringComparer.Ordinal)
    {
        "mlp", "mnistnet1", "mnistnet2", "mnistnet3", "deepmlp", "lstm", "babycnn", "tinycnn", "simplecnn", "resnet18",
    };

    /// <summary>Creates the model <paramref name="spec"/> names, with weights drawn from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">The name is unknown or its arguments are invalid; the message says which.</exception>
    public static nn.Module<Tensor, Tensor> Create(ModelSpec spec, ModelShape shape, long seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(shape);
        lock (s_initialisation)
        {
            if (!s_entries.TryGetValue(spec.Name, out Entry? entry))
                throw new ArgumentException($"Unknown model '{spec.Name}'; choose one of: {string.Join(", ", s_entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value.Usage))}.", nameof(spec));
            // Real-valued models would multiply token ids as numbers, which libtorch rejects deep inside.
            if (shape.VocabularySize > 0 && s_realValued.Contains(spec.Name))
                throw new ArgumentException($"'{spec.Name}' takes real-valued features, but this data set gives token ids; use transformer (classification) or bilstm (tagging).", nameof(spec));
            torch.manual_seed(seed);
            return entry.Create(spec.Arguments, shape);
        }
    }
}
