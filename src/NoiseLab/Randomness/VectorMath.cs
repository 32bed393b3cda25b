using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NoiseLab.Randomness;

/// <summary>
/// The two transcendental functions Box–Muller needs, for the ranges it uses them on, as short
/// polynomial kernels (Cephes' single-precision minimax coefficients). About 1e-7 relative error,
/// and several times cheaper than the general-purpose Vector256.Log and SinCos, which handle
/// every input and dominated the Gaussian sampler's time.
/// </summary>
internal static class VectorMath
{
    /// <summary>ln(x) for normal, positive, finite x (no zero, infinity or NaN handling).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LogPositive(Vector256<float> x)
    {
        Vector256<int> bits = x.AsInt32();
        Vector256<float> exponent = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(bits, 23) - Vector256.Create(127));
        Vector256<float> mantissa = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).AsSingle();
        // Keep the mantissa in [√½, √2) so that f = m − 1 stays small.
        Vector256<float> large = Vector256.GreaterThan(mantissa, Vector256.Create(1.41421356f));
        mantissa = Vector256.ConditionalSelect(large, mantissa * Vector256.Create(0.5f), mantissa);
        exponent += Vector256.ConditionalSelect(large, Vector256.Create(1f), Vector256<float>.Zero);

        Vector256<float> f = mantissa - Vector256.Create(1f);
        Vector256<float> z = f * f;
        Vector256<float> p = Vector256.Create(7.0376836292E-2f);
        p = p * f + Vector256.Create(-1.1514610310E-1f);
        p = p * f + Vector256.Create(1.1676998740E-1f);
        p = p * f + Vector256.Create(-1.2420140846E-1f);
        p = p * f + Vector256.Create(1.4249322787E-1f);
        p = p * f + Vector256.Create(-1.6668057665E-1f);
        p = p * f + Vector256.Create(2.0000714765E-1f);
        p = p * f + Vector256.Create(-2.4999993993E-1f);
        p = p * f + Vector256.Create(3.3333331174E-1f);
        Vector256<float> y = p * f * z - Vector256.Create(0.5f) * z;
        // ln 2 split in two so that exponent·ln2 adds without losing the small terms.
        return f + y + exponent * Vector256.Create(-2.12194440E-4f) + exponent * Vector256.Create(0.693359375f);
    }

    /// <summary>(sin 2πt, cos 2πt) for t in turns, any finite t of moderate size (here t ∈ (0, 1)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Sin, Vector256<float> Cos) SinCosTurns(Vector256<float> t)
    {
        // Reduce to a ∈ [−π/4, π/4] and a quadrant j: 2πt = a + j·π/2.
        t -= Vector256.Round(t);
        Vector256<float> quarters = Vector256.Round(t * Vector256.Create(4f));
        Vector256<float> a = (t - quarters * Vector256.Create(0.25f)) * Vector256.Create(2 * MathF.PI);
        Vector256<int> j = Vector256.ConvertToInt32(quarters);

        Vector256<float> a2 = a * a;
        Vector256<float> sin = ((Vector256.Create(-1.9515295891E-4f) * a2 + Vector256.Create(8.3321608736E-3f)) * a2 + Vector256.Create(-1.6666654611E-1f)) * a2 * a + a;
        Vector256<float> cos = ((Vector256.Create(2.443315711809948E-5f) * a2 + Vector256.Create(-1.388731625493765E-3f)) * a2 + Vector256.Create(4.166664568298827E-2f)) * a2 * a2
            - Vector256.Create(0.5f) * a2 + Vector256.Create(1f);

        // Quadrant j: odd j swaps sin and cos; sin is negative for j = 2, 3; cos for j = 1, 2.
        Vector256<float> swap = Vector256.Equals(j & Vector256.Create(1), Vector256.Create(1)).AsSingle();
        Vector256<float> s = Vector256.ConditionalSelect(swap, cos, sin);
        Vector256<float> c = Vector256.ConditionalSelect(swap, sin, cos);
        Vector256<float> signMask = Vector256.Create(unchecked((int)0x80000000)).AsSingle();
        Vector256<float> sinNegative = Vector256.Equals(j & Vector256.Create(2), Vector256.Create(2)).AsSingle();
        Vector256<float> cosNegative = Vector256.Equals((j + Vector256.Create(1)) & Vector256.Create(2), Vector256.Create(2)).AsSingle();
        return (s ^ (sinNegative & signMask), c ^ (cosNegative & signMask));
    }
}
