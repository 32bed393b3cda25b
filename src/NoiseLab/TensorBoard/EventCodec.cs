namespace NoiseLab.TensorBoard;

/// <summary>
/// Encodes and decodes TensorBoard's <c>Event</c> message (tensorflow/core/util/event.proto) in the
/// protobuf wire format, for the fields NoiseLab uses:
/// <code>
/// Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
/// Summary { repeated Value value = 1; }
/// Value   { string tag = 1; float simple_value = 2; }
/// </code>
/// </summary>
internal static class EventCodec
{
    /// <summary>The file version every event file's first event carries.</summary>
    public const string FileVersion = "brain.Event:2";

    private const int WallTimeField = 1, StepField = 2, FileVersionField = 3, SummaryField = 5;
    private const int SummaryValueField = 1;
    private const int ValueTagField = 1, ValueSimpleValueField = 2;

    /// <summary>The event's protobuf bytes. As proto3 encoders do, a zero wall time or step is left out.</summary>
    public static byte[] Encode(TensorBoardEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var writer = new ProtoWriter();
        // Bit-pattern test, so that −0.0 is still written, as protobuf's encoders do.
        if (BitConverter.DoubleToInt64Bits(e.WallTime) != 0)
            writer.WriteDoubleField(WallTimeField, e.WallTime);
        if (e.Step != 0)
            writer.WriteVarintField(StepField, unchecked((ulong)e.Step));
        if (!string.IsNullOrEmpty(e.FileVersion))
            writer.WriteStringField(FileVersionField, e.FileVersion);
        if (e.Scalars.Count > 0)
        {
            var summary = new ProtoWriter();
            foreach (ScalarValue scalar in e.Scalars)
            {
                var value = new ProtoWriter();
                if (!string.IsNullOrEmpty(scalar.Tag))
                    value.WriteStringField(ValueTagField, scalar.Tag);
                // simple_value sits in a oneof, so it is written even when it is 0: its presence is what makes the value a scalar.
                value.WriteFloatField(ValueSimpleValueField, scalar.Value);
                summary.WriteBytesField(SummaryValueField, value.Written);
            }
            writer.WriteBytesField(SummaryField, summary.Written);
        }
        return writer.Written.ToArray();
    }

    /// <summary>Decodes an event, skipping fields other than the ones above; summary values without simple_value are left out.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed message.</exception>
    public static TensorBoardEvent Decode(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var scalars = new List<ScalarValue>();
        while (reader.HasMore)
        {
            var (field, type) = reader.ReadTag();
            switch (field)
            {
                case WallTimeField:
                    ProtoReader.Expect(field, type, WireType.Fixed64);
                    wallTime = reader.ReadDouble();
                    break;
                case StepField:
                    ProtoReader.Expect(field, type, WireType.Varint);
                    step = unchecked((long)reader.ReadVarint());
                    break;
                case FileVersionField:
                    ProtoReader.Expect(field, type, WireType.LengthDelimited);
                    fileVersion = reader.ReadString();
                    break;
                case SummaryField:
                    ProtoReader.Expect(field, type, WireType.LengthDelimited);
                    // A message field seen twice merges; for a repeated field inside, that means appending.
                    DecodeSummary(reader.ReadBytes(), scalars);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
        return new TensorBoardEvent { WallTime = wallTime, Step = step, FileVersion = fileVersion, Scalars = scalars };
    }

    private static void DecodeSummary(ReadOnlySpan<byte> data, List<ScalarValue> scalars)
    {
        var reader = new ProtoReader(data);
        while (reader.HasMore)
        {
            var (field, type) = reader.ReadTag();
            if (field != SummaryValueField)
            {
                reader.Skip(type);
                continue;
            }
            ProtoReader.Expect(field, type, WireType.LengthDelimited);
            if (DecodeValue(reader.ReadBytes()) is ScalarValue scalar)
                scalars.Add(scalar);
        }
    }

    private static ScalarValue? DecodeValue(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        string tag = "";
        float? value = null;
        while (reader.HasMore)
        {
            var (field, type) = reader.ReadTag();
            switch (field)
            {
                case ValueTagField:
                    ProtoReader.Expect(field, type, WireType.LengthDelimited);
                    tag = reader.ReadString();
                    break;
                case ValueSimpleValueField:
                    ProtoReader.Expect(field, type, WireType.Fixed32);
                    value = reader.ReadFloat();
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
        return value is float v ? new ScalarValue(tag, v) : null;
    }
}
