using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Models.Stacked;

/// <summary>Builds the stacked form of a registered model: each replica exactly as <see cref="ModelRegistry"/> builds it for its seed.</summary>
public static class StackedModels
{
    private static readonly HashSet<string> s_stackable = new(StringComparer.OrdinalIgnoreCase) { "mlp", "mnistnet1", "mnistnet2", "mnistnet3", "deepmlp" };

    /// <summary>Whether the model <paramref name="spec"/> names can be trained stacked (the MLP family).</summary>
    public static bool Supports(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return s_stackable.Contains(spec.Name);
    }

    /// <summary>
    /// Builds replica r for <paramref name="seeds"/>[r] (null: an empty slot) as the single run with that seed builds
    /// its model, converts it to <paramref name="dtype"/>, and stacks them.
    /// </summary>
    /// <exception cref="ArgumentException">The model is not of the MLP family (also when a registered name was replaced by another model).</exception>
    public static StackedMlp Create(ModelSpec spec, ModelShape shape, IReadOnlyList<long?> seeds, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(seeds);
        if (!Supports(spec))
            throw new ArgumentException($"The model '{spec}' cannot be trained stacked; only mlp, mnistnet1-3 and deepmlp can.", nameof(spec));
        var replicas = new List<nn.Module<Tensor, Tensor>?>();
        try
        {
            foreach (long? seed in seeds)
            {
                nn.Module<Tensor, Tensor>? model = seed is long s ? ModelRegistry.Create(spec, shape, s) : null;
                replicas.Add(model);
                if (model is not null && dtype != ScalarType.Float32)
                    model.to(dtype);
            }
            return new StackedMlp(replicas);
        }
        catch
        {
            foreach (var model in replicas)
                model?.Dispose();
            throw;
        }
    }
}
