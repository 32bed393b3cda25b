using System.Runtime.Intrinsics;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace NoiseLab.Randomness;

/// <summary>
/// The AES round function applied to counters under a list of round keys k₀…k_R: the block is xored
/// with k₀, goes through R − 1 full rounds (SubBytes, ShiftRows, MixColumns, then k_r) and a last round
/// without MixColumns. With FIPS-197's expanded key and R = 10 that is AES-128 (<see cref="AesCounter"/>);
/// with Weyl-sequence keys and R = 7 it is Random123's ARS (<see cref="ArsCounter"/>). Runs on VAES
/// (<see cref="VaesKeystream"/>), on AES-NI, on ARMv8's AES instructions, or in portable software, with the same bits.
/// </summary>
internal static class RoundKeystream
{
    /// <summary>Blocks computed per pass: AESENC's latency is several cycles but it issues every cycle or two.</summary>
    public const int BlocksInFlight = 8;

    /// <summary>Checks a keystream request: whole passes, and a counter word 0 that does not wrap.</summary>
    public static void Validate(uint first, Span<uint> words)
    {
        if (words.Length % (4 * BlocksInFlight) != 0)
            throw new ArgumentException($"The keystream is written {4 * BlocksInFlight} words at a time.", nameof(words));
        if (((ulong)first + (ulong)(words.Length / 4)) > (1UL << 32))
            throw new ArgumentOutOfRangeException(nameof(first), "Counter word 0 would wrap.");
    }

    /// <summary>One block, on this CPU's AES instructions or in software.</summary>
    public static Vector128<byte> Encrypt(ReadOnlySpan<Vector128<byte>> keys, Vector128<byte> block)
    {
        int rounds = keys.Length - 1;
        if (X86Aes.IsSupported)
        {
            block ^= keys[0];
            for (int round = 1; round < rounds; round++)
                block = X86Aes.Encrypt(block, keys[round]);
            return X86Aes.EncryptLast(block, keys[rounds]);
        }
        if (ArmAes.IsSupported)
        {
            // AESE is AddRoundKey, SubBytes and ShiftRows; AESMC is MixColumns.
            for (int round = 0; round < rounds - 1; round++)
                block = ArmAes.MixColumns(ArmAes.Encrypt(block, keys[round]));
            return ArmAes.Encrypt(block, keys[rounds - 1]) ^ keys[rounds];
        }
        return SoftwareAes.Encrypt(keys, block);
    }

    /// <summary>The instructions <see cref="Write"/> takes in this process, in the order it tries them.</summary>
    public static string Instructions =>
        VaesKeystream.IsAvailable ? "vaes" : X86Aes.IsSupported ? "aes-ni" : ArmAes.IsSupported ? "armv8-aes" : "software";

    /// <summary>Blocks of counters (c₀ + b, c₁, c₂, c₃) for b = 0, 1, … into <paramref name="words"/>, four words each; see <see cref="Validate"/>.</summary>
    public static void Write(ReadOnlySpan<Vector128<byte>> keys, Vector128<uint> counter, Span<uint> words)
    {
        if (VaesKeystream.IsAvailable)
            VaesKeystream.Write(keys, counter, words);
        else if (X86Aes.IsSupported)
            WriteAesNi(keys, counter, words);
        else if (ArmAes.IsSupported)
            WriteArm(keys, counter, words);
        else
            WriteSoftware(keys, counter, words);
    }

    /// <summary>The blocks on AES-NI's 128-bit instructions, eight in flight: where the CPU has no VAES, and <see cref="VaesKeystream"/>'s reference.</summary>
    internal static void WriteAesNi(ReadOnlySpan<Vector128<byte>> keys, Vector128<uint> counter, Span<uint> words)
    {
        int rounds = keys.Length - 1;
        Vector128<uint> step = Vector128.Create(1u, 0, 0, 0);
        Vector128<byte> k0 = keys[0], last = keys[rounds];
        for (int w = 0; w < words.Length; w += 4 * BlocksInFlight)
        {
            Vector128<uint> c = counter;
            Vector128<byte> s0 = c.AsByte() ^ k0, s1 = (c += step).AsByte() ^ k0, s2 = (c += step).AsByte() ^ k0, s3 = (c += step).AsByte() ^ k0;
            Vector128<byte> s4 = (c += step).AsByte() ^ k0, s5 = (c += step).AsByte() ^ k0, s6 = (c += step).AsByte() ^ k0, s7 = (c += step).AsByte() ^ k0;
            counter = c + step;
            for (int round = 1; round < rounds; round++)
            {
                Vector128<byte> k = keys[round];
                s0 = X86Aes.Encrypt(s0, k); s1 = X86Aes.Encrypt(s1, k); s2 = X86Aes.Encrypt(s2, k); s3 = X86Aes.Encrypt(s3, k);
                s4 = X86Aes.Encrypt(s4, k); s5 = X86Aes.Encrypt(s5, k); s6 = X86Aes.Encrypt(s6, k); s7 = X86Aes.Encrypt(s7, k);
            }
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

    private static void WriteArm(ReadOnlySpan<Vector128<byte>> keys, Vector128<uint> counter, Span<uint> words)
    {
        int rounds = keys.Length - 1;
        Vector128<uint> step = Vector128.Create(1u, 0, 0, 0);
        Vector128<byte> penultimate = keys[rounds - 1], last = keys[rounds];
        for (int w = 0; w < words.Length; w += 4 * BlocksInFlight)
        {
            Vector128<uint> c = counter;
            Vector128<byte> s0 = c.AsByte(), s1 = (c += step).AsByte(), s2 = (c += step).AsByte(), s3 = (c += step).AsByte();
            Vector128<byte> s4 = (c += step).AsByte(), s5 = (c += step).AsByte(), s6 = (c += step).AsByte(), s7 = (c += step).AsByte();
            counter = c + step;
            for (int round = 0; round < rounds - 1; round++)
            {
                Vector128<byte> k = keys[round];
                s0 = ArmAes.MixColumns(ArmAes.Encrypt(s0, k)); s1 = ArmAes.MixColumns(ArmAes.Encrypt(s1, k));
                s2 = ArmAes.MixColumns(ArmAes.Encrypt(s2, k)); s3 = ArmAes.MixColumns(ArmAes.Encrypt(s3, k));
                s4 = ArmAes.MixColumns(ArmAes.Encrypt(s4, k)); s5 = ArmAes.MixColumns(ArmAes.Encrypt(s5, k));
                s6 = ArmAes.MixColumns(ArmAes.Encrypt(s6, k)); s7 = ArmAes.MixColumns(ArmAes.Encrypt(s7, k));
            }
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

    /// <summary>The keystream with the software cipher, whatever the CPU: what CPUs without AES instructions run, and a reference.</summary>
    public static void WriteSoftware(ReadOnlySpan<Vector128<byte>> keys, Vector128<uint> counter, Span<uint> words)
    {
        Vector128<uint> step = Vector128.Create(1u, 0, 0, 0);
        for (int w = 0; w < words.Length; w += 4, counter += step)
            SoftwareAes.Encrypt(keys, counter.AsByte()).AsUInt32().CopyTo(words[w..]);
    }
}
