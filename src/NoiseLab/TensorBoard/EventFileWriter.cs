using Google.Protobuf;
using System.Globalization;

namespace NoiseLab.TensorBoard;

/// <summary>
/// Writes a TensorBoard event file, <c>events.out.tfevents.&lt;unix seconds&gt;.&lt;host name&gt;</c>, in a
/// folder: TFRecord-framed <c>Event</c> messages, the first carrying the file version <c>brain.Event:2</c>.
/// TensorBoard shows each folder under its <c>--logdir</c> as one run. Not thread-safe.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly TimeProvider _time;
    private bool _disposed;

    /// <summary>Creates <paramref name="directory"/> if needed and a new event file in it, and writes the file-version event.</summary>
    /// <param name="directory">The run's folder.</param>
    /// <param name="time">The clock for wall times and the file name; the system clock by default.</param>
    public EventFileWriter(string directory, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(directory);
        (_stream, FilePath) = CreateFile(directory, _time.GetUtcNow());
        Write(new TensorBoardEvent { WallTime = Now(), FileVersion = EventCodec.FileVersion });
        Flush();
    }

    /// <summary>The event file's full path.</summary>
    public string FilePath { get; }

    /// <summary>Writes one event at <paramref name="step"/> whose summary holds <paramref name="scalars"/> (nothing when there are none). Call <see cref="Flush"/> to make it visible.</summary>
    public void WriteScalars(long step, IEnumerable<ScalarValue> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        ScalarValue[] values = [.. scalars];
        foreach (ScalarValue value in values)
            ArgumentException.ThrowIfNullOrEmpty(value.Tag, nameof(scalars));
        if (values.Length > 0)
            Write(new TensorBoardEvent { WallTime = Now(), Step = step, Scalars = values });
    }

    /// <summary>Writes one scalar at <paramref name="step"/>.</summary>
    public void WriteScalar(string tag, long step, float value) => WriteScalars(step, [new ScalarValue(tag, value)]);

    /// <summary>Writes one event at <paramref name="step"/> whose summary holds <paramref name="histograms"/> (nothing when there are none).</summary>
    public void WriteHistograms(long step, IEnumerable<HistogramValue> histograms)
    {
        ArgumentNullException.ThrowIfNull(histograms);
        HistogramValue[] values = [.. histograms];
        foreach (HistogramValue value in values)
            ArgumentException.ThrowIfNullOrEmpty(value?.Tag, nameof(histograms));
        if (values.Length > 0)
            Write(new TensorBoardEvent { WallTime = Now(), Step = step, Histograms = values });
    }

    /// <summary>
    /// Writes the run's hyperparameters for TensorBoard's HParams tab (each value a string, bool or number). Runs
    /// with the same <paramref name="groupName"/> are one group there (e.g. the seeds of one configuration).
    /// </summary>
    /// <exception cref="ArgumentException">A value is of another type.</exception>
    public void WriteHyperparameters(IReadOnlyDictionary<string, object> hyperparameters, string? groupName = null) =>
        Write(new Tensorboard.Event { WallTime = Now(), Summary = HyperparameterSummary.SessionStart(hyperparameters, groupName, Now()) });

    /// <summary>Writes the run's end for the HParams tab: finished, or failed (diverged, stopped by an error).</summary>
    public void WriteSessionEnd(bool succeeded) =>
        Write(new Tensorboard.Event { WallTime = Now(), Summary = HyperparameterSummary.SessionEnd(succeeded, Now()) });

    /// <summary>
    /// Hands what is written to the operating system, so that TensorBoard sees it and a killed process leaves
    /// a readable file. It does not force it to disk (fsync): a crash of the machine may still lose the tail.
    /// </summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Flush();
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stream.Dispose();
    }

    private void Write(TensorBoardEvent e) => Write(EventCodec.ToMessage(e));

    private void Write(Tensorboard.Event message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TfRecord.Write(_stream, message.ToByteArray());
    }

    private double Now() => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    // Two writers started in the same second in one folder would share a name; the later one gets a
    // numeric suffix (TensorBoard reads any file whose name contains "tfevents") rather than overwriting.
    private static (FileStream Stream, string Path) CreateFile(string directory, DateTimeOffset now)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{Environment.MachineName}");
        for (int attempt = 0; ; attempt++)
        {
            string path = Path.GetFullPath(Path.Combine(directory, attempt == 0 ? name : string.Create(CultureInfo.InvariantCulture, $"{name}.{attempt}")));
            try
            {
                return (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read), path);
            }
            catch (IOException) when (File.Exists(path) && attempt < 1000)
            {
                // Taken; try the next suffix.
            }
        }
    }
}
