using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NoiseLab.Randomness;

/// <summary>
/// The two transcendental functions Box–Muller needs, for the ranges it uses them on, as short
/// polynomial kernels (Cephes' single-precision minimax coefficients) evaluated with fused
/// multiply-adds. About 1e-7 relative error, and several times cheaper than the general-purpose
/// Vector256.Log and SinCos, which handle every input and dominated the Gaussian sampler's time.
/// </summary>
internal static class VectorMath
{
    private const float TurnPerWord = 2 * MathF.PI / 4294967296f;

    /// <summary>ln(x) for normal, positive, finite x (no zero, infinity or NaN handling).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LogPositive(Vector256<float> x)
    {
        Vector256<int> bits = x.AsInt32();
        // Keep the mantissa in [√½, √2) so that f = m − 1 stays small: take the exponent from x·√2's
        // bits (the same as x's, or one more when x's mantissa is ≥ √2), then divide it out exactly.
        Vector256<int> shifted = bits + Vector256.Create(0x3F800000 - 0x3F3504F3);
        Vector256<int> exponentBits = Vector256.ShiftRightArithmetic(shifted, 23) - Vector256.Create(127);
        Vector256<float> mantissa = (bits - Vector256.ShiftLeft(exponentBits, 23)).AsSingle();
        Vector256<float> exponent = Vector256.ConvertToSingle(exponentBits);

        Vector256<float> f = mantissa - Vector256.Create(1f);
        // The degree-8 polynomial by Estrin's scheme: four short independent chains instead of one
        // Horner chain of eight dependent FMAs, which bounded the sampler's throughput by latency.
        Vector256<float> f2 = f * f;
        Vector256<float> f4 = f2 * f2;
        Vector256<float> q0 = Fma(Vector256.Create(-2.4999993993E-1f), f, Vector256.Create(3.3333331174E-1f));
        Vector256<float> q1 = Fma(Vector256.Create(-1.6668057665E-1f), f, Vector256.Create(2.0000714765E-1f));
        Vector256<float> q2 = Fma(Vector256.Create(-1.2420140846E-1f), f, Vector256.Create(1.4249322787E-1f));
        Vector256<float> q3 = Fma(Vector256.Create(-1.1514610310E-1f), f, Vector256.Create(1.1676998740E-1f));
        Vector256<float> r0 = Fma(q1, f2, q0);
        Vector256<float> r1 = Fma(q3, f2, q2);
        Vector256<float> p = Fma(Fma(Vector256.Create(7.0376836292E-2f), f4, r1), f4, r0);
        Vector256<float> y = Fma(p * f, f2, Vector256.Create(-0.5f) * f2);
        // ln 2 split in two so that exponent·ln2 adds without losing the small terms.
        return Fma(exponent, Vector256.Create(0.693359375f), Fma(exponent, Vector256.Create(-2.12194440E-4f), f + y));
    }

    /// <summary>
    /// (sin θ, cos θ) for θ = 2π·(x + ½)/2³², the angle a 32-bit word names. The top two bits (rounded)
    /// are the quadrant and the rest, as a signed offset, the angle within ±π/4 of it: the reduction
    /// is exact integer arithmetic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Sin, Vector256<float> Cos) SinCosOfTurnWord(Vector256<uint> x)
    {
        Vector256<uint> quadrant = Vector256.ShiftRightLogical(x + Vector256.Create(1u << 29), 30);
        Vector256<int> offset = (x - Vector256.ShiftLeft(quadrant, 30)).AsInt32();
        Vector256<float> a = Fma(Vector256.ConvertToSingle(offset), Vector256.Create(TurnPerWord), Vector256.Create(TurnPerWord / 2));

        Vector256<float> a2 = a * a;
        Vector256<float> sin = Fma(Fma(Fma(Vector256.Create(-1.9515295891E-4f), a2, Vector256.Create(8.3321608736E-3f)), a2, Vector256.Create(-1.6666654611E-1f)) * a2, a, a);
        Vector256<float> cos = Fma(Fma(Fma(Vector256.Create(2.443315711809948E-5f), a2, Vector256.Create(-1.388731625493765E-3f)), a2, Vector256.Create(4.166664568298827E-2f)) * a2,
            a2, Fma(Vector256.Create(-0.5f), a2, Vector256.Create(1f)));

        // Quadrant j: odd j swaps sin and cos; sin is negative for j = 2, 3; cos for j = 1, 2.
        Vector256<int> j = quadrant.AsInt32();
        Vector256<float> swap = Vector256.Equals(j & Vector256.Create(1), Vector256.Create(1)).AsSingle();
        Vector256<float> s = Select(swap, cos, sin);
        Vector256<float> c = Select(swap, sin, cos);
        Vector256<int> sinSign = Vector256.ShiftLeft(j & Vector256.Create(2), 30);
        Vector256<int> cosSign = Vector256.ShiftLeft((j + Vector256.Create(1)) & Vector256.Create(2), 30);
        return (s ^ sinSign.AsSingle(), c ^ cosSign.AsSingle());
    }

    // One blendv instead of the and/andnot/or the general select compiles to.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenSet, Vector256<float> otherwise) =>
        Avx.IsSupported ? Avx.BlendVariable(otherwise, whenSet, mask) : Vector256.ConditionalSelect(mask, whenSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
}
