using NoiseLab.Randomness;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Noise on the outputs of named modules of any model (seed 001) in <see cref="Training.Trainer"/>'s loop:
/// an <see cref="ActivationNoiseHook"/> keyed from the run seed and advanced at each step. Only in
/// training mode: in eval mode the hooks return the output untouched. Dispose to remove the hooks.
/// </summary>
/// <remarks>Attaches to the modules of <paramref name="model"/> named in <paramref name="moduleNames"/> (as named_modules() names them).</remarks>
/// <exception cref="ArgumentException">A name is not a module of the model; the message lists the names there are.</exception>
public sealed class ActivationNoise(nn.Module model, IReadOnlyList<string> moduleNames, NoiseSettings settings, string name = "activation")
    : HookedNoiseInjector(name, new ActivationNoiseHook(model, moduleNames, settings, NoiseKey.ForInjector(0, name)))
{
    /// <summary>The modules whose outputs get noise.</summary>
    public IReadOnlyList<string> ModuleNames => ((ActivationNoiseHook)Hook).ModuleNames;
}
