using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using NoiseLab.Checkpoints;
using NoiseLab.Training;

namespace NoiseLab.Tests.Fuzzing;

/// <summary>Checkpoints damaged every way: they read or fail with a <see cref="CheckpointCorruptException"/>.</summary>
public sealed class TrainingCheckpointFuzzTests
{
    private const int HeaderLength = 8 + 4 + 8;
    private static readonly byte[][] s_tokens = Mutation.Text("null", "{}", "[]", "[null]", "\"epoch\":", "1e999", "-1", "\"diagnostics\":null,", "\"train_metrics\":null,",
        "\"sigmas\":{\"a\":null},", "\"x\":", "\\u0000", "\"", ",", "NaN", "\"NaN\"", "99999999999");

    private static readonly Gen<byte[]> s_valid = Gen.Select(Gen.Int[0, 3], Gen.Byte.Array[0, 16], Gen.Int[0, 2], (epochs, model, callbacks) => Write(new TrainingCheckpoint
    {
        RunKey = "fashion-mnist|mlp:16|seed=1",
        Epoch = epochs,
        Step = 10L * epochs,
        History = [.. Enumerable.Range(1, epochs).Select(e => new EpochRecord
        {
            Epoch = e, TrainLoss = 1.0 / e, ValLoss = 2.0 / e, ValAccuracy = 0.5, GradNorm = e, WeightUpdateNorm = 0.5, LearningRate = 0.1,
            Sigmas = new Dictionary<string, double> { ["input"] = 0.1 },
            Diagnostics = new Dictionary<string, double> { ["ratio"] = 2 },
        })],
        Model = model,
        Optimizer = [4, 5],
        GlobalGenerator = [6],
        ShuffleGenerator = [7, 8],
        Callbacks = Enumerable.Range(0, callbacks).ToDictionary(i => $"callback{i}", i => new byte[] { (byte)i }),
    }));

