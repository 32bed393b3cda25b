using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NoiseLab.TensorBoard;

/// <summary>
/// Writes protobuf wire format by hand: tags, varints, fixed-width numbers and length-delimited fields.
/// Only what an Event needs; a generated message class would pull in a protobuf runtime for four fields.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    /// <summary>A varint field (wire type 0); int64 values are written as their 64-bit two's complement.</summary>
    public void WriteVarintField(int field, ulong value)
    {
        WriteTag(field, WireType.Varint);
        WriteVarint(value);
    }

    /// <summary>A double field (wire type 1, 8 bytes little-endian).</summary>
    public void WriteDoubleField(int field, double value)
    {
        WriteTag(field, WireType.Fixed64);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(sizeof(double)), value);
        _buffer.Advance(sizeof(double));
    }

    /// <summary>A float field (wire type 5, 4 bytes little-endian).</summary>
    public void WriteFloatField(int field, float value)
    {
        WriteTag(field, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(sizeof(float)), value);
        _buffer.Advance(sizeof(float));
    }

    /// <summary>A string field: UTF-8 bytes behind their length (wire type 2).</summary>
    public void WriteStringField(int field, string value) => WriteBytesField(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A length-delimited field (wire type 2): an embedded message's bytes, or a string's.</summary>
    public void WriteBytesField(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    private void WriteTag(int field, WireType type) => WriteVarint(((ulong)field << 3) | (ulong)type);

    // Seven bits per byte, least significant group first; the high bit says another byte follows.
    private void WriteVarint(ulong value)
    {
        Span<byte> span = _buffer.GetSpan(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _buffer.Advance(i);
    }
}
