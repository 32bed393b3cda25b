using System.Buffers.Binary;
using System.Text;

namespace NoiseLab.TensorBoard;

/// <summary>
/// Reads protobuf wire format from a span: field tags, varints, fixed-width numbers, length-delimited
/// fields, and skips fields it is not asked about, as protobuf's rules for unknown fields require.
/// Malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    /// <summary>Whether any bytes are left.</summary>
    public readonly bool HasMore => !_rest.IsEmpty;

    /// <summary>Reads the next field's tag: its number and wire type.</summary>
    public (int Field, WireType Type) ReadTag()
    {
        ulong tag = ReadVarint();
        ulong field = tag >> 3;
        if (field is 0 or > int.MaxValue)
            throw new InvalidDataException($"protobuf field number {field} is out of range");
        return ((int)field, (WireType)(tag & 7));
    }

    /// <summary>Reads a varint (up to 10 bytes, 64 bits).</summary>
    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_rest.IsEmpty)
                throw new InvalidDataException("protobuf varint runs past the end of the message");
            byte b = _rest[0];
            _rest = _rest[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw new InvalidDataException("protobuf varint is longer than 10 bytes");
    }

    /// <summary>Reads 8 bytes little-endian as a double.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double)));

    /// <summary>Reads 4 bytes little-endian as a float.</summary>
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(sizeof(float)));

    /// <summary>Reads a length-delimited field's bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)_rest.Length)
            throw new InvalidDataException($"protobuf field of {length} bytes runs past the end of the message ({_rest.Length} bytes left)");
        return Take((int)length);
    }

    /// <summary>Reads a length-delimited field as UTF-8 text.</summary>
    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Reads a field of <paramref name="type"/> only to step over it.</summary>
    public void Skip(WireType type)
    {
        switch (type)
        {
            case WireType.Varint: ReadVarint(); break;
            case WireType.Fixed64: Take(8); break;
            case WireType.LengthDelimited: ReadBytes(); break;
            case WireType.Fixed32: Take(4); break;
            default: throw new InvalidDataException($"protobuf wire type {(int)type} is not supported");
        }
    }

    /// <summary>Throws unless a field read with <paramref name="actual"/> has the wire type its schema gives it.</summary>
    public static void Expect(int field, WireType actual, WireType expected)
    {
        if (actual != expected)
            throw new InvalidDataException($"protobuf field {field} has wire type {actual}, expected {expected}");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length)
            throw new InvalidDataException($"protobuf field of {count} bytes runs past the end of the message ({_rest.Length} bytes left)");
        ReadOnlySpan<byte> taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