    internal static byte[] Write(TrainingCheckpoint checkpoint)
    {
        using var stream = new MemoryStream();
        checkpoint.WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>A checkpoint around <paramref name="payload"/> with a correct length and checksum, so that damage reaches the payload's parser.</summary>
    internal static byte[] Sign(ReadOnlySpan<byte> payload, int version = TrainingCheckpoint.FormatVersion)
    {
        var bytes = new byte[HeaderLength + payload.Length + SHA256.HashSizeInBytes];
        "NLCKPT\0\0"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), payload.Length);
        payload.CopyTo(bytes.AsSpan(HeaderLength));
        SHA256.HashData(bytes.AsSpan(0, HeaderLength + payload.Length), bytes.AsSpan(HeaderLength + payload.Length));
        return bytes;
    }

    private static ReadOnlySpan<byte> Payload(byte[] checkpoint) => checkpoint.AsSpan(HeaderLength, checkpoint.Length - HeaderLength - SHA256.HashSizeInBytes);

    private static void Read(byte[] bytes)
    {
        TrainingCheckpoint checkpoint = TrainingCheckpoint.ReadFrom(new MemoryStream(bytes), "fuzz.ckpt");
        // What reads is whole: no null where the trainer expects a value.
        if (checkpoint.RunKey is null || checkpoint.History.Any(r => r is null || r.TrainMetrics is null || r.ValMetrics is null || r.Sigmas is null || r.Diagnostics is null)
            || checkpoint.Model is null || checkpoint.Optimizer is null || checkpoint.GlobalGenerator is null || checkpoint.ShuffleGenerator is null
            || checkpoint.Callbacks.Any(c => c.Key is null || c.Value is null))
            throw new FuzzFailureException("ReadFrom returned a checkpoint with a null inside.");
    }

    [Fact]
    public void A_damaged_file_reads_or_fails_with_a_CheckpointCorruptException()
    {
        FuzzCheck.Property<byte[], CheckpointCorruptException>(Gen.Select(s_valid, Mutation.Several(s_tokens), Mutation.ApplyAll), Read,
            bytes => bytes.Length, iterations: 300, print: FuzzInputs.Describe);
    }

    [Fact]
    public void A_damaged_payload_with_a_correct_checksum_reads_or_fails_with_a_CheckpointCorruptException()
    {
        var inputs = Gen.Select(s_valid, Mutation.Several(s_tokens), (valid, mutations) => Sign(Mutation.ApplyAll(Payload(valid).ToArray(), mutations)));
        FuzzCheck.Property<byte[], CheckpointCorruptException>(inputs, Read, bytes => bytes.Length, iterations: 600, print: FuzzInputs.Describe);
    }

    public static TheoryData<string, string> DamagedJson => new()
    {
        { "[null]", "its contents cannot be read (epoch 1 of the history is missing)" },
        { "[{\"epoch\":1,\"train_loss\":1,\"val_loss\":1,\"grad_norm\":1,\"weight_update_norm\":1,\"learning_rate\":0.1,\"diagnostics\":null}]", "its contents cannot be read (the history holds null where a value belongs)" },
        { "[{\"epoch\":1,\"train_loss\":1,\"val_loss\":1,\"grad_norm\":1,\"weight_update_norm\":1,\"learning_rate\":0.1,\"sigmas\":null}]", "its contents cannot be read (epoch 1 of the history has no sigmas)" },
    };

    [Theory]
    [MemberData(nameof(DamagedJson))]
    public void A_history_with_nulls_is_corrupt(string json, string reason)
    {
        // A payload of format 1, which had no noise generator after the stop flag.
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("key");
            writer.Write(1);
            writer.Write(10L);
            writer.Write(false);
            byte[] history = Encoding.UTF8.GetBytes(json);
            writer.Write(history.Length);
            writer.Write(history);
            for (int i = 0; i < 4; i++)
                writer.Write(0);
            writer.Write(0);
        }

        var error = FuzzCheck.Expect<CheckpointCorruptException>(() => Read(Sign(payload.ToArray(), version: 1)), 1024);

        Assert.NotNull(error);
        Assert.Equal($"The checkpoint 'fuzz.ckpt' cannot be used: {reason}.", error.Message);
    }

    [Fact]
    public void A_field_that_claims_two_gigabytes_fails_without_allocating_them()
    {
        byte[] valid = Write(new TrainingCheckpoint
        {
            RunKey = "k", Epoch = 0, Step = 0, History = [], Model = [1, 2, 3], Optimizer = [], GlobalGenerator = [], ShuffleGenerator = [],
            Callbacks = new Dictionary<string, byte[]>(),
        });
        byte[] payload = Payload(valid).ToArray();
        int model = 2 + 4 + 8 + 1 + 1 + TrainingCheckpoint.UnversionedNoiseGenerator.Length + 4 + 2; // run key "k", epoch, step, stop, generator, history "[]"
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(model), int.MaxValue);

        var error = FuzzCheck.Expect<CheckpointCorruptException>(() => Read(Sign(payload)), payload.Length, allocationLimit: 1L << 20);

        Assert.NotNull(error);
        Assert.Equal("The checkpoint 'fuzz.ckpt' cannot be used: its contents cannot be read (a field claims 2147483647 bytes).", error.Message);
    }

    [Fact]
    public void A_callback_count_of_billions_fails_without_allocating_them()
    {
        byte[] valid = Write(new TrainingCheckpoint
        {
            RunKey = "k", Epoch = 0, Step = 0, History = [], Model = [], Optimizer = [], GlobalGenerator = [], ShuffleGenerator = [],
            Callbacks = new Dictionary<string, byte[]>(),
        });
        byte[] payload = [.. Payload(valid)[..^4], .. new byte[] { 0xFF, 0xFF, 0xFF, 0x7F }, .. new byte[64]];

        var error = FuzzCheck.Expect<CheckpointCorruptException>(() => Read(Sign(payload)), payload.Length, allocationLimit: 1L << 20);

        Assert.NotNull(error);
        Assert.Equal("The checkpoint 'fuzz.ckpt' cannot be used: its contents cannot be read (2147483647 callback states).", error.Message);
    }

    [Fact]
    public void A_file_larger_than_two_gigabytes_is_corrupt_rather_than_an_overflow()
    {
        const long Payload = 3L << 30;
        var header = new byte[HeaderLength];
        "NLCKPT\0\0"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), TrainingCheckpoint.FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), Payload);
        using var stream = new HugeStream(header, HeaderLength + Payload + SHA256.HashSizeInBytes);

        var error = FuzzCheck.Expect<CheckpointCorruptException>(() => TrainingCheckpoint.ReadFrom(stream, "huge.ckpt"), HeaderLength, allocationLimit: 1L << 20);

        Assert.NotNull(error);
        Assert.Equal("The checkpoint 'huge.ckpt' cannot be used: its payload claims 3221225472 bytes, more than a checkpoint can hold.", error.Message);
    }

    /// <summary>A read-only stream of <c>length</c> bytes that starts with a header and reads zeros after it, without holding them.</summary>
    private sealed class HugeStream(byte[] head, long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - Position);
            for (int i = 0; i < n; i++)
                buffer[offset + i] = Position + i < head.Length ? head[Position + i] : (byte)0;
            Position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => length + offset,
        };

        public override void Flush() { }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
