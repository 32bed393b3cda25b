using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NoiseLab.Randomness;
using NoiseLab.Training;

namespace NoiseLab.Checkpoints;

/// <summary>
/// Everything a <see cref="Trainer"/> needs to continue a run after epoch <see cref="Epoch"/> as if it
/// had never stopped: the weights and buffers, the optimizer's state, both random generators (TorchSharp's
/// global one, which dropout draws from, and the shuffle's), the step counter that keys every noise draw,
/// each stateful callback's state, the noise generator the run draws with, and the history so far.
/// </summary>
/// <remarks>
/// On disk: the magic "NLCKPT", a format version, the payload's length, the payload, and the SHA-256 of
/// all that precedes it. A file that is cut short or has a flipped bit fails the check and is never loaded.
/// Format 1 (before noise generators were versioned) is still read; its runs drew with <c>aes128-boxmuller-v1</c>.
/// </remarks>
public sealed class TrainingCheckpoint
{
    /// <summary>The format this NoiseLab writes.</summary>
    public const int FormatVersion = 2;

    /// <summary>The generator of checkpoints in format 1, which did not record one.</summary>
    public const string UnversionedNoiseGenerator = "aes128-boxmuller-v1";

    private static readonly byte[] s_magic = "NLCKPT\0\0"u8.ToArray();
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Identifies the run configuration the checkpoint belongs to; a checkpoint never resumes another run.</summary>
    public required string RunKey { get; init; }

    /// <summary>The last finished epoch, counted from 1.</summary>
    public required int Epoch { get; init; }

    /// <summary>Optimizer steps taken so far.</summary>
    public required long Step { get; init; }

    /// <summary>The name of the <see cref="Randomness.NoiseGenerator"/> the run draws its noise with.</summary>
    public string NoiseGenerator { get; init; } = UnversionedNoiseGenerator;

    /// <summary>Whether a callback had asked training to stop.</summary>
    public bool StopRequested { get; init; }

    /// <summary>The records of epochs 1 to <see cref="Epoch"/>.</summary>
    public required IReadOnlyList<EpochRecord> History { get; init; }

    /// <summary>The model's state dictionary in TorchSharp's format.</summary>
    public required byte[] Model { get; init; }

    /// <summary>The optimizer's state dictionary in TorchSharp's format.</summary>
    public required byte[] Optimizer { get; init; }

    /// <summary>TorchSharp's global generator state.</summary>
    public required byte[] GlobalGenerator { get; init; }

    /// <summary>The shuffle generator's state.</summary>
    public required byte[] ShuffleGenerator { get; init; }

    /// <summary>Each stateful callback's state, by <see cref="TrainingCallback.StateKey"/>.</summary>
    public required IReadOnlyDictionary<string, byte[]> Callbacks { get; init; }

    /// <summary>
    /// Why this checkpoint cannot continue a run that draws with <paramref name="generator"/>, in one sentence
    /// naming both generators and how to select the checkpoint's; null when it can.
    /// </summary>
    public string? GeneratorMismatch(NoiseGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (string.Equals(NoiseGenerator, generator.Name, StringComparison.Ordinal))
            return null;
        string fix = Randomness.NoiseGenerator.TryFind(NoiseGenerator, out _)
            ? $"resume it with that generator (TrainerOptions.NoiseGenerator = NoiseGenerator.Find(\"{NoiseGenerator}\")) or start afresh without the checkpoint"
            : "this NoiseLab cannot draw with that generator, so start afresh without the checkpoint";
        return $"The checkpoint of epoch {Epoch} was drawn with noise generator {NoiseGenerator} but this run draws with {generator.Name}; {fix}.";
    }

