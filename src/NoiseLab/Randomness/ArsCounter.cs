using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NoiseLab.Randomness;

/// <summary>
/// Random123's ARS ("AES Random with a Simplified key schedule", Salmon, Moraes, Dror and Shaw,
/// "Parallel random numbers: as easy as 1, 2, 3", SC 2011) as a counter-based generator: the AES round
/// function under round keys k_r = k₀ + r·W, added as two 64-bit lanes, with the Weyl increment
/// W = (0x9E3779B97F4A7C15, 0xBB67AE8584CAA73B) (the golden ratio and √3 − 1 as 64-bit fractions).
/// <see cref="Rounds"/> = 7 is the count Random123 ships as its default for ARS; the paper found no
/// statistical flaw (TestU01's BigCrush) from 5 rounds. It is not a cipher, and is not meant to be one.
/// </summary>
/// <remarks>
/// Blocks are 4 words, counter and key words 32-bit little-endian in lane order (Random123's
/// <c>ars4x32</c>): block n of a stream is ARS under the stream's key of the counter n. Seven rounds instead
/// of AES-128's ten, and no key expansion, make it about 30 % cheaper per word on the same instructions
/// (<see cref="RoundKeystream"/>, with the same hardware and software paths).
/// </remarks>
public static class ArsCounter
{
    /// <summary>The rounds of the ARS variant NoiseLab draws with: Random123's default.</summary>
    public const int Rounds = 7;

    /// <summary>The most rounds a key schedule holds (Random123 allows 1 to 10).</summary>
    public const int MaxRounds = 10;

    private const ulong WeylLow = 0x9E3779B97F4A7C15;
    private const ulong WeylHigh = 0xBB67AE8584CAA73B;

    /// <summary>Round keys k₀…k_R of an ARS key (up to <see cref="MaxRounds"/> rounds), in the cipher's byte order.</summary>
    [InlineArray(MaxRounds + 1)]
    public struct RoundKeys
    {
        private Vector128<byte> _first;
    }

    /// <summary>The Weyl-sequence round keys of the 128-bit key (<paramref name="low"/>, <paramref name="high"/>) for <paramref name="rounds"/> rounds.</summary>
    public static RoundKeys Expand(ulong low, ulong high, int rounds = Rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rounds, MaxRounds);
        var keys = new RoundKeys();
        for (int round = 0; round <= rounds; round++)
        {
            keys[round] = Vector128.Create(low, high).AsByte();
            low += WeylLow;
            high += WeylHigh;
        }
        return keys;
    }

    /// <summary>The four output words of counter (c0, c1, c2, c3) after <paramref name="rounds"/> rounds (the count the keys were expanded for).</summary>
    public static (uint, uint, uint, uint) Block(in RoundKeys keys, uint c0, uint c1, uint c2, uint c3, int rounds = Rounds)
    {
        Vector128<uint> block = RoundKeystream.Encrypt(KeysFor(keys, rounds), Vector128.Create(c0, c1, c2, c3).AsByte()).AsUInt32();
        return (block[0], block[1], block[2], block[3]);
    }

    /// <summary>
    /// Writes the <see cref="Rounds"/>-round blocks of counters (<paramref name="first"/> + b, c1, c2, c3) for
    /// b = 0, 1, … into <paramref name="words"/>, four words per block; its length must be a multiple of
    /// 4·<see cref="RoundKeystream.BlocksInFlight"/>. Word 0 of the counter must not wrap.
    /// </summary>
    public static void Keystream(in RoundKeys keys, uint first, uint c1, uint c2, uint c3, Span<uint> words)
    {
        RoundKeystream.Validate(first, words);
        RoundKeystream.Write(KeysFor(keys, Rounds), Vector128.Create(first, c1, c2, c3), words);
    }

    /// <summary>One <see cref="Rounds"/>-round block with the software round function, whatever the CPU: the reference the hardware paths are tested against.</summary>
    public static Vector128<byte> EncryptInSoftware(in RoundKeys keys, Vector128<byte> block) => SoftwareAes.Encrypt(KeysFor(keys, Rounds), block);

    internal static void KeystreamSoftware(in RoundKeys keys, Vector128<uint> counter, Span<uint> words) =>
        RoundKeystream.WriteSoftware(KeysFor(keys, Rounds), counter, words);

    private static ReadOnlySpan<Vector128<byte>> KeysFor(in RoundKeys keys, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rounds, MaxRounds);
        return ((ReadOnlySpan<Vector128<byte>>)keys)[..(rounds + 1)];
    }
}
