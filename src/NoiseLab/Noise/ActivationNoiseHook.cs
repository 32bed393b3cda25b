using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Noise on the outputs of named modules of any model (seed 001), attached by forward hooks so the
/// model's code is not edited: live whenever the module runs in training mode, the identity in eval mode.
/// Module i of <see cref="ModuleNames"/> draws from key (tensor i, draw n).
/// </summary>
/// <example>
/// <code>
/// using var hook = new ActivationNoiseHook(model, ["fc1"], NoiseSettings.Gaussian(0.1), NoiseKey.ForInjector(seed, "activation"));
/// // in the loop: hook.Step = step; then forward and backward as usual
/// </code>
/// </example>
public sealed class ActivationNoiseHook : NoiseHook
{
    /// <summary>Attaches to the modules of <paramref name="model"/> named in <paramref name="moduleNames"/> (as named_modules() names them).</summary>
    /// <exception cref="ArgumentException">A name is not a module of the model; the message lists the names there are.</exception>
    public ActivationNoiseHook(nn.Module model, IReadOnlyList<string> moduleNames, NoiseSettings settings, NoiseKey key)
        : base(settings, key)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(moduleNames);
        if (moduleNames.Count == 0)
            throw new ArgumentException("Activation noise needs at least one module name (after=NAME).", nameof(moduleNames));
        var modules = model.named_modules().Where(m => m.name.Length > 0).ToDictionary(m => m.name, m => m.module);
        var hookable = new List<nn.Module<Tensor, Tensor>>();
        foreach (string moduleName in moduleNames)
        {
            if (!modules.TryGetValue(moduleName, out nn.Module? module) || module is not nn.Module<Tensor, Tensor> withTensorOutput)
                throw new ArgumentException($"The model has no module '{moduleName}' with a tensor output; its modules are: {string.Join(", ", modules.Keys)}.", nameof(moduleNames));
            hookable.Add(withTensorOutput);
        }
        for (int i = 0; i < hookable.Count; i++)
        {
            int tensorIndex = i;
            var hook = hookable[i].register_forward_hook((m, _, output) => Perturb(m, output, tensorIndex));
            AddHookRemoval(hook.remove);
        }
        ModuleNames = [.. moduleNames];
    }

    /// <summary>The modules whose outputs get noise.</summary>
    public IReadOnlyList<string> ModuleNames { get; }

    private Tensor Perturb(nn.Module module, Tensor output, int tensorIndex)
    {
        if (!module.training || !output.is_floating_point())
            return output;
        double sigma = Sigma;
        if (sigma == 0)
            return output;
        NoiseKey key = Key.WithTensor(tensorIndex).WithDraw(Draws++);
        Drawn?.Invoke(new NoiseDraw(output.numel(), Settings.Distribution, Settings.EffectiveSigma(sigma, output), key));
        return NoiseFunctional.AddNoise(output, Settings.Distribution, sigma, key, Settings.Scale);
    }
}
