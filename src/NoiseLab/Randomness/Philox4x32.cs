using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NoiseLab.Randomness;

/// <summary>
/// The Philox4x32-10 counter-based generator (Salmon, Moraes, Dror and Shaw, "Parallel random
/// numbers: as easy as 1, 2, 3", SC 2011): a keyed bijection of a 128-bit counter, so any block of
/// the stream can be computed directly from its counter, in any order, on any thread.
/// </summary>
public static class Philox4x32
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    private const int Rounds = 10;

    internal static Vector256<uint> Multiplier0 => Vector256.Create(M0);
    internal static Vector256<uint> Multiplier1 => Vector256.Create(M1);
    internal static Vector256<uint> KeyIncrement0 => Vector256.Create(W0);
    internal static Vector256<uint> KeyIncrement1 => Vector256.Create(W1);

    /// <summary>The four output words for counter (c0..c3) under key (k0, k1).</summary>
    public static (uint, uint, uint, uint) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < Rounds; round++)
        {
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
            k0 += W0;
            k1 += W1;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>
    /// Eight blocks at once: lane j of the inputs is block j's counter word. Bit-identical to
    /// <see cref="Block"/> lane by lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<uint>, Vector256<uint>, Vector256<uint>, Vector256<uint>) Block8(
        Vector256<uint> c0, Vector256<uint> c1, Vector256<uint> c2, Vector256<uint> c3, uint key0, uint key1)
    {
        Vector256<uint> m0 = Vector256.Create(M0), m1 = Vector256.Create(M1);
        Vector256<uint> k0 = Vector256.Create(key0), k1 = Vector256.Create(key1);
        Vector256<uint> w0 = Vector256.Create(W0), w1 = Vector256.Create(W1);
        for (int round = 0; round < Rounds; round++)
        {
            var (hi0, lo0) = MultiplyHighLow(c0, m0);
            var (hi1, lo1) = MultiplyHighLow(c2, m1);
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
            k0 += w0;
            k1 += w1;
        }
        return (c0, c1, c2, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<uint> High, Vector256<uint> Low) MultiplyHighLow(Vector256<uint> a, Vector256<uint> b)
    {
        if (Avx2.IsSupported)
        {
            // vpmuludq multiplies the even 32-bit lanes into 64-bit products; shifting the 64-bit view
            // right by 32 brings the odd lanes to even positions for a second multiply.
            Vector256<ulong> even = Avx2.Multiply(a, b);
            Vector256<ulong> odd = Avx2.Multiply(Vector256.ShiftRightLogical(a.AsUInt64(), 32).AsUInt32(), b);
            Vector256<ulong> lowMask = Vector256.Create(0xFFFFFFFFUL);
            Vector256<uint> low = ((even & lowMask) | Vector256.ShiftLeft(odd, 32)).AsUInt32();
            Vector256<uint> high = (Vector256.ShiftRightLogical(even, 32) | (odd & ~lowMask)).AsUInt32();
            return (high, low);
        }
        Span<uint> hi = stackalloc uint[8], lo = stackalloc uint[8];
        for (int i = 0; i < 8; i++)
        {
            ulong product = (ulong)a.GetElement(i) * b.GetElement(i);
            hi[i] = (uint)(product >> 32);
            lo[i] = (uint)product;
        }
        return (Vector256.Create<uint>(hi), Vector256.Create<uint>(lo));
    }
}
