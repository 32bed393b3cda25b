namespace NoiseLab.TensorBoard;

/// <summary>
/// The parts of TensorBoard's <c>Event</c> message that NoiseLab writes and reads: the time, the step,
/// the file version (only in a file's first event) and a summary of scalars and histograms.
/// </summary>
public sealed record TensorBoardEvent
{
    /// <summary>When the event was written, in seconds since 1970-01-01 UTC (Event field 1).</summary>
    public required double WallTime { get; init; }

    /// <summary>The step the event belongs to (Event field 2).</summary>
    public long Step { get; init; }

    /// <summary>The file format's version, <c>brain.Event:2</c>, in a file's first event; otherwise null (Event field 3).</summary>
    public string? FileVersion { get; init; }

    /// <summary>The summary's scalar values, in order (Event field 5, Summary.value with simple_value); images and plugin data are not read.</summary>
    public IReadOnlyList<ScalarValue> Scalars { get; init; } = [];

    /// <summary>The summary's histograms, in order (Summary.value with histo).</summary>
    public IReadOnlyList<HistogramValue> Histograms { get; init; } = [];

    /// <summary>Events are equal when their fields and their scalars, in order, are.</summary>
    public bool Equals(TensorBoardEvent? other) =>
        other is not null
        && WallTime.Equals(other.WallTime) && Step == other.Step && FileVersion == other.FileVersion
        && Scalars.SequenceEqual(other.Scalars) && Histograms.SequenceEqual(other.Histograms);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(WallTime, Step, FileVersion, Scalars.Count);
}
