using System.Runtime.Intrinsics;
using NoiseLab.Randomness;

namespace NoiseLab.Tests.Randomness;

public sealed class AesCounterTests
{
    private static ulong Le64(string hex, int start) => BitConverter.ToUInt64(Convert.FromHexString(hex.Substring(start, 16)));

    private static AesCounter.RoundKeys KeyOf(string hex) => AesCounter.Expand(Le64(hex, 0), Le64(hex, 16));

    private static Vector128<byte> BlockOf(string hex) => Vector128.Create<byte>(Convert.FromHexString(hex));

    // FIPS-197 Appendix B (the cipher example) and Appendix C.1 (AES-128), bytes in order.
    [Theory]
    [InlineData("2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734", "3925841d02dc09fbdc118597196a0b32")]
    [InlineData("000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a")]
    public void Matches_the_FIPS_197_examples_in_software_and_on_this_CPU(string key, string plaintext, string ciphertext)
    {
        AesCounter.RoundKeys keys = KeyOf(key);
        Vector128<uint> input = BlockOf(plaintext).AsUInt32();

        var (w0, w1, w2, w3) = AesCounter.Block(in keys, input[0], input[1], input[2], input[3]);

        Assert.Equal(BlockOf(ciphertext), AesCounter.EncryptInSoftware(in keys, BlockOf(plaintext)));
        Assert.Equal(BlockOf(ciphertext), Vector128.Create(w0, w1, w2, w3).AsByte());
    }

    [Fact]
    public void The_last_round_key_matches_FIPS_197_appendix_A1()
    {
        AesCounter.RoundKeys keys = KeyOf("2b7e151628aed2a6abf7158809cf4f3c");

        Assert.Equal(BlockOf("d014f9a8c9ee2589e13f0cc8b6630ca6"), keys[10]);
    }

    [Fact]
    public void The_keystream_is_the_software_cipher_of_consecutive_counters()
    {
        AesCounter.RoundKeys keys = AesCounter.Expand(0x0123456789ABCDEF, 0xFEDCBA9876543210);
        var words = new uint[3 * 4 * AesCounter.BlocksInFlight];
        const uint first = 0xFFFFFF00;

        AesCounter.Keystream(in keys, first, 7, 0xDEADBEEF, 1, words);

        for (int block = 0; block < words.Length / 4; block++)
        {
            Vector128<byte> counter = Vector128.Create(first + (uint)block, 7, 0xDEADBEEF, 1).AsByte();
            Assert.Equal(AesCounter.EncryptInSoftware(in keys, counter).AsUInt32(), Vector128.Create<uint>(words.AsSpan(4 * block, 4)));
        }
    }

    [Fact]
    public void The_software_keystream_for_CPUs_without_AES_instructions_gives_the_same_words()
    {
        AesCounter.RoundKeys keys = AesCounter.Expand(42, 43);
        var hardware = new uint[4 * 4 * AesCounter.BlocksInFlight];
        var software = new uint[hardware.Length];

        AesCounter.Keystream(in keys, 1000, 1, 2, 3, hardware);
        AesCounter.KeystreamSoftware(in keys, Vector128.Create(1000u, 1, 2, 3), software);

        Assert.Equal(hardware, software);
    }

    [Fact]
    public void A_keystream_that_would_wrap_its_counter_or_is_not_whole_passes_is_refused()
    {
        AesCounter.RoundKeys keys = AesCounter.Expand(1, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => AesCounter.Keystream(in keys, uint.MaxValue - 4, 0, 0, 0, new uint[32]));
        Assert.Throws<ArgumentException>(() => AesCounter.Keystream(in keys, 0, 0, 0, 0, new uint[33]));
    }
}
