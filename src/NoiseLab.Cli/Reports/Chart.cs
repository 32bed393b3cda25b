namespace NoiseLab.Cli.Reports;

/// <summary>
/// A figure of the report, as data: panels stacked over a shared epoch axis, drawn into one PNG by
/// <see cref="ChartImage"/>. <paramref name="Name"/> says what it shows ("learning curves"); it captions
/// the image and names its file.
/// </summary>
internal sealed record Chart(string Name, string Configuration, IReadOnlyList<ChartPanel> Panels)
{
    /// <summary>The title drawn above the first panel.</summary>
    public string Title => $"{Name}: {Configuration}";

    /// <summary>Whether every panel shares one y range (the noise levels of different plans, read against each other).</summary>
    public bool SharedYAxis { get; init; }
}
