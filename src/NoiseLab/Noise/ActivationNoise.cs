using NoiseLab.Randomness;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Noise on the outputs of named modules of any model (seed 001), attached by forward hooks so the
/// model's code is not edited. Only in training mode: in eval mode the hooks return the output
/// untouched. Dispose to remove the hooks.
/// </summary>
public sealed class ActivationNoise : HookedNoiseInjector
{

    /// <summary>Attaches to the modules of <paramref name="model"/> named in <paramref name="moduleNames"/> (as named_modules() names them).</summary>
    /// <exception cref="ArgumentException">A name is not a module of the model; the message lists the names there are.</exception>
    public ActivationNoise(nn.Module model, IReadOnlyList<string> moduleNames, NoiseSettings settings, string name = "activation")
        : base(name, settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(moduleNames);
        if (moduleNames.Count == 0)
            throw new ArgumentException("Activation noise needs at least one module name (after=NAME).", nameof(moduleNames));
        var modules = model.named_modules().Where(m => m.name.Length > 0).ToDictionary(m => m.name, m => m.module);
        for (int i = 0; i < moduleNames.Count; i++)
        {
            if (!modules.TryGetValue(moduleNames[i], out nn.Module? module) || module is not nn.Module<Tensor, Tensor> hookable)
                throw new ArgumentException($"The model has no module '{moduleNames[i]}' with a tensor output; its modules are: {string.Join(", ", modules.Keys)}.", nameof(moduleNames));
            int tensorIndex = i;
            var hook = hookable.register_forward_hook((m, _, output) => Perturb(m, output, tensorIndex));
            AddHookRemoval(hook.remove);
        }
        ModuleNames = [.. moduleNames];
    }

    /// <summary>The modules whose outputs get noise.</summary>
    public IReadOnlyList<string> ModuleNames { get; }

    private Tensor Perturb(nn.Module module, Tensor output, int tensorIndex)
    {
        if (!Active || !module.training || CurrentSigma == 0 || !output.is_floating_point())
            return output;
        float effective = Settings.EffectiveSigma(CurrentSigma, output);
        Tensor noisy = output.contiguous().clone();
        NoiseSampler.Add_(noisy, Settings.Distribution, effective, Key.WithTensor(tensorIndex).WithDraw(Draws++));
        return noisy;
    }

}
