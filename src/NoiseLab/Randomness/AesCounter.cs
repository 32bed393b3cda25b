using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace NoiseLab.Randomness;

/// <summary>
/// AES-128 used as a counter-based generator (the "AESNI" generator of Salmon, Moraes, Dror and
/// Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011): block n of a stream is
/// AES-128 under the stream's key of the 128-bit counter n, so any block can be computed directly,
/// in any order, on any thread.
/// </summary>
/// <remarks>
/// The cipher is FIPS-197 AES-128. It runs on the AES instructions of x86-64 (AES-NI) and ARMv8
/// where the CPU has them, eight blocks in flight so that the pipelined rounds overlap, and in
/// portable software elsewhere; all three give the same bits. Counter words
/// and output words are 32-bit little-endian, in the cipher's byte order.
/// </remarks>
public static class AesCounter
{
    private const int Rounds = 10;

    /// <summary>Blocks that <see cref="Keystream"/> computes per pass.</summary>
    public const int BlocksInFlight = 8;

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
        Vector128<uint> block = Encrypt(in keys, Vector128.Create(c0, c1, c2, c3).AsByte()).AsUInt32();
        return (block[0], block[1], block[2], block[3]);
    }

    /// <summary>
    /// Writes the blocks of counters (<paramref name="first"/> + b, c1, c2, c3) for b = 0, 1, … into
    /// <paramref name="words"/>, four words per block; its length must be a multiple of
    /// 4·<see cref="BlocksInFlight"/>. Word 0 of the counter must not wrap.
    /// </summary>
    public static void Keystream(in RoundKeys keys, uint first, uint c1, uint c2, uint c3, Span<uint> words)
    {
        if (words.Length % (4 * BlocksInFlight) != 0)
            throw new ArgumentException($"The keystream is written {4 * BlocksInFlight} words at a time.", nameof(words));
        if (((ulong)first + (ulong)(words.Length / 4)) > (1UL << 32))
            throw new ArgumentOutOfRangeException(nameof(first), "Counter word 0 would wrap.");
        Vector128<uint> counter = Vector128.Create(first, c1, c2, c3);
        if (X86Aes.IsSupported)
            KeystreamX86(in keys, counter, words);
        else if (ArmAes.IsSupported)
            KeystreamArm(in keys, counter, words);
        else
            KeystreamSoftware(in keys, counter, words);
    }

    /// <summary>One block with the software cipher, whatever the CPU: the reference the hardware paths are tested against.</summary>
    public static Vector128<byte> EncryptInSoftware(in RoundKeys keys, Vector128<byte> block) => SoftwareAes.Encrypt(in keys, block);

    private static Vector128<byte> Encrypt(in RoundKeys keys, Vector128<byte> block)
    {
        if (X86Aes.IsSupported)
        {
            block ^= keys[0];
            for (int round = 1; round < Rounds; round++)
                block = X86Aes.Encrypt(block, keys[round]);
            return X86Aes.EncryptLast(block, keys[Rounds]);
        }
        if (ArmAes.IsSupported)
        {
            // AESE is AddRoundKey, SubBytes and ShiftRows; AESMC is MixColumns.
            for (int round = 0; round < Rounds - 1; round++)
                block = ArmAes.MixColumns(ArmAes.Encrypt(block, keys[round]));
            return ArmAes.Encrypt(block, keys[Rounds - 1]) ^ keys[Rounds];
        }
        return SoftwareAes.Encrypt(in keys, block);
    }

    private static void KeystreamX86(in RoundKeys keys, Vector128<uint> counter, Span<uint> words)
    {
        Vector128<uint> step = Vector128.Create(1u, 0, 0, 0);
        Vector128<byte> k0 = keys[0];
        for (int w = 0; w < words.Length; w += 4 * BlocksInFlight)
        {
            // Eight independent blocks: AESENC has a latency of several cycles but issues every cycle or two.
            Vector128<uint> c = counter;
            Vector128<byte> s0 = c.AsByte() ^ k0, s1 = (c += step).AsByte() ^ k0, s2 = (c += step).AsByte() ^ k0, s3 = (c += step).AsByte() ^ k0;
            Vector128<byte> s4 = (c += step).AsByte() ^ k0, s5 = (c += step).AsByte() ^ k0, s6 = (c += step).AsByte() ^ k0, s7 = (c += step).AsByte() ^ k0;
            counter = c + step;
            for (int round = 1; round < Rounds; round++)
            {
                Vector128<byte> k = keys[round];
                s0 = X86Aes.Encrypt(s0, k); s1 = X86Aes.Encrypt(s1, k); s2 = X86Aes.Encrypt(s2, k); s3 = X86Aes.Encrypt(s3, k);
                s4 = X86Aes.Encrypt(s4, k); s5 = X86Aes.Encrypt(s5, k); s6 = X86Aes.Encrypt(s6, k); s7 = X86Aes.Encrypt(s7, k);
            }
            Vector128<byte> last = keys[Rounds];
            Span<uint> out8 = words.Slice(w, 4 * BlocksInFlight);
            X86Aes.EncryptLast(s0, last).AsUInt32().CopyTo(out8);
            X86Aes.EncryptLast(s1, last).AsUInt32().CopyTo(out8[4..]);
            X86Aes.EncryptLast(s2, last).AsUInt32().CopyTo(out8[8..]);
            X86Aes.EncryptLast(s3, last).AsUInt32().CopyTo(out8[12..]);
            X86Aes.EncryptLast(s4, last).AsUInt32().CopyTo(out8[16..]);
            X86Aes.EncryptLast(s5, last).AsUInt32().CopyTo(out8[20..]);
            X86Aes.EncryptLast(s6, last).AsUInt32().CopyTo(out8[24..]);
            X86Aes.EncryptLast(s7, last).AsUInt32().CopyTo(out8[28..]);
        }
    }

    private static void KeystreamArm(in RoundKeys keys, Vector128<uint> counter, Span<uint> words)
    {
        Vector128<uint> step = Vector128.Create(1u, 0, 0, 0);
        for (int w = 0; w < words.Length; w += 4 * BlocksInFlight)
        {
            Vector128<uint> c = counter;
            Vector128<byte> s0 = c.AsByte(), s1 = (c += step).AsByte(), s2 = (c += step).AsByte(), s3 = (c += step).AsByte();
            Vector128<byte> s4 = (c += step).AsByte(), s5 = (c += step).AsByte(), s6 = (c += step).AsByte(), s7 = (c += step).AsByte();
            counter = c + step;
            for (int round = 0; round < Rounds - 1; round++)
            {
                Vector128<byte> k = keys[round];
                s0 = ArmAes.MixColumns(ArmAes.Encrypt(s0, k)); s1 = ArmAes.MixColumns(ArmAes.Encrypt(s1, k));
                s2 = ArmAes.MixColumns(ArmAes.Encrypt(s2, k)); s3 = ArmAes.MixColumns(ArmAes.Encrypt(s3, k));
                s4 = ArmAes.MixColumns(ArmAes.Encrypt(s4, k)); s5 = ArmAes.MixColumns(ArmAes.Encrypt(s5, k));
                s6 = ArmAes.MixColumns(ArmAes.Encrypt(s6, k)); s7 = ArmAes.MixColumns(ArmAes.Encrypt(s7, k));
            }
            Vector128<byte> penultimate = keys[Rounds - 1], last = keys[Rounds];
            Span<uint> out8 = words.Slice(w, 4 * BlocksInFlight);
            (ArmAes.Encrypt(s0, penultimate) ^ last).AsUInt32().CopyTo(out8);
            (ArmAes.Encrypt(s1, penultimate) ^ last).AsUInt32().CopyTo(out8[4..]);
            (ArmAes.Encrypt(s2, penultimate) ^ last).AsUInt32().CopyTo(out8[8..]);
            (ArmAes.Encrypt(s3, penultimate) ^ last).AsUInt32().CopyTo(out8[12..]);
            (ArmAes.Encrypt(s4, penultimate) ^ last).AsUInt32().CopyTo(out8[16..]);
            (ArmAes.Encrypt(s5, penultimate) ^ last).AsUInt32().CopyTo(out8[20..]);
            (ArmAes.Encrypt(s6, penultimate) ^ last).AsUInt32().CopyTo(out8[24..]);
            (ArmAes.Encrypt(s7, penultimate) ^ last).AsUInt32().CopyTo(out8[28..]);
        }
    }

    internal static void KeystreamSoftware(in RoundKeys keys, Vector128<uint> counter, Span<uint> words)
    {
        Vector128<uint> step = Vector128.Create(1u, 0, 0, 0);
        for (int w = 0; w < words.Length; w += 4, counter += step)
            SoftwareAes.Encrypt(in keys, counter.AsByte()).AsUInt32().CopyTo(words[w..]);
    }
}
