using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Noise in embedding space for token inputs (NEFTune; seed 001's language-model example done right) in
/// <see cref="Training.Trainer"/>'s loop: an <see cref="EmbeddingNoiseHook"/> keyed from the run seed and
/// advanced at each step. Padded positions get no noise; eval mode gets none at all.
/// </summary>
/// <remarks>Attaches to the embedding module <paramref name="moduleName"/> of <paramref name="model"/> (null: its first Embedding).</remarks>
public sealed class EmbeddingNoise(nn.Module model, NoiseSettings settings, bool neftuneScaling, string? moduleName = null, long paddingIndex = 0, string name = "embedding")
    : HookedNoiseInjector(name, new EmbeddingNoiseHook(model, settings, NoiseKey.ForInjector(0, name), neftuneScaling, moduleName, paddingIndex))
{
    private EmbeddingNoiseHook EmbeddingHook => (EmbeddingNoiseHook)Hook;

    /// <summary>The embedding module the noise follows.</summary>
    public string ModuleName => EmbeddingHook.ModuleName;

    /// <summary>Whether the level is NEFTune's α (scaled by 1/√(L·d)) rather than a standard deviation.</summary>
    public bool NeftuneScaling => EmbeddingHook.NeftuneScaling;

    /// <summary>The token id that marks padding.</summary>
    public long PaddingIndex => EmbeddingHook.PaddingIndex;

    /// <summary>Adds the noise to <paramref name="embedded"/> [batch, length, width] for token ids <paramref name="ids"/> [batch, length].</summary>
    public Tensor Perturb(nn.Module module, Tensor ids, Tensor embedded) => EmbeddingHook.Perturb(module, ids, embedded);
}
