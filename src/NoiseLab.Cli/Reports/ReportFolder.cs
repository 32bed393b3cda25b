using System.Text;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Reports;

/// <summary>
/// What <c>noiselab report</c> writes into its folder: report.md and index.html (every sweep's tables,
/// verdicts and plots) and plots/*.png. Every file is written whole or not at all (<see cref="AtomicFile"/>).
/// </summary>
internal static class ReportFolder
{
    /// <summary>Writes the report of every sweep in <paramref name="store"/> into <paramref name="folder"/>; returns report.md's text.</summary>
    /// <param name="warnings">Where a problem that leaves the report usable but degraded is told (no font for the plots).</param>
    public static string Write(RunStore store, string folder, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(warnings);
        Directory.CreateDirectory(folder);
        var markdown = new StringBuilder();
        var html = new StringBuilder();
        var names = new PlotFileNames();
        var sweeps = store.Sweeps();
        int plots = 0;
        foreach (var (name, spec) in sweeps)
        {
            SweepReport report = SweepReport.Build(store, name, SweepSpec.Parse(spec, name).SuccessAt);
            SweepPlots figures = SweepPlots.Write(store, name, folder, names);
            plots += figures.Files.Count;
            markdown.AppendLine(report.ToMarkdown());
            if (figures.Files.Count > 0)
                markdown.AppendLine(figures.ToMarkdown());
            html.Append(report.ToHtmlSection()).Append(figures.ToHtmlSection());
        }
        if (plots > 0 && ChartFont.Family is null)
            warnings.WriteLine($"noiselab: {ChartFont.MissingWarning}");
        string title = sweeps.Count == 1 ? $"Sweep {sweeps[0].Name}" : "NoiseLab report";
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), markdown.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, "index.html"), SweepReport.HtmlPage(title, html.ToString()));
        return markdown.ToString();
    }
}
