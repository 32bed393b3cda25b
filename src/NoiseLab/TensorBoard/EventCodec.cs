using Google.Protobuf;
using Tensorboard;

namespace NoiseLab.TensorBoard;

/// <summary>
/// Maps NoiseLab's <see cref="TensorBoardEvent"/> to and from TensorBoard's <c>Event</c> message, using the
/// classes TorchSharp generated from TensorFlow's event.proto and summary.proto and Google.Protobuf's wire format.
/// </summary>
internal static class EventCodec
{
    /// <summary>The file version every event file's first event carries.</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>The event's protobuf bytes. As proto3 encoders do, a zero wall time or step is left out.</summary>
    public static byte[] Encode(TensorBoardEvent e) => ToMessage(e).ToByteArray();

    /// <summary>TensorBoard's message for <paramref name="e"/>: scalars as <c>simple_value</c>, histograms as <c>histo</c>.</summary>
    public static Event ToMessage(TensorBoardEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = new Event { WallTime = e.WallTime, Step = e.Step };
        if (!string.IsNullOrEmpty(e.FileVersion))
            message.FileVersion = e.FileVersion;
        if (e.Scalars.Count > 0 || e.Histograms.Count > 0)
        {
            message.Summary = new Summary();
            foreach (ScalarValue scalar in e.Scalars)
                message.Summary.Value.Add(new Summary.Types.Value { Tag = scalar.Tag, SimpleValue = scalar.Value });
            foreach (HistogramValue histogram in e.Histograms)
                message.Summary.Value.Add(new Summary.Types.Value { Tag = histogram.Tag, Histo = histogram.ToProto() });
        }
        return message;
    }

    /// <summary>Decodes an event; summary values other than scalars and histograms (images, plugin data) are left out.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed <c>Event</c>.</exception>
    public static TensorBoardEvent Decode(ReadOnlySpan<byte> data) => FromMessage(Parse(data));

    /// <summary>Parses TensorBoard's message from <paramref name="data"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed <c>Event</c>.</exception>
    public static Event Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            // The byte-array overload: TorchSharp's generated classes predate the span-based parser.
            return Event.Parser.ParseFrom(data.ToArray());
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException(e.Message.TrimEnd('.'), e);
        }
    }

    /// <summary>NoiseLab's view of <paramref name="message"/>: its scalars and histograms.</summary>
    public static TensorBoardEvent FromMessage(Event message)
    {
        IEnumerable<Summary.Types.Value> values = message.Summary?.Value ?? [];
        return new TensorBoardEvent
        {
            WallTime = message.WallTime,
            Step = message.Step,
            FileVersion = message.WhatCase == Event.WhatOneofCase.FileVersion ? message.FileVersion : null,
            Scalars = [.. values.Where(v => v.ValueCase == Summary.Types.Value.ValueOneofCase.SimpleValue).Select(v => new ScalarValue(v.Tag, v.SimpleValue))],
            Histograms = [.. values.Where(v => v.ValueCase == Summary.Types.Value.ValueOneofCase.Histo).Select(v => HistogramValue.FromProto(v.Tag, v.Histo))],
        };
    }
}
