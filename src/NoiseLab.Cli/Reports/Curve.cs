namespace NoiseLab.Cli.Reports;

/// <summary>
/// A line of mean values over epochs with its ±std band. <paramref name="Color"/> indexes the
/// palette, so that a noise plan keeps its color in every panel; <paramref name="Dashed"/> marks a
/// planned level (the controller's next σ) rather than a measured one; <paramref name="Baseline"/> marks the
/// no-noise plan, drawn last, in black and wider, so that the curves of the other plans never hide it.
/// </summary>
internal sealed record Curve(string Label, int Color, IReadOnlyList<EpochBand> Points, bool Dashed = false, bool Baseline = false);
