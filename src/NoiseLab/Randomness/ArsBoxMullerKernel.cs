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
/// ln u: the exponent and a mantissa m in [√½, √2) from the float's bits, then −2 ln(1 + f) = g + g²·h(g) for
/// g = −2(m − 1), with h of degree 6 (a Chebyshev fit, error below 1.2·10⁻⁷ in ln). cos θ and sin θ: the
/// angle word's top five bits (after adding half a sector) pick one of 32 sectors, whose centre's cosine and
/// sine come from a table; the offset δ from the centre (|δ| ≤ π/32) is w shifted left by five read as a
/// signed integer, and cos δ = 1 − δ²/2 + c₄δ⁴, sin δ = δ + s₃δ³ + s₅δ⁵ turn the centre by δ. No quadrant
/// swaps or sign fixes: the table covers the circle. Every step is exact or correctly rounded lane by lane,
/// so the 16-lane (AVX-512) and 8-lane paths give the same bits.
/// </remarks>
internal readonly struct ArsBoxMullerKernel : ISampleKernel
{
    // (−2 ln(1 + f) − g)/g² for g = −2f, f on [√½ − 1, √2 − 1], lowest power first: a Chebyshev fit of
    // (ln(1 + f) − f)/f² scaled by powers of two, so that the −2 of Box–Muller costs nothing.
    private const float H0 = 0.2500004470348358f, H1 = 0.083335280418396f, H2 = 0.031228063628077507f, H3 = 0.012455660849809647f;
    private const float H4 = 0.005353870801627636f, H5 = 0.0024975149426609278f, H6 = 0.0007959833019413054f;
    private const float MinusTwoLn2 = -1.38629436111989f;

    // The angle in units of the word shifted left by five: 2π/2³⁷.
    private const float SectorStep = 2 * MathF.PI / 137438953472f;

    // sin δ = δ + δ³(S3 + S5 δ²) and cos δ = 1 + δ²(−½ + C4 δ²) on |δ| ≤ π/32 (Chebyshev fits; errors 2e-12 and 6e-10).
    private const float S3 = -0.1666666716337204f, S5 = 0.008331420831382275f, C4 = 0.04165997356176376f;

    /// <summary>cos(2πj/32) for the 32 sectors' centres, correctly rounded.</summary>
    internal static ReadOnlySpan<float> SectorCosines =>
    [
        1f, 0.9807852506637573f, 0.9238795042037964f, 0.8314695954322815f, 0.7071067690849304f, 0.5555702447891235f, 0.3826834261417389f, 0.19509032368659973f,
        0f, -0.19509032368659973f, -0.3826834261417389f, -0.5555702447891235f, -0.7071067690849304f, -0.8314695954322815f, -0.9238795042037964f, -0.9807852506637573f,
        -1f, -0.9807852506637573f, -0.9238795042037964f, -0.8314695954322815f, -0.7071067690849304f, -0.5555702447891235f, -0.3826834261417389f, -0.19509032368659973f,
        0f, 0.19509032368659973f, 0.3826834261417389f, 0.5555702447891235f, 0.7071067690849304f, 0.8314695954322815f, 0.9238795042037964f, 0.9807852506637573f,
    ];

    /// <summary>sin(2πj/32) for the 32 sectors' centres, correctly rounded.</summary>
    internal static ReadOnlySpan<float> SectorSines =>
    [
        0f, 0.19509032368659973f, 0.3826834261417389f, 0.5555702447891235f, 0.7071067690849304f, 0.8314695954322815f, 0.9238795042037964f, 0.9807852506637573f,
        1f, 0.9807852506637573f, 0.9238795042037964f, 0.8314695954322815f, 0.7071067690849304f, 0.5555702447891235f, 0.3826834261417389f, 0.19509032368659973f,
        0f, -0.19509032368659973f, -0.3826834261417389f, -0.5555702447891235f, -0.7071067690849304f, -0.8314695954322815f, -0.9238795042037964f, -0.9807852506637573f,
        -1f, -0.9807852506637573f, -0.9238795042037964f, -0.8314695954322815f, -0.7071067690849304f, -0.5555702447891235f, -0.3826834261417389f, -0.19509032368659973f,
    ];

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
        TFloat g = L.Fma(L.AsFloat(L.Subtract(bits, L.ShiftLeft(exponent, 23))), L.Float(-2f), L.Float(2f));
        TFloat g2 = L.Multiply(g, g), g4 = L.Multiply(g2, g2);
        TFloat h = L.Fma(L.Fma(L.Float(H6), g2, L.Fma(L.Float(H5), g, L.Float(H4))), g4,
            L.Fma(L.Fma(L.Float(H3), g, L.Float(H2)), g2, L.Fma(L.Float(H1), g, L.Float(H0))));
        // u is the float times 2⁻³²: −2 ln u = (exponent − 32)·(−2 ln 2) − 2 ln m.
        return L.Sqrt(L.Fma(L.FromInt32(L.Subtract(exponent, L.Bits(32))), L.Float(MinusTwoLn2), L.Fma(h, g2, g)));
    }

    /// <summary>(cos θ, sin θ) for θ = 2π(w + ½)/2³².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (TFloat Cos, TFloat Sin) Direction<L, TFloat, TBits>(TBits w)
        where L : struct, IVectorLanes<TFloat, TBits>
        where TFloat : struct
        where TBits : struct
    {
        // Sector j is the top five bits of w + 2²⁶; 32·(offset from its centre) is w << 5 as a signed integer,
        // and the word's half step is 16 in those units.
        TBits sector = L.ShiftRightArithmetic(L.Add(w, L.Bits(1 << 26)), 27);
        TFloat d = L.Fma(L.FromInt32(L.ShiftLeft(w, 5)), L.Float(SectorStep), L.Float(16 * SectorStep));
        TFloat d2 = L.Multiply(d, d);
        TFloat sinD = L.Fma(L.Fma(L.Float(S5), d2, L.Float(S3)), L.Multiply(d2, d), d);
        TFloat cosD = L.Fma(L.Fma(L.Float(C4), d2, L.Float(-0.5f)), d2, L.Float(1f));
        TFloat c = L.Lookup32(sector, SectorCosines), s = L.Lookup32(sector, SectorSines);
        // The sector's centre turned by δ.
        return (L.FmaNegated(s, sinD, L.Multiply(c, cosD)), L.Fma(s, cosD, L.Multiply(c, sinD)));
    }
}
