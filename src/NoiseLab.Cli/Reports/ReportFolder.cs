using System.Text;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Reports;

/// <summary>
/// What <c>noiselab report</c> writes into its folder: report.md (every sweep's provenance, tables, verdicts,
/// forest plots and figures), index.html (that Markdown rendered, <see cref="ReportPage"/>) and plots/*.png.
/// Every file is written whole or not at all (<see cref="AtomicFile"/>).
/// </summary>
internal static class ReportFolder
{
    /// <summary>Writes the report of every sweep in <paramref name="store"/> into <paramref name="folder"/>; returns report.md's text.</summary>
    /// <param name="warnings">Where a problem that leaves the report usable but degraded is told (no font for the plots).</param>
    /// <param name="clock">The clock for the report's date; the system clock by default.</param>
    public static string Write(RunStore store, string folder, TextWriter warnings, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(warnings);
        Directory.CreateDirectory(folder);
        var markdown = new StringBuilder();
        var names = new PlotFileNames();
        var sweeps = store.Sweeps();
        DateTimeOffset now = (clock ?? TimeProvider.System).GetUtcNow();
        int plots = 0;
        foreach (var (name, spec) in sweeps)
        {
            double successAt = SweepSpec.Parse(spec, name).SuccessAt;
            SweepReport report = SweepReport.Build(store, name, successAt);
            var forests = WriteForestPlots(report, folder, names);
            SweepPlots figures = SweepPlots.Write(store, name, folder, names, successAt, report.ReachTargets);
            plots += figures.Files.Count + forests.Count;
            var provenance = new ReportProvenance(ReportProvenance.CurrentVersion, spec, now, ReportProvenance.CurrentMachine);
            markdown.AppendLine(SweepReportMarkdown.Write(report, provenance, forests));
            if (figures.Files.Count > 0)
                markdown.AppendLine(figures.ToMarkdown());
        }
        if (plots > 0 && ChartFont.Family is null)
            warnings.WriteLine($"noiselab: {ChartFont.MissingWarning}");
        string title = sweeps.Count == 1 ? $"Sweep {sweeps[0].Name}" : "NoiseLab report";
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), markdown.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, "index.html"), ReportPage.Html(title, markdown.ToString()));
        return markdown.ToString();
    }

    // One forest plot per configuration that has a comparison, keyed by configuration, in the report's order.
    private static Dictionary<string, string> WriteForestPlots(SweepReport report, string folder, PlotFileNames names)
    {
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        Directory.CreateDirectory(Path.Combine(folder, SweepPlots.Folder));
        foreach (string configuration in report.Plans.Select(p => p.Configuration).Distinct())
        {
            if (ForestPlot.Png(report, configuration) is not byte[] png)
                continue;
            string file = names.Next(report.Sweep, configuration, "forest plot");
            AtomicFile.WriteAllBytes(Path.Combine(folder, SweepPlots.Folder, file), png);
            written[configuration] = $"{SweepPlots.Folder}/{file}";
        }
        return written;
    }
}
