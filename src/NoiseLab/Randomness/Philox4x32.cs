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
    /// <remarks>
    /// With AVX2 the eight blocks run as two independent chains of four, the even lanes and the odd
    /// lanes, each word in the low half of a 64-bit lane: <c>vpmuludq</c> then yields a round's
    /// high and low halves with one multiply and one shift, with no repacking into 32-bit lanes
    /// between rounds. The high halves of the 64-bit lanes hold leftovers that no multiply reads
    /// and the final blend drops. The two chains also give the core two multiplies in flight.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<uint>, Vector256<uint>, Vector256<uint>, Vector256<uint>) Block8(
        Vector256<uint> c0, Vector256<uint> c1, Vector256<uint> c2, Vector256<uint> c3, uint key0, uint key1)
    {
        if (!Avx2.IsSupported)
            return Block8Portable(c0, c1, c2, c3, key0, key1);
        Vector256<uint> m0 = Vector256.Create(M0), m1 = Vector256.Create(M1);
        Vector256<uint> k0 = Vector256.Create(key0), k1 = Vector256.Create(key1);
        Vector256<uint> w0 = Vector256.Create(W0), w1 = Vector256.Create(W1);
        // Even lanes already sit in the low halves of the 64-bit lanes; odd lanes move there.
        Vector256<ulong> e0 = c0.AsUInt64(), e1 = c1.AsUInt64(), e2 = c2.AsUInt64(), e3 = c3.AsUInt64();
        Vector256<ulong> o0 = Vector256.ShiftRightLogical(e0, 32), o1 = Vector256.ShiftRightLogical(e1, 32);
        Vector256<ulong> o2 = Vector256.ShiftRightLogical(e2, 32), o3 = Vector256.ShiftRightLogical(e3, 32);
        // Fully unrolled, so that the register allocator renames the rotating words instead of moving them.
        Round(ref e0, ref e1, ref e2, ref e3, ref o0, ref o1, ref o2, ref o3, m0, m1, k0, k1);
        for (int round = 1; round < Rounds; round++)
        {
            k0 += w0;
            k1 += w1;
            Round(ref e0, ref e1, ref e2, ref e3, ref o0, ref o1, ref o2, ref o3, m0, m1, k0, k1);
        }
        return (Merge(e0, o0), Merge(e1, o1), Merge(e2, o2), Merge(e3, o3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref Vector256<ulong> e0, ref Vector256<ulong> e1, ref Vector256<ulong> e2, ref Vector256<ulong> e3,
        ref Vector256<ulong> o0, ref Vector256<ulong> o1, ref Vector256<ulong> o2, ref Vector256<ulong> o3,
        Vector256<uint> m0, Vector256<uint> m1, Vector256<uint> k0, Vector256<uint> k1)
    {
        Vector256<ulong> pe0 = Avx2.Multiply(e0.AsUInt32(), m0), pe2 = Avx2.Multiply(e2.AsUInt32(), m1);
        Vector256<ulong> po0 = Avx2.Multiply(o0.AsUInt32(), m0), po2 = Avx2.Multiply(o2.AsUInt32(), m1);
        e0 = Vector256.ShiftRightLogical(pe2, 32) ^ e1 ^ k0.AsUInt64();
        e1 = pe2;
        e2 = Vector256.ShiftRightLogical(pe0, 32) ^ e3 ^ k1.AsUInt64();
        e3 = pe0;
        o0 = Vector256.ShiftRightLogical(po2, 32) ^ o1 ^ k0.AsUInt64();
        o1 = po2;
        o2 = Vector256.ShiftRightLogical(po0, 32) ^ o3 ^ k1.AsUInt64();
        o3 = po0;
    }

    // Low halves of the even chain's 64-bit lanes to the even 32-bit lanes, the odd chain's to the odd ones.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Merge(Vector256<ulong> even, Vector256<ulong> odd) =>
        Avx2.Blend(even.AsUInt32(), Vector256.ShiftLeft(odd, 32).AsUInt32(), 0b1010_1010);

    private static (Vector256<uint>, Vector256<uint>, Vector256<uint>, Vector256<uint>) Block8Portable(
        Vector256<uint> c0, Vector256<uint> c1, Vector256<uint> c2, Vector256<uint> c3, uint key0, uint key1)
    {
        Span<uint> r0 = stackalloc uint[8], r1 = stackalloc uint[8], r2 = stackalloc uint[8], r3 = stackalloc uint[8];
        for (int i = 0; i < 8; i++)
            (r0[i], r1[i], r2[i], r3[i]) = Block(c0.GetElement(i), c1.GetElement(i), c2.GetElement(i), c3.GetElement(i), key0, key1);
        return (Vector256.Create<uint>(r0), Vector256.Create<uint>(r1), Vector256.Create<uint>(r2), Vector256.Create<uint>(r3));
    }
}
