using System.Globalization;
using System.Runtime.Intrinsics;
using NoiseLab.Randomness;

namespace NoiseLab.Tests.Randomness;

public sealed class ArsCounterTests
{
    private static uint[] Words(string hex) => [.. hex.Split(' ').Select(w => uint.Parse(w, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];

    private static ArsCounter.RoundKeys KeyOf(uint[] key, int rounds) => ArsCounter.Expand(key[0] | ((ulong)key[1] << 32), key[2] | ((ulong)key[3] << 32), rounds);

    // Random123's known-answer vectors for ars4x32: "ars4x32 R CTR KEY EXPECTED", 32-bit words in lane order.
    // Seven rounds from tests/old_kat_vectors (the default ARS of Random123, which NoiseLab draws with),
    // ten from tests/kat_vectors (zeros, the first digits of pi, and all ones).
    [Theory]
    [InlineData(7, "00000001 00000000 00000000 00000000", "00000001 00000000 00000000 00000000", "3523162b dc14d20c 79184077 72184193")]
    [InlineData(7, "00000000 00010000 00000000 00000000", "00000000 00010000 00000000 00000000", "21987c11 f47b221c 1bd108f9 4a89ea4c")]
    [InlineData(7, "00000000 00000000 00000000 00000001", "00000000 00000000 00000000 00000001", "34d40c7a c5526b8f 0b35e113 bcd830c6")]
    [InlineData(7, "00000000 00000000 ff000000 00000000", "00000000 00000000 ff000000 00000000", "f9abe8ab 34ae560f c23b89c5 ffb47ec7")]
    [InlineData(7, "00000000 00000000 00000000 00ff0000", "00000000 00000000 00000000 00ff0000", "04b9d323 38328c93 5b618e1f db402a8c")]
    [InlineData(7, "886a3f24 d308a385 2e8a1913 44737003", "00010000 00000000 00000000 00000000", "a1f28e94 d9c2bd6e d1aefdb8 06de12b5")]
    [InlineData(7, "e6212845 7713d038 cf6654be 6c0ce934", "00000000 00000000 00000000 80000000", "394a7bc3 4d049c56 b0e3d5a5 dcb070b5")]
    [InlineData(10, "00000000 00000000 00000000 00000000", "00000000 00000000 00000000 00000000", "8d73ee19 506401ef 13c2dbe4 0cbe9c0d")]
    [InlineData(10, "243f6a88 85a308d3 13198a2e 03707344", "a4093822 299f31d0 082efa98 ec4e6c89", "a516e7d6 8357ad74 5b59b3ec 8763fff3")]
    [InlineData(10, "ffffffff ffffffff ffffffff ffffffff", "ffffffff ffffffff 00000000 00000000", "bb3743b1 9f635551 ecbc87fc a19478a9")]
    public void Matches_Random123s_known_answers_on_this_CPU_and_in_software(int rounds, string counter, string key, string expected)
    {
        uint[] c = Words(counter);
        ArsCounter.RoundKeys keys = KeyOf(Words(key), rounds);

        var (w0, w1, w2, w3) = ArsCounter.Block(in keys, c[0], c[1], c[2], c[3], rounds);

        Assert.Equal(Vector128.Create(Words(expected)), Vector128.Create(w0, w1, w2, w3));
        if (rounds == ArsCounter.Rounds)
            Assert.Equal(Vector128.Create(Words(expected)), ArsCounter.EncryptInSoftware(in keys, Vector128.Create(c[0], c[1], c[2], c[3]).AsByte()).AsUInt32());
    }

    [Fact]
    public void The_keystream_is_the_software_round_function_of_consecutive_counters()
    {
        ArsCounter.RoundKeys keys = ArsCounter.Expand(0x0123456789ABCDEF, 0xFEDCBA9876543210);
        var words = new uint[3 * 4 * RoundKeystream.BlocksInFlight];
        const uint first = 0xFFFFFF00;

        ArsCounter.Keystream(in keys, first, 7, 0xDEADBEEF, 1, words);

        for (int block = 0; block < words.Length / 4; block++)
        {
            Vector128<byte> counter = Vector128.Create(first + (uint)block, 7, 0xDEADBEEF, 1).AsByte();
            Assert.Equal(ArsCounter.EncryptInSoftware(in keys, counter).AsUInt32(), Vector128.Create<uint>(words.AsSpan(4 * block, 4)));
        }
    }

    [Fact]
    public void The_software_keystream_for_CPUs_without_AES_instructions_gives_the_same_words()
    {
        ArsCounter.RoundKeys keys = ArsCounter.Expand(42, 43);
        var hardware = new uint[4 * 4 * RoundKeystream.BlocksInFlight];
        var software = new uint[hardware.Length];

        ArsCounter.Keystream(in keys, 1000, 1, 2, 3, hardware);
        ArsCounter.KeystreamSoftware(in keys, Vector128.Create(1000u, 1, 2, 3), software);

        Assert.Equal(hardware, software);
    }

    [Fact]
    public void Round_counts_outside_Random123s_range_and_wrapping_keystreams_are_refused()
    {
        ArsCounter.RoundKeys keys = ArsCounter.Expand(1, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => ArsCounter.Expand(1, 2, rounds: 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArsCounter.Block(in keys, 0, 0, 0, 0, rounds: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArsCounter.Keystream(in keys, uint.MaxValue - 4, 0, 0, 0, new uint[32]));
        Assert.Throws<ArgumentException>(() => ArsCounter.Keystream(in keys, 0, 0, 0, 0, new uint[33]));
    }
}
