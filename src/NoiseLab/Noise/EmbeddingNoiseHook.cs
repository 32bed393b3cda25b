using NoiseLab.Interop;
using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Noise in embedding space for token inputs (NEFTune, Jain et al. 2023; seed 001's language-model
/// example done right), as a forward hook on the embedding module any loop can attach. Token ids are
/// integers: adding float noise to them and rounding changes nothing or swaps in unrelated tokens, so
/// the noise goes on the embedding layer's output instead. Padded positions (id = <see cref="PaddingIndex"/>)
/// get no noise. Live whenever the module runs in training mode; the identity in eval mode.
/// </summary>
/// <remarks>
/// With <see cref="NeftuneScaling"/>, the level is NEFTune's α and each sequence b gets
/// U(−1, 1)·α/√(L_b·d), where d is the embedding width and L_b the sequence's true length counted
/// from its padding mask, not the padded width (the reference README's padded-width formula is wrong
/// for padded and packed batches). Otherwise the level is the noise's standard deviation, as elsewhere.
/// </remarks>
public sealed class EmbeddingNoiseHook : NoiseHook
{
    /// <summary>Attaches to the embedding module <paramref name="moduleName"/> of <paramref name="model"/> (null: its first Embedding).</summary>
    /// <exception cref="ArgumentException">The model has no such module, or no Embedding at all.</exception>
    public EmbeddingNoiseHook(nn.Module model, NoiseSettings settings, NoiseKey key, bool neftuneScaling = true, string? moduleName = null, long paddingIndex = 0)
        : base(settings, key)
    {
        ArgumentNullException.ThrowIfNull(model);
        var modules = model.named_modules().Where(m => m.name.Length > 0).ToList();
        var (found, module) = moduleName is null
            ? modules.FirstOrDefault(m => m.module is TorchSharp.Modules.Embedding)
            : modules.FirstOrDefault(m => m.name == moduleName);
        if (module is not nn.Module<Tensor, Tensor> embedding)
        {
            throw new ArgumentException(moduleName is null
                ? "The model has no Embedding layer; embedding noise is for models with token inputs (use input noise for real-valued inputs)."
                : $"The model has no module '{moduleName}'; its modules are: {string.Join(", ", modules.Select(m => m.name))}.", nameof(moduleName));
        }
        ModuleName = found;
        NeftuneScaling = neftuneScaling;
        PaddingIndex = paddingIndex;
        var hook = embedding.register_forward_hook((m, ids, output) => Perturb(m, ids, output));
        AddHookRemoval(hook.remove);
    }

    /// <summary>The embedding module the noise follows.</summary>
    public string ModuleName { get; }

    /// <summary>Whether the level is NEFTune's α (scaled by 1/√(L·d)) rather than a standard deviation.</summary>
    public bool NeftuneScaling { get; }

    /// <summary>The token id that marks padding.</summary>
    public long PaddingIndex { get; }

    /// <summary>Adds the noise to <paramref name="embedded"/> [batch, length, width] for token ids <paramref name="ids"/> [batch, length].</summary>
    public Tensor Perturb(nn.Module module, Tensor ids, Tensor embedded)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(embedded);
        if (!module.training)
            return embedded;
        double sigma = Sigma;
        if (sigma == 0)
            return embedded;
        using var scope = NewDisposeScope();
        using Scalar paddingIndex = PaddingIndex.ToScalar();
        Tensor mask = ids.ne(paddingIndex).unsqueeze(-1).to_type(embedded.dtype);
        Tensor noise = empty_like(embedded).contiguous();
        NoiseKey key = Key.WithDraw(Draws++);
        if (NeftuneScaling)
        {
            // U(−1, 1) is the uniform law with standard deviation 1/√3.
            NoiseSampler.Fill_(noise, NoiseDistribution.Uniform, 1f / MathF.Sqrt(3f), key);
            using Scalar width = embedded.shape[^1].ToScalar();
            using Scalar scale = sigma.ToScalar();
            Tensor lengths = mask.sum(ids.dim() - 1, keepdim: true).clamp_min(ScalarConstants.One);
            noise.mul_(lengths.mul(width).rsqrt().mul(scale));
        }
        else
        {
            NoiseSampler.Fill_(noise, Settings.Distribution, Settings.EffectiveSigma(sigma, embedded), key);
        }
        return embedded.add(noise.mul_(mask), ScalarConstants.One).MoveToOuterDisposeScope();
    }
}
