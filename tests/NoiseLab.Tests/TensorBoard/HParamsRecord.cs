using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace NoiseLab.Tests.TensorBoard;

/// <summary>
/// A test-side reader of the HParams plugin's data, written from plugin_data.proto independently of the writer:
/// the session-start info's hyperparameters (a map in field 1, read as google.protobuf.Struct) and group name
/// (field 4), or the session-end info's status (field 1).
/// </summary>
internal sealed record HParamsRecord(string Tag, IReadOnlyDictionary<string, Value>? Hyperparameters, string? Group, int? Status)
{
    public static IReadOnlyList<HParamsRecord> In(IEnumerable<Tensorboard.Event> events) =>
        [.. events.SelectMany(e => e.Summary?.Value ?? [])
            .Where(v => v.Metadata?.PluginData?.PluginName == "hparams")
            .Select(v => Parse(v.Tag, v.Metadata.PluginData.Content))];

    private static HParamsRecord Parse(string tag, ByteString content)
    {
        var plugin = new CodedInputStream(content.ToByteArray());
        for (uint fieldTag; (fieldTag = plugin.ReadTag()) != 0;)
        {
            int field = WireFormat.GetTagFieldNumber(fieldTag);
            if (field == 3)
            {
                byte[] start = plugin.ReadBytes().ToByteArray();
                string? group = null;
                var reader = new CodedInputStream(start);
                for (uint t; (t = reader.ReadTag()) != 0;)
                {
                    if (WireFormat.GetTagFieldNumber(t) == 4)
                        group = reader.ReadString();
                    else
                        reader.SkipLastField();
                }
                return new HParamsRecord(tag, Struct.Parser.ParseFrom(start).Fields, group, null);
            }
            if (field == 4)
            {
                var reader = new CodedInputStream(plugin.ReadBytes().ToByteArray());
                int status = 0;
                for (uint t; (t = reader.ReadTag()) != 0;)
                {
                    if (WireFormat.GetTagFieldNumber(t) == 1)
                        status = reader.ReadEnum();
                    else
                        reader.SkipLastField();
                }
                return new HParamsRecord(tag, null, null, status);
            }
            plugin.SkipLastField();
        }
        throw new InvalidDataException($"{tag}: HParamsPluginData with neither a session start nor a session end.");
    }
}
