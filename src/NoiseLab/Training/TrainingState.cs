using System.Security.Cryptography;
using NoiseLab.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// A run's whole training state as a <see cref="TrainingCheckpoint"/>, its fingerprint, and its restoration: one
/// implementation for <see cref="Trainer"/> and for each replica of a <see cref="StackedTrainer"/>, so that a
/// replica's checkpoint and fingerprint are byte for byte those of the single run in the same state.
/// </summary>
internal static class TrainingState
{
    /// <summary>The state of a run whose global generator is <paramref name="global"/> and whose shuffle is <paramref name="shuffle"/>.</summary>
    public static TrainingCheckpoint Capture(string runKey, TrainingContext context, IReadOnlyList<EpochRecord> history, nn.Module model,
        byte[] optimizer, Generator global, Generator shuffle, IEnumerable<TrainingCallback> callbacks) => new()
    {
        RunKey = runKey,
        Epoch = context.Epoch,
        Step = context.Step,
        StopRequested = context.StopRequested,
        NoiseGenerator = context.Options.NoiseGenerator.Name,
        History = [.. history],
        Model = Serialize(writer => model.save(writer)),
        Optimizer = optimizer,
        GlobalGenerator = GeneratorState.Capture(global),
        ShuffleGenerator = GeneratorState.Capture(shuffle),
        Callbacks = callbacks.Where(c => c.StateKey is not null).ToDictionary(c => c.StateKey!, c => Serialize(c.SaveState)),
    };

    /// <summary>SHA-256 of the state less its history and key: equal fingerprints mean equal end states.</summary>
    public static string Fingerprint(TrainingCheckpoint state)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(state.Model);
        hash.AppendData(state.Optimizer);
        hash.AppendData(state.GlobalGenerator);
        hash.AppendData(state.ShuffleGenerator);
        foreach (var (_, callback) in state.Callbacks.OrderBy(c => c.Key, StringComparer.Ordinal))
            hash.AppendData(callback);
        hash.AppendData(BitConverter.GetBytes(state.Step));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Throws unless <paramref name="checkpoint"/> can continue a run with <paramref name="options"/>: its epochs and its noise generator.</summary>
    public static void CheckFits(TrainingCheckpoint checkpoint, TrainerOptions options)
    {
        if (checkpoint.Epoch > options.Epochs || checkpoint.History.Count != checkpoint.Epoch)
            throw new CheckpointMismatchException($"The checkpoint of epoch {checkpoint.Epoch} (with {checkpoint.History.Count} epochs of history) does not fit a run of {options.Epochs} epochs.");
        if (checkpoint.GeneratorMismatch(options.NoiseGenerator) is string mismatch)
            throw new CheckpointMismatchException(mismatch);
    }

    /// <summary>Puts a run back into the state of <paramref name="checkpoint"/>; <paramref name="loadOptimizer"/> reads the optimizer's bytes.</summary>
    /// <exception cref="CheckpointMismatchException">The checkpoint holds the state of other callbacks.</exception>
    public static void Restore(TrainingCheckpoint checkpoint, TrainingContext context, nn.Module model, Action<BinaryReader> loadOptimizer,
        Generator global, Generator shuffle, IEnumerable<TrainingCallback> callbacks)
    {
        var stateful = callbacks.Where(c => c.StateKey is not null).ToList();
        var expected = stateful.Select(c => c.StateKey!).Order(StringComparer.Ordinal);
        if (!expected.SequenceEqual(checkpoint.Callbacks.Keys.Order(StringComparer.Ordinal)))
            throw new CheckpointMismatchException($"The checkpoint holds the state of [{string.Join(", ", checkpoint.Callbacks.Keys.Order(StringComparer.Ordinal))}] but this run has [{string.Join(", ", expected)}]; resume with the callbacks and noise it was written with.");
        Deserialize(checkpoint.Model, reader => model.load(reader, strict: true));
        Deserialize(checkpoint.Optimizer, loadOptimizer);
        GeneratorState.Restore(global, checkpoint.GlobalGenerator);
        GeneratorState.Restore(shuffle, checkpoint.ShuffleGenerator);
        foreach (TrainingCallback callback in stateful)
            Deserialize(checkpoint.Callbacks[callback.StateKey!], callback.LoadState);
        context.Epoch = checkpoint.Epoch;
        context.Step = checkpoint.Step;
        context.StopRequested = checkpoint.StopRequested;
    }

    /// <summary>What <paramref name="write"/> writes, as bytes.</summary>
    public static byte[] Serialize(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
            write(writer);
        return stream.ToArray();
    }

    private static void Deserialize(byte[] bytes, Action<BinaryReader> read)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        read(reader);
    }
}
