using System.Runtime.Intrinsics;

namespace NoiseLab.Randomness;

/// <summary>
/// A generator's two halves as static members (a type argument, so the sampler's loops call them directly):
/// the keystream that turns a key into 32-bit words, and the transform that turns words into samples.
/// </summary>
internal interface ISampleKernel
{
    /// <summary>The round keys of a stream's 64-bit key, for <see cref="Keystream"/>.</summary>
    static abstract Vector128<byte>[] RoundKeys(ulong stream);

    /// <summary>Words [4·<paramref name="firstBlock"/>, …) of the stream of <paramref name="key"/>; a whole number of keystream passes.</summary>
    static abstract void Keystream(ReadOnlySpan<Vector128<byte>> roundKeys, uint firstBlock, NoiseKey key, Span<uint> words);

    /// <summary>Gaussian samples of standard deviation <paramref name="sigma"/> from <paramref name="words"/> (which it may overwrite), written the <typeparamref name="TWrite"/> way.</summary>
    static abstract void Gaussian<TWrite>(Span<uint> words, Span<float> target, Span<float> companion, float sigma) where TWrite : struct, ISampleWrite;
}
