using System.Globalization;

namespace NoiseLab.TensorBoard;

/// <summary>
/// Reads TensorBoard event files back: every TFRecord with both checksums verified, each decoded as an
/// <c>Event</c>. For tests, checks and tools that want the numbers a run logged without TensorBoard itself.
/// </summary>
public static class EventFileReader
{
    /// <summary>Every event in the file at <paramref name="path"/>, in order.</summary>
    /// <exception cref="InvalidDataException">
    /// A record is truncated, fails a checksum or is not a well-formed <c>Event</c>; the message names the
    /// file, the record's index and byte offset, and what is wrong.
    /// </exception>
    public static IReadOnlyList<TensorBoardEvent> ReadEvents(string path) => [.. ReadMessages(path).Select(EventCodec.FromMessage)];

    /// <summary>
    /// Every event in the file at <paramref name="path"/>, in order, as TensorBoard's own <c>Event</c> messages
    /// (TorchSharp's generated classes): everything the file holds, plugin data (hparams) included.
    /// </summary>
    /// <exception cref="InvalidDataException">As for <see cref="ReadEvents"/>.</exception>
    public static IReadOnlyList<Tensorboard.Event> ReadMessages(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // FileShare.ReadWrite: the file may still be open in a writer (a run in progress).
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var events = new List<Tensorboard.Event>();
        long offset = 0;
        for (int index = 0; ; index++)
        {
            long start = offset;
            byte[]? data = TfRecord.Read(stream, path, index, ref offset);
            if (data is null)
                return events;
            try
            {
                events.Add(EventCodec.Parse(data));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: record {index} at byte {start} passed its checksums but is not a valid Event: {e.Message}."), e);
            }
        }
    }

    /// <summary>Every scalar in the file at <paramref name="path"/>, in order, with its event's step and wall time.</summary>
    /// <exception cref="InvalidDataException">As for <see cref="ReadEvents"/>.</exception>
    public static IReadOnlyList<ScalarEvent> ReadScalars(string path) =>
        [.. ReadEvents(path).SelectMany(e => e.Scalars.Select(s => new ScalarEvent(s.Tag, e.Step, s.Value, e.WallTime)))];

    /// <summary>The event files in <paramref name="directory"/> (names containing <c>tfevents</c>, as TensorBoard looks for), sorted by name.</summary>
    public static IReadOnlyList<string> FindFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return [.. Directory.EnumerateFiles(directory, "*tfevents*").Order(StringComparer.Ordinal)];
    }
}
