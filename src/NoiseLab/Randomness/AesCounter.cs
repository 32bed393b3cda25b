using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NoiseLab.Randomness;

/// <summary>
/// AES-128 used as a counter-based generator (the "AESNI" generator of Salmon, Moraes, Dror and
/// Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011): block n of a stream is
/// AES-128 under the stream's key of the 128-bit counter n, so any block can be computed directly,
/// in any order, on any thread.
/// </summary>
/// <remarks>
/// The cipher is FIPS-197 AES-128 (<see cref="RoundKeystream"/> with the expanded key). It runs on the
/// AES instructions of x86-64 (AES-NI) and ARMv8 where the CPU has them, eight blocks in flight so that
/// the pipelined rounds overlap, and in portable software elsewhere; all three give the same bits. Counter words
/// and output words are 32-bit little-endian, in the cipher's byte order.
/// </remarks>
public static class AesCounter
{
    private const int Rounds = 10;

    /// <summary>Blocks that <see cref="Keystream"/> computes per pass.</summary>
    public const int BlocksInFlight = RoundKeystream.BlocksInFlight;

    /// <summary>The eleven round keys of an AES-128 key, in the cipher's byte order.</summary>
    [InlineArray(Rounds + 1)]
    public struct RoundKeys
    {
        private Vector128<byte> _first;
    }

    /// <summary>Expands the 128-bit key whose bytes are <paramref name="low"/> then <paramref name="high"/>, little-endian (FIPS-197 §5.2).</summary>
    public static RoundKeys Expand(ulong low, ulong high)
    {
        Span<byte> words = stackalloc byte[16 * (Rounds + 1)];
        BinaryPrimitives.WriteUInt64LittleEndian(words, low);
        BinaryPrimitives.WriteUInt64LittleEndian(words[8..], high);
        byte roundConstant = 1;
        for (int i = 16; i < words.Length; i += 4)
        {
            Span<byte> previous = words.Slice(i - 4, 4);
            byte t0 = previous[0], t1 = previous[1], t2 = previous[2], t3 = previous[3];
            if (i % 16 == 0)
            {
                // RotWord, SubWord and the round constant.
                (t0, t1, t2, t3) = ((byte)(SoftwareAes.SBox[t1] ^ roundConstant), SoftwareAes.SBox[t2], SoftwareAes.SBox[t3], SoftwareAes.SBox[t0]);
                roundConstant = SoftwareAes.Times2(roundConstant);
            }
            words[i] = (byte)(words[i - 16] ^ t0);
            words[i + 1] = (byte)(words[i - 15] ^ t1);
            words[i + 2] = (byte)(words[i - 14] ^ t2);
            words[i + 3] = (byte)(words[i - 13] ^ t3);
        }
        var keys = new RoundKeys();
        for (int round = 0; round <= Rounds; round++)
            keys[round] = Vector128.Create<byte>(words.Slice(16 * round, 16));
        return keys;
    }

    /// <summary>The four output words of counter (c0, c1, c2, c3).</summary>
    public static (uint, uint, uint, uint) Block(in RoundKeys keys, uint c0, uint c1, uint c2, uint c3)
    {
        Vector128<uint> block = RoundKeystream.Encrypt(keys, Vector128.Create(c0, c1, c2, c3).AsByte()).AsUInt32();
        return (block[0], block[1], block[2], block[3]);
    }

    /// <summary>
    /// Writes the blocks of counters (<paramref name="first"/> + b, c1, c2, c3) for b = 0, 1, … into
    /// <paramref name="words"/>, four words per block; its length must be a multiple of
    /// 4·<see cref="BlocksInFlight"/>. Word 0 of the counter must not wrap.
    /// </summary>
    public static void Keystream(in RoundKeys keys, uint first, uint c1, uint c2, uint c3, Span<uint> words)
    {
        RoundKeystream.Validate(first, words);
        RoundKeystream.Write(keys, Vector128.Create(first, c1, c2, c3), words);
    }

    /// <summary>One block with the software cipher, whatever the CPU: the reference the hardware paths are tested against.</summary>
    public static Vector128<byte> EncryptInSoftware(in RoundKeys keys, Vector128<byte> block) => SoftwareAes.Encrypt(keys, block);

    internal static void KeystreamSoftware(in RoundKeys keys, Vector128<uint> counter, Span<uint> words) => RoundKeystream.WriteSoftware(keys, counter, words);
}
