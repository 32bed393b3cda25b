namespace NoiseLab.TensorBoard;

/// <summary>The protobuf wire types, the low three bits of a field's tag.</summary>
internal enum WireType
{
    /// <summary>int32, int64, uint, bool, enum: a varint.</summary>
    Varint = 0,

    /// <summary>double, fixed64: 8 bytes little-endian.</summary>
    Fixed64 = 1,

    /// <summary>string, bytes, embedded messages: a varint length, then that many bytes.</summary>
    LengthDelimited = 2,

    /// <summary>Start of a group (deprecated); never written by TensorBoard's messages.</summary>
    StartGroup = 3,

    /// <summary>End of a group (deprecated).</summary>
    EndGroup = 4,

    /// <summary>float, fixed32: 4 bytes little-endian.</summary>
    Fixed32 = 5,
}
