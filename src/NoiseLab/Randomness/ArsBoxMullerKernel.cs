using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NoiseLab.Randomness;

/// <summary>
/// The bits of <c>ars7-boxmuller-v2</c>: the 7-round ARS keystream of <see cref="ArsCounter"/> under the key
/// (stream, "NoiseLab"), and a slimmer Box–Muller on groups of 32 words. For k = 0…15, the radius word
/// x = word 32g+k gives u = float(x | 1)·2⁻³² (the odd word, correctly rounded to a float: never 0, so no
/// infinite logarithm, and tails to 6.66σ) and r = σ√(−2 ln u); the angle word w = word 32g+16+k gives
/// θ = 2π(w + ½)/2³²; element 32g+k = r cos θ and element 32g+16+k = r sin θ.
/// </summary>
/// <remarks>
/// ln u: the exponent and a mantissa m in [√½, √2) from the float's bits, then ln(1 + f) = f + f²·h(f) for
/// f = m − 1 with h of degree 6 (a Chebyshev fit of (ln(1 + f) − f)/f², error below 1.2·10⁻⁷). sin θ and cos θ:
/// the quadrant from the top two bits of w + 2²⁹, the offset from the quadrant's centre from w's other bits
/// (w shifted left by two, read as a signed integer), one polynomial each on [−π/4, π/4] (Cephes'
/// single-precision coefficients), the swap and the signs from the quadrant's bits. Every step is exact or
/// correctly rounded lane by lane, so the 16-lane (AVX-512) and 8-lane paths give the same bits.
/// </remarks>
internal readonly struct ArsBoxMullerKernel : ISampleKernel
{
    // (ln(1 + f) − f)/f² on [√½ − 1, √2 − 1], lowest power first.
    private const float H0 = -0.5000008940696716f, H1 = 0.333341121673584f, H2 = -0.24982450902462006f, H3 = 0.19929057359695435f;
    private const float H4 = -0.17132386565208435f, H5 = 0.15984095633029938f, H6 = -0.10188586264848709f;
    private const float Ln2 = 0.693147180559945f;

    // One step of the angle word shifted left by two (a quarter of a word's turn step).
    private const float QuarterTurnStep = 2 * MathF.PI / 17179869184f;

    public static Vector128<byte>[] RoundKeys(ulong stream)
    {
        ArsCounter.RoundKeys keys = ArsCounter.Expand(stream, NoiseSampler.KeyDomain);
        return ((ReadOnlySpan<Vector128<byte>>)keys)[..(ArsCounter.Rounds + 1)].ToArray();
    }

    public static void Keystream(ReadOnlySpan<Vector128<byte>> roundKeys, uint firstBlock, NoiseKey key, Span<uint> words)
    {
        RoundKeystream.Validate(firstBlock, words);
        RoundKeystream.Write(roundKeys, Vector128.Create(firstBlock, key.Tensor, (uint)key.Draw, (uint)(key.Draw >> 32)), words);
    }

    public static void Gaussian<TWrite>(Span<uint> words, Span<float> target, Span<float> companion, float sigma) where TWrite : struct, ISampleWrite
    {
        if (Lanes512.IsSupported)
            Gaussian<Lanes512, Vector512<float>, Vector512<int>, TWrite>(words, target, companion, sigma);
        else
            Gaussian<Lanes256, Vector256<float>, Vector256<int>, TWrite>(words, target, companion, sigma);
    }

    /// <summary>The transform at one vector width; internal so that tests can compare the widths.</summary>
    internal static void Gaussian<L, TFloat, TBits, TWrite>(Span<uint> words, Span<float> target, Span<float> companion, float sigma)
        where L : struct, IVectorLanes<TFloat, TBits>
        where TFloat : struct
        where TBits : struct
        where TWrite : struct, ISampleWrite
    {
        ref uint source = ref MemoryMarshal.GetReference(words);
        ref float destination = ref MemoryMarshal.GetReference(target);
        ref float second = ref MemoryMarshal.GetReference(companion);
        nuint lanes = L.Count;
        TFloat scale = L.Float(sigma);
        // Two loops, as in v1: the radii first, over their own words, then the angles and the output;
        // two short bodies overlap better than one long one.
        for (nuint group = 0; group < (nuint)words.Length; group += 32)
        {
            for (nuint i = group; i < group + 16; i += lanes)
                L.StoreBits(L.AsBits(L.Multiply(Radius<L, TFloat, TBits>(L.LoadBits(ref source, i)), scale)), ref source, i);
        }
        for (nuint group = 0; group < (nuint)words.Length; group += 32)
        {
            for (nuint i = group; i < group + 16; i += lanes)
            {
                TFloat radius = L.AsFloat(L.LoadBits(ref source, i));
                var (cos, sin) = Direction<L, TFloat, TBits>(L.LoadBits(ref source, i + 16));
                L.Write<TWrite>(L.Multiply(radius, cos), ref destination, ref second, i);
                L.Write<TWrite>(L.Multiply(radius, sin), ref destination, ref second, i + 16);
            }
        }
    }

    /// <summary>√(−2 ln u) for u = float(x | 1)·2⁻³².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TFloat Radius<L, TFloat, TBits>(TBits x)
        where L : struct, IVectorLanes<TFloat, TBits>
        where TFloat : struct
        where TBits : struct
    {
        TBits bits = L.AsBits(L.FromUInt32(L.Or(x, L.Bits(1))));
        // The exponent of the float times √2, so that the mantissa left after dividing it out lies in [√½, √2).
        TBits exponent = L.Subtract(L.ShiftRightArithmetic(L.Add(bits, L.Bits(0x3F800000 - 0x3F3504F3)), 23), L.Bits(127));
        TFloat f = L.Subtract(L.AsFloat(L.Subtract(bits, L.ShiftLeft(exponent, 23))), L.Float(1f));
        TFloat f2 = L.Multiply(f, f), f4 = L.Multiply(f2, f2);
        TFloat h = L.Fma(L.Fma(L.Float(H6), f2, L.Fma(L.Float(H5), f, L.Float(H4))), f4,
            L.Fma(L.Fma(L.Float(H3), f, L.Float(H2)), f2, L.Fma(L.Float(H1), f, L.Float(H0))));
        // u is the float times 2⁻³²: its logarithm is (exponent − 32)·ln 2 + ln m.
        TFloat log = L.Fma(L.FromInt32(L.Subtract(exponent, L.Bits(32))), L.Float(Ln2), L.Fma(h, f2, f));
        return L.Sqrt(L.Multiply(log, L.Float(-2f)));
    }

    /// <summary>(cos θ, sin θ) for θ = 2π(w + ½)/2³².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (TFloat Cos, TFloat Sin) Direction<L, TFloat, TBits>(TBits w)
        where L : struct, IVectorLanes<TFloat, TBits>
        where TFloat : struct
        where TBits : struct
    {
        // Quadrant j is the top two bits of w + 2²⁹; 4·(offset from its centre) is w << 2 as a signed integer,
        // and the word's half step is 2 in those units.
        TBits centred = L.Add(w, L.Bits(1 << 29));
        TFloat a = L.Fma(L.FromInt32(L.ShiftLeft(w, 2)), L.Float(QuarterTurnStep), L.Float(2 * QuarterTurnStep));
        TFloat a2 = L.Multiply(a, a);
        TFloat sin = L.Fma(L.Fma(L.Fma(L.Float(-1.9515295891E-4f), a2, L.Float(8.3321608736E-3f)), a2, L.Float(-1.6666654611E-1f)), L.Multiply(a2, a), a);
        TFloat cos = L.Fma(L.Fma(L.Fma(L.Fma(L.Float(2.443315711809948E-5f), a2, L.Float(-1.388731625493765E-3f)), a2, L.Float(4.166664568298827E-2f)), a2, L.Float(-0.5f)), a2, L.Float(1f));
        // Odd quadrants swap sine and cosine; the sine is negative in quadrants 2 and 3 (bit 31 of the
        // centred word), the cosine in quadrants 1 and 2 (bit 31 once another quadrant is added).
        TFloat s = L.SelectWhereBit(centred, 30, cos, sin);
        TFloat c = L.SelectWhereBit(centred, 30, sin, cos);
        TBits sign = L.Bits(int.MinValue);
        return (L.AsFloat(L.Xor(L.AsBits(c), L.And(L.Add(centred, L.Bits(1 << 30)), sign))), L.AsFloat(L.Xor(L.AsBits(s), L.And(centred, sign))));
    }
}
