using NoiseLab.Experiments;
using ScottPlot;

namespace NoiseLab.Cli.Reports;

/// <summary>
/// The forest plot of one configuration: a row per noise plan, its Δ test accuracy against <c>none</c> as a point
/// with its 95 % interval, for both designs (circles: independent samples, bootstrap; squares: paired by seed,
/// t interval), and a dashed line at no difference. The figure a reader of a sweep wants first.
/// </summary>
internal static class ForestPlot
{
    /// <summary>The width of the image, in pixels.</summary>
    public const int Width = 1000;

    private const int RowHeight = 60, Margins = 140;

    /// <summary>The image's size for <paramref name="plans"/> rows.</summary>
    public static (int Width, int Height) SizeOf(int plans) => (Width, Margins + RowHeight * Math.Max(1, plans));

    /// <summary>The plans of <paramref name="configuration"/> that have a comparison of either design, in the report's order.</summary>
    public static IReadOnlyList<string> PlansOf(SweepReport report, string configuration)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. report.Comparisons.Where(c => c.Configuration == configuration).Select(c => c.Plan)
            .Union(report.PairedComparisons.Where(c => c.Configuration == configuration).Select(c => c.Plan))];
    }

    /// <summary>The PNG's bytes; null when the configuration has no comparison to draw.</summary>
    public static byte[]? Png(SweepReport report, string configuration)
    {
        string[] plans = [.. PlansOf(report, configuration)];
        if (plans.Length == 0)
            return null;
        var plot = new Plot();
        if (ChartFont.Family is string family)
        {
            plot.Font.Set(family);
            plot.Legend.FontName = family;
            plot.Legend.SetBestFontOnEachRender = false;
        }
        // The first plan at the top, as in the tables.
        double Row(string plan) => plans.Length - 1 - Array.IndexOf(plans, plan);
        var independent = report.Comparisons.Where(c => c.Configuration == configuration)
            .Select(c => (Y: Row(c.Plan) + 0.15, c.Difference, c.Low, c.High)).ToArray();
        var paired = report.PairedComparisons.Where(c => c.Configuration == configuration)
            .Select(c => (Y: Row(c.Plan) - 0.15, c.Difference, c.Low, c.High)).ToArray();
        Add(plot, independent, MarkerShape.FilledCircle, Colors.SteelBlue, "independent samples (95 % bootstrap)");
        Add(plot, paired, MarkerShape.FilledSquare, Colors.DarkOrange, "paired by seed (95 % t)");
        var zero = plot.Add.VerticalLine(0, 1.5f, Colors.Gray, LinePattern.Dashed);
        zero.LegendText = "no difference";
        plot.Axes.Left.SetTicks([.. plans.Select(Row)], [.. plans]);
        plot.Axes.SetLimitsY(-0.6, plans.Length - 0.4);
        double[] bounds = [0, .. independent.SelectMany(c => new[] { c.Low, c.High }), .. paired.SelectMany(c => new[] { c.Low, c.High })];
        double span = Math.Max(bounds.Max() - bounds.Min(), 1e-4);
        plot.Axes.SetLimitsX(bounds.Min() - 0.08 * span, bounds.Max() + 0.08 * span);
        plot.Title($"Δ test accuracy against none: {configuration}");
        plot.XLabel("Δ test accuracy (plan − none)");
        plot.ShowLegend(Edge.Bottom);
        var (width, height) = SizeOf(plans.Length);
        using Image image = plot.GetImage(width, height);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }

    private static void Add(Plot plot, (double Y, double Difference, double Low, double High)[] rows, MarkerShape shape, Color color, string label)
    {
        if (rows.Length == 0)
            return;
        foreach (var row in rows)
        {
            var interval = plot.Add.Line(row.Low, row.Y, row.High, row.Y);
            interval.Color = color;
            interval.LineWidth = 2.5f;
        }
        double[] xs = [.. rows.Select(r => r.Difference)], ys = [.. rows.Select(r => r.Y)];
        var points = plot.Add.Markers(xs, ys, shape, 11, color);
        points.LegendText = label;
    }
}
