using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NoiseLab.Randomness;

/// <summary>
/// The bits of <c>aes128-boxmuller-v1</c>: the AES-128 keystream of <see cref="AesCounter"/> under the key
/// (stream, "NoiseLab"), and Box–Muller on groups of 16 words: for k = 0…7, radius r = σ√(−2 ln u) with
/// u = ((x &gt;&gt; 9) + ½)·2⁻²³ from word 16g+k and angle θ = 2π(x + ½)/2³² from word 16g+8+k give element
/// 16g+k = r cos θ and 16g+8+k = r sin θ, with the polynomial kernels of <see cref="VectorMath"/>.
/// </summary>
internal readonly struct AesBoxMullerKernel : ISampleKernel
{
    public static Vector128<byte>[] RoundKeys(ulong stream)
    {
        AesCounter.RoundKeys keys = AesCounter.Expand(stream, NoiseSampler.KeyDomain);
        return ((ReadOnlySpan<Vector128<byte>>)keys).ToArray();
    }

    public static void Keystream(ReadOnlySpan<Vector128<byte>> roundKeys, uint firstBlock, NoiseKey key, Span<uint> words)
    {
        RoundKeystream.Validate(firstBlock, words);
        RoundKeystream.Write(roundKeys, Vector128.Create(firstBlock, key.Tensor, (uint)key.Draw, (uint)(key.Draw >> 32)), words);
    }

    public static void Gaussian<TWrite>(Span<uint> words, Span<float> target, Span<float> companion, float sigma) where TWrite : struct, ISampleWrite
    {
        ref uint source = ref MemoryMarshal.GetReference(words);
        ref float destination = ref MemoryMarshal.GetReference(target);
        ref float second = ref MemoryMarshal.GetReference(companion);
        Vector256<float> scale = Vector256.Create(sigma);
        // Two short loops instead of one long one: the radii first, written over their own words,
        // then the angles. Each body is a shorter dependency chain, so more iterations overlap.
        for (nuint i = 0; i < (nuint)words.Length; i += 16)
        {
            Vector256<float> radius = Vector256.Sqrt(Vector256.Create(-2f) * VectorMath.LogPositive(NoiseSampler.UnitOpen(Vector256.LoadUnsafe(ref source, i)))) * scale;
            radius.AsUInt32().StoreUnsafe(ref source, i);
        }
        for (nuint i = 0; i < (nuint)words.Length; i += 16)
        {
            Vector256<float> radius = Vector256.LoadUnsafe(ref source, i).AsSingle();
            var (sin, cos) = VectorMath.SinCosOfTurnWord(Vector256.LoadUnsafe(ref source, i + 8));
            TWrite.Write(radius * cos, ref destination, ref second, i);
            TWrite.Write(radius * sin, ref destination, ref second, i + 8);
        }
    }
}
