using System.Text;
using NoiseLab.TensorBoard;

namespace NoiseLab.Tests.TensorBoard;

public sealed class Crc32CTests
{
    [Fact]
    public void The_crc_of_123456789_is_the_standard_check_value()
    {
        // The "check" value of CRC-32C in every CRC catalogue.
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Theory]
    // RFC 3720 (iSCSI) appendix B.4: 32 bytes of 0x00, of 0xFF, and 0x00..0x1F ascending.
    [InlineData(0x00, 0, 0x8A9136AAu)]
    [InlineData(0xFF, 0, 0x62A8AB43u)]
    [InlineData(0x00, 1, 0x46DD794Eu)]
    public void The_crc_matches_the_iscsi_test_vectors(int first, int increment, uint expected)
    {
        byte[] data = [.. Enumerable.Range(0, 32).Select(i => (byte)(first + i * increment))];

        Assert.Equal(expected, Crc32C.Compute(data));
    }

    [Fact]
    public void The_crc_of_nothing_is_zero()
    {
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void The_mask_rotates_right_by_15_bits_and_adds_a282ead8()
    {
        // 0xE3069283 >> 15 = 0x0001C60D; 0xE3069283 << 17 (32 bits) = 0x25060000; OR = 0x2507C60D;
        // + 0xA282EAD8 = 0xC78AB0E5 (no carry out of 32 bits).
        Assert.Equal(0xC78AB0E5u, Crc32C.Mask(0xE3069283u));
        Assert.Equal(0xC78AB0E5u, Crc32C.Masked(Encoding.ASCII.GetBytes("123456789")));
        // The addition wraps: rotating 0xFFFFFFFF leaves it, and 0xFFFFFFFF + 0xA282EAD8 = 0xA282EAD7 mod 2^32.
        Assert.Equal(0xA282EAD7u, Crc32C.Mask(0xFFFFFFFFu));
    }

    [Fact]
    public void The_crc_agrees_with_TorchSharps_native_crc32c_at_every_length_up_to_100()
    {
        // An independent implementation (libTorchSharp's, in C): lengths 1..100 cover the 8-byte
        // stride, every tail length and unaligned starts.
        var random = new Random(42);
        for (int length = 1; length <= 100; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);

            Assert.Equal(TorchSharp.Utils.CRC32C.process(data), Crc32C.Compute(data));
        }
    }
}
