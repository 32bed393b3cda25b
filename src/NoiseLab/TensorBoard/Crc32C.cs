using System.Buffers.Binary;
using System.Numerics;

namespace NoiseLab.TensorBoard;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing, and the
/// mask TFRecord applies to it.
/// </summary>
internal static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/>: initial value and final XOR 0xFFFFFFFF.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        // BitOperations.Crc32C is the raw update step (SSE4.2 or ARMv8 CRC instructions where present);
        // the pre- and post-inversion that make it the standard CRC-32C are ours.
        uint crc = uint.MaxValue;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }
        foreach (byte b in data)
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>
    /// TFRecord's masked form of a CRC: rotated right by 15 bits plus 0xa282ead8, so that a CRC stored
    /// inside data that is itself checksummed does not make the outer CRC degenerate.
    /// </summary>
    public static uint Mask(uint crc) => unchecked(BitOperations.RotateRight(crc, 15) + 0xa282ead8u);

    /// <summary>The masked CRC-32C of <paramref name="data"/>, as stored in a TFRecord.</summary>
    public static uint Masked(ReadOnlySpan<byte> data) => Mask(Compute(data));
}
