using Google.Protobuf;
using NoiseLab.TensorBoard;

namespace NoiseLab.Tests.TensorBoard;

public sealed class EventCodecTests
{
    [Fact]
    public void An_event_with_a_time_a_step_and_one_scalar_encodes_to_the_bytes_derived_by_hand()
    {
        var e = new TensorBoardEvent { WallTime = 1.5, Step = 300, Scalars = [new ScalarValue("a", 2.0f)] };

        // A field's tag is the varint (field number << 3) | wire type.
        byte[] expected =
        [
            0x09,                                           // Event field 1 (wall_time), wire type 1 (64-bit): (1 << 3) | 1
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F, // 1.5 = 0x3FF8_0000_0000_0000, little-endian
            0x10,                                           // Event field 2 (step), wire type 0 (varint): (2 << 3) | 0
            0xAC, 0x02,                                     // 300 = 0b10_0101100: low seven bits 0x2C with the "more" bit = 0xAC, then 300 >> 7 = 2
            0x2A,                                           // Event field 5 (summary), wire type 2 (length-delimited): (5 << 3) | 2 = 42
            0x0A,                                           // the Summary is 10 bytes long
            0x0A,                                           //   Summary field 1 (value, repeated), wire type 2: (1 << 3) | 2
            0x08,                                           //   the Value is 8 bytes long
            0x0A, 0x01, 0x61,                               //     Value field 1 (tag), wire type 2, length 1, "a"
            0x15,                                           //     Value field 2 (simple_value), wire type 5 (32-bit): (2 << 3) | 5 = 21
            0x00, 0x00, 0x00, 0x40,                         //     2.0f = 0x4000_0000, little-endian
        ];
        Assert.Equal(expected, EventCodec.Encode(e));
    }

    [Fact]
    public void The_file_version_event_encodes_to_the_bytes_derived_by_hand()
    {
        var e = new TensorBoardEvent { WallTime = 1.5, FileVersion = "brain.Event:2" };

        byte[] expected =
        [
            0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F, // wall_time 1.5, as above; step 0 is left out (proto3 default)
            0x1A, 0x0D,                                           // Event field 3 (file_version), wire type 2: (3 << 3) | 2 = 26; 13 bytes
            .. "brain.Event:2"u8,
        ];
        Assert.Equal(expected, EventCodec.Encode(e));
    }

    public static TheoryData<double, long, string?, string[], float[]> Events => new()
    {
        { 1_700_000_000.123456, 1, null, ["loss/train"], [0.6931472f] },
        { 1_700_000_000.5, 0, "brain.Event:2", [], [] },
        { 2.5, -3, null, ["a", "b/c", "σ/input"], [0f, -1.25e-7f, float.MaxValue] },
        { 1e9, long.MaxValue, null, ["nan", "inf"], [float.NaN, float.NegativeInfinity] },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Encoding_gives_the_bytes_of_TorchSharps_generated_Event_and_decodes_back_equal(double wallTime, long step, string? fileVersion, string[] tags, float[] values)
    {
        // The Event class TorchSharp generated from TensorFlow's .proto files, filled field by field.
        var reference = new Tensorboard.Event { WallTime = wallTime, Step = step };
        if (fileVersion is not null)
            reference.FileVersion = fileVersion;
        if (tags.Length > 0)
        {
            reference.Summary = new Tensorboard.Summary();
            for (int i = 0; i < tags.Length; i++)
                reference.Summary.Value.Add(new Tensorboard.Summary.Types.Value { Tag = tags[i], SimpleValue = values[i] });
        }
        var e = new TensorBoardEvent
        {
            WallTime = wallTime,
            Step = step,
            FileVersion = fileVersion,
            Scalars = [.. tags.Zip(values, (t, v) => new ScalarValue(t, v))],
        };

        byte[] ours = EventCodec.Encode(e);

        Assert.Equal(reference.ToByteArray(), ours);
        Assert.Equal(e, EventCodec.Decode(ours));
    }

    [Fact]
    public void Decoding_keeps_scalars_and_histograms_and_skips_images()
    {
        var message = new Tensorboard.Event
        {
            WallTime = 3.25,
            Step = 9,
            Summary = new Tensorboard.Summary
            {
                Value =
                {
                    new Tensorboard.Summary.Types.Value { Tag = "picture", Image = new Tensorboard.Summary.Types.Image { Height = 2, Width = 3, EncodedImageString = ByteString.CopyFrom(1, 2, 3) } },
                    new Tensorboard.Summary.Types.Value { Tag = "x", NodeName = "node", SimpleValue = 0.5f },
                    new Tensorboard.Summary.Types.Value { Tag = "histogram", Histo = new Tensorboard.HistogramProto { Min = 1, Max = 2, Num = 3 } },
                },
            },
        };

        TensorBoardEvent decoded = EventCodec.Decode(message.ToByteArray());

        Assert.Equal(new TensorBoardEvent
        {
            WallTime = 3.25,
            Step = 9,
            Scalars = [new ScalarValue("x", 0.5f)],
            Histograms = [new HistogramValue("histogram", 1, 2, 3, 0, 0, [], [])],
        }, decoded);
    }

    [Fact]
    public void A_message_cut_short_is_rejected_naming_the_problem()
    {
        byte[] whole = EventCodec.Encode(new TensorBoardEvent { WallTime = 1.5, Step = 300, Scalars = [new ScalarValue("a", 2.0f)] });

        // Cut inside the 4-byte float, the last field of the nested Value.
        var error = Assert.Throws<InvalidDataException>(() => EventCodec.Decode(whole.AsSpan(0, whole.Length - 2)));

        Assert.StartsWith("While parsing a protocol message, the input ended unexpectedly in the middle of a field", error.Message, StringComparison.Ordinal);
    }
}
