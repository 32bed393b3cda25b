namespace NoiseLab.Cli.Reports;

/// <summary>One panel of a <see cref="Chart"/>: curves of one figure over epochs.</summary>
internal sealed record ChartPanel(string YLabel, IReadOnlyList<Curve> Curves)
{
    /// <summary>The epochs at which a controller fired, marked on the panel's curves.</summary>
    public IReadOnlyList<TriggerMarks> Triggers { get; init; } = [];

    /// <summary>
    /// Whether the y axis starts at 0: for levels that are never negative (σ, learning rate), so that
    /// a constant level reads as its value rather than as a line in the middle of an arbitrary range.
    /// </summary>
    public bool FromZero { get; init; }
}
