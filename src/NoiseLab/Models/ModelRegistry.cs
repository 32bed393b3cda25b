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
            (arguments, shape) => new Mlp(shape.FlatInputs, Mlp.ParseWidths(arguments), shape.Outputs)),
    };

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

    /// <summary>Creates the model <paramref name="spec"/> names, with weights drawn from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">The name is unknown or its arguments are invalid; the message says which.</exception>
    public static nn.Module<Tensor, Tensor> Create(ModelSpec spec, ModelShape shape, long seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(shape);
        lock (s_initialisation)
        {
            if (!s_entries.TryGetValue(spec.Name, out Entry? entry))
                throw new ArgumentException($"Unknown model '{spec.Name}'; choose one of: {string.Join(", ", s_entries.Values.Select(e => e.Usage))}.", nameof(spec));
            torch.manual_seed(seed);
            return entry.Create(spec.Arguments, shape);
        }
    }
}
