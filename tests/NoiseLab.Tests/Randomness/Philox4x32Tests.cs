using System.Runtime.Intrinsics;
using NoiseLab.Randomness;

namespace NoiseLab.Tests.Randomness;

public sealed class Philox4x32Tests
{
    // Random123's published known-answer vectors for Philox4x32-10 (tests/kat_vectors).
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Matches_the_Random123_known_answers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3)
    {
        Assert.Equal((r0, r1, r2, r3), Philox4x32.Block(c0, c1, c2, c3, k0, k1));
    }

    [Fact]
    public void Eight_lanes_at_once_equal_eight_single_blocks()
    {
        var random = new Random(3);
        uint Next() => (uint)random.NextInt64(0, 1L << 32);
        uint[] a = [.. Enumerable.Range(0, 8).Select(_ => Next())], b = [.. Enumerable.Range(0, 8).Select(_ => Next())];
        uint[] c = [.. Enumerable.Range(0, 8).Select(_ => Next())], d = [.. Enumerable.Range(0, 8).Select(_ => Next())];
        uint k0 = Next(), k1 = Next();
        var (v0, v1, v2, v3) = Philox4x32.Block8(Vector256.Create<uint>(a), Vector256.Create<uint>(b), Vector256.Create<uint>(c), Vector256.Create<uint>(d), k0, k1);

        for (int lane = 0; lane < 8; lane++)
            Assert.Equal(Philox4x32.Block(a[lane], b[lane], c[lane], d[lane], k0, k1), (v0[lane], v1[lane], v2[lane], v3[lane]));
    }
}
