using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tensorboard;

namespace NoiseLab.TensorBoard;

/// <summary>
/// The summaries of TensorBoard's HParams plugin (tensorboard/plugins/hparams/plugin_data.proto): a run's
/// hyperparameters when it starts and its status when it ends. Each is a summary value with no data whose
/// metadata names the plugin <c>hparams</c> and carries a serialized <c>HParamsPluginData</c>:
/// <code>
/// HParamsPluginData { int32 version = 1; oneof data { SessionStartInfo session_start_info = 3; SessionEndInfo session_end_info = 4; } }
/// SessionStartInfo  { map&lt;string, google.protobuf.Value&gt; hparams = 1; string group_name = 4; double start_time_secs = 5; }
/// SessionEndInfo    { Status status = 1; double end_time_secs = 2; }    // Status: 1 success, 2 failure
/// </code>
/// TorchSharp does not ship these two messages, so they are written here field by field; the hparams map has the
/// wire format of <c>google.protobuf.Struct</c> (a map&lt;string, Value&gt; in field 1), which Google.Protobuf provides.
/// TensorBoard infers the experiment (the table's columns) from the runs' start infos.
/// </summary>
internal static class HyperparameterSummary
{
    public const string PluginName = "hparams";
    public const string SessionStartTag = "_hparams_/session_start_info";
    public const string SessionEndTag = "_hparams_/session_end_info";

    private const int StartInfoField = 3, EndInfoField = 4;
    private const int GroupNameField = 4, StartTimeField = 5;
    private const int StatusField = 1, EndTimeField = 2;

    /// <summary>The session-start summary for <paramref name="hyperparameters"/> (each a string, bool or number).</summary>
    /// <exception cref="ArgumentException">A value is of another type.</exception>
    public static Summary SessionStart(IReadOnlyDictionary<string, object> hyperparameters, string? groupName, double startTime)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        var map = new Struct();
        foreach (var (name, value) in hyperparameters.OrderBy(e => e.Key, StringComparer.Ordinal))
            map.Fields[name] = ValueOf(name, value);
        var info = new MemoryStream();
        var output = new CodedOutputStream(info);
        map.WriteTo(output);
        if (!string.IsNullOrEmpty(groupName))
        {
            output.WriteTag(GroupNameField, WireFormat.WireType.LengthDelimited);
            output.WriteString(groupName);
        }
        output.WriteTag(StartTimeField, WireFormat.WireType.Fixed64);
        output.WriteDouble(startTime);
        output.Flush();
        return PluginSummary(SessionStartTag, StartInfoField, info.ToArray());
    }

    /// <summary>The session-end summary: success or failure, and when.</summary>
    public static Summary SessionEnd(bool succeeded, double endTime)
    {
        var info = new MemoryStream();
        var output = new CodedOutputStream(info);
        output.WriteTag(StatusField, WireFormat.WireType.Varint);
        output.WriteEnum(succeeded ? 1 : 2);
        output.WriteTag(EndTimeField, WireFormat.WireType.Fixed64);
        output.WriteDouble(endTime);
        output.Flush();
        return PluginSummary(SessionEndTag, EndInfoField, info.ToArray());
    }

    private static Summary PluginSummary(string tag, int dataField, byte[] data)
    {
        // HParamsPluginData with version 0 (left out, as proto3 does) and the one field of its oneof.
        var content = new MemoryStream();
        var output = new CodedOutputStream(content);
        output.WriteTag(dataField, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(data));
        output.Flush();
        var metadata = new SummaryMetadata { PluginData = new SummaryMetadata.Types.PluginData { PluginName = PluginName, Content = ByteString.CopyFrom(content.ToArray()) } };
        return new Summary { Value = { new Summary.Types.Value { Tag = tag, Metadata = metadata } } };
    }

    private static Value ValueOf(string name, object value) => value switch
    {
        string text => Value.ForString(text),
        bool flag => Value.ForBool(flag),
        double or float or int or long or decimal => Value.ForNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"The hyperparameter '{name}' is a {value?.GetType().Name ?? "null"}; TensorBoard takes strings, booleans and numbers.", nameof(value)),
    };
}