    /// <summary>Writes the checkpoint in its checked format.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(RunKey);
            writer.Write(Epoch);
            writer.Write(Step);
            writer.Write(StopRequested);
            writer.Write(NoiseGenerator);
            WriteBytes(writer, JsonSerializer.SerializeToUtf8Bytes(History, s_json));
            WriteBytes(writer, Model);
            WriteBytes(writer, Optimizer);
            WriteBytes(writer, GlobalGenerator);
            WriteBytes(writer, ShuffleGenerator);
            writer.Write(Callbacks.Count);
            foreach (var (key, state) in Callbacks.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                writer.Write(key);
                WriteBytes(writer, state);
            }
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var header = new MemoryStream();
        using (var writer = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(s_magic);
            writer.Write(FormatVersion);
            writer.Write(payload.Length);
        }
        hash.AppendData(header.GetBuffer(), 0, (int)header.Length);
        hash.AppendData(payload.GetBuffer(), 0, (int)payload.Length);
        header.WriteTo(stream);
        payload.WriteTo(stream);
        stream.Write(hash.GetHashAndReset());
    }

    /// <summary>Reads a checkpoint written by <see cref="WriteTo"/>.</summary>
    /// <param name="stream">The checkpoint's bytes; must be seekable.</param>
    /// <param name="source">Names the file in error messages.</param>
    /// <exception cref="CheckpointCorruptException">The bytes are not a complete, unaltered checkpoint.</exception>
    public static TrainingCheckpoint ReadFrom(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        long available = stream.Length - stream.Position;
        const int HeaderLength = 8 + 4 + 8;
        byte[] header = reader.ReadBytes(HeaderLength);
        if (header.Length < HeaderLength || !header.AsSpan(0, 8).SequenceEqual(s_magic))
            throw new CheckpointCorruptException(source, "it is not a NoiseLab checkpoint");
        int version = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        long length = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(12));
        if (length < 0 || length != available - HeaderLength - SHA256.HashSizeInBytes)
            throw new CheckpointCorruptException(source, "it is truncated or has trailing bytes");
        if (length > Array.MaxLength)
            throw new CheckpointCorruptException(source, $"its payload claims {length} bytes, more than a checkpoint can hold");
        byte[] payload = reader.ReadBytes(checked((int)length));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        hash.AppendData(payload);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(reader.ReadBytes(SHA256.HashSizeInBytes)))
            throw new CheckpointCorruptException(source, "its checksum does not match its contents");
        if (version is < 1 or > FormatVersion)
            throw new CheckpointCorruptException(source, $"it is of format {version}, and this NoiseLab reads formats 1 to {FormatVersion}");
        try
        {
            return Parse(payload, version);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or IOException or FormatException or NotSupportedException)
        {
            throw new CheckpointCorruptException(source, $"its contents cannot be read ({e.Message})");
        }
        catch (ArgumentNullException)
        {
            // The history's JSON has null where EpochRecord's setters need a value.
            throw new CheckpointCorruptException(source, "its contents cannot be read (the history holds null where a value belongs)");
        }
    }

    private static TrainingCheckpoint Parse(byte[] payload, int version)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        string runKey = reader.ReadString();
        int epoch = reader.ReadInt32();
        long step = reader.ReadInt64();
        bool stop = reader.ReadBoolean();
        string generator = version >= 2 ? reader.ReadString() : UnversionedNoiseGenerator;
        var history = JsonSerializer.Deserialize<EpochRecord[]>(ReadBytes(reader), s_json) ?? throw new FormatException("the history is missing");
        for (int i = 0; i < history.Length; i++)
        {
            EpochRecord record = history[i] ?? throw new FormatException($"epoch {i + 1} of the history is missing");
            string? missing = record.TrainMetrics is null ? "train_metrics" : record.ValMetrics is null ? "val_metrics" : record.Sigmas is null ? "sigmas" : null;
            if (missing is not null)
                throw new FormatException($"epoch {i + 1} of the history has no {missing}");
        }
        byte[] model = ReadBytes(reader), optimizer = ReadBytes(reader), global = ReadBytes(reader), shuffle = ReadBytes(reader);
        int count = reader.ReadInt32();
        // Each state takes at least five bytes (an empty key and a length), so a count beyond that is a lie.
        if (count < 0 || count > (payload.Length - reader.BaseStream.Position) / 5)
            throw new FormatException($"{count} callback states");
        var callbacks = new Dictionary<string, byte[]>(count);
        for (int i = 0; i < count; i++)
            callbacks[reader.ReadString()] = ReadBytes(reader);
        return new TrainingCheckpoint
        {
            RunKey = runKey, Epoch = epoch, Step = step, StopRequested = stop, NoiseGenerator = generator, History = history,
            Model = model, Optimizer = optimizer, GlobalGenerator = global, ShuffleGenerator = shuffle, Callbacks = callbacks,
        };
    }

    private static void WriteBytes(BinaryWriter writer, byte[] bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        // A length beyond what is left would otherwise become a huge allocation.
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new FormatException($"a field claims {length} bytes");
        return reader.ReadBytes(length);
    }
}
