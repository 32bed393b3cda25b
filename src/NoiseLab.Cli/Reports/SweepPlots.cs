using System.Text;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Reports;

/// <summary>
/// The PNG figures of one sweep (<see cref="ConfigurationFigures"/>), written into a report's plots
/// folder, and the Markdown that shows them.
/// </summary>
internal sealed class SweepPlots
{
    /// <summary>The folder, inside the report folder, that holds the PNGs.</summary>
    public const string Folder = "plots";

    private SweepPlots(IReadOnlyList<PlotFile> files) => Files = files;

    /// <summary>Every PNG written, by configuration in the report's order.</summary>
    public IReadOnlyList<PlotFile> Files { get; }

    /// <summary>
    /// Draws and writes the figures of <paramref name="sweep"/> into <paramref name="reportFolder"/>/plots; a run is a
    /// success when its validation accuracy reaches <paramref name="successAt"/>, the sweep's <c>success_at</c>, and the runs
    /// of a configuration are timed to its target in <paramref name="targets"/> (<see cref="SweepReport.ReachTargets"/>).
    /// </summary>
    public static SweepPlots Write(RunStore store, string sweep, string reportFolder, PlotFileNames names, double successAt, IReadOnlyList<ReachTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(targets);
        string folder = Path.Combine(reportFolder, Folder);
        Directory.CreateDirectory(folder);
        var files = new List<PlotFile>();
        foreach (ConfigurationHistory configuration in ConfigurationHistory.Load(store, sweep))
        {
            ReachTarget? target = targets.FirstOrDefault(t => t.Configuration == configuration.Configuration);
            foreach (Chart chart in ConfigurationFigures.All(configuration, successAt, target))
            {
                string name = names.Next(sweep, configuration.Configuration, chart.Name);
                AtomicFile.WriteAllBytes(Path.Combine(folder, name), ChartImage.Png(chart));
                var (width, height) = ChartImage.SizeOf(chart);
                files.Add(new PlotFile(configuration.Configuration, chart.Name, $"{Folder}/{name}", width, height));
            }
        }
        return new SweepPlots(files);
    }

    /// <summary>A "Plots" section with a heading per configuration and each figure as an image.</summary>
    public string ToMarkdown()
    {
        if (Files.Count == 0)
            return "";
        var text = new StringBuilder("## Plots").AppendLine();
        foreach (var configuration in Files.GroupBy(f => f.Configuration))
        {
            text.AppendLine().AppendLine($"### `{configuration.Key}`");
            foreach (PlotFile file in configuration)
                text.AppendLine().AppendLine($"![{file.Caption}]({file.RelativePath})");
        }
        return text.ToString();
    }
}
