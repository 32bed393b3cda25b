using ScottPlot;
using ScottPlot.TickGenerators;

namespace NoiseLab.Cli.Reports;

/// <summary>Draws a <see cref="Chart"/> into a PNG with ScottPlot: <see cref="Width"/> pixels wide, <see cref="PanelHeight"/> pixels per panel.</summary>
internal static class ChartImage
{
    /// <summary>The width of every chart, in pixels.</summary>
    public const int Width = 1000;

    /// <summary>The height of one panel, in pixels.</summary>
    public const int PanelHeight = 320;

    private static readonly IPalette s_palette = new ScottPlot.Palettes.Category10();

    /// <summary>The PNG's width and height for <paramref name="chart"/>.</summary>
    public static (int Width, int Height) SizeOf(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return (Width, PanelHeight * chart.Panels.Count);
    }

    /// <summary>The PNG file's bytes.</summary>
    public static byte[] Png(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        if (chart.Panels.Count == 0)
            throw new ArgumentException($"The chart '{chart.Title}' has no panels to draw.", nameof(chart));
        // A shared axis reaches the highest band of any panel.
        double? sharedTop = chart.SharedYAxis ? chart.Panels.SelectMany(p => p.Curves).SelectMany(c => c.Points).Select(p => p.High).DefaultIfEmpty(0).Max() : null;
        Plot[] plots = [.. chart.Panels.Select(panel => Draw(panel, sharedTop))];
        plots[0].Title(chart.Title);
        int[] epochs = [.. chart.Panels.SelectMany(p => p.Curves).SelectMany(c => c.Points).Select(p => p.Epoch)];
        if (epochs.Length > 0)
        {
            // Every panel shows the same epochs, so that one epoch lies at one x in the whole image.
            foreach (Plot plot in plots)
                plot.Axes.SetLimitsX(epochs.Min() - 0.25, epochs.Max() + 0.25);
        }
        var multiplot = new Multiplot(plots[0]) { Layout = new ScottPlot.MultiplotLayouts.Rows() };
        foreach (Plot plot in plots.Skip(1))
            multiplot.AddPlot(plot);
        var (width, height) = SizeOf(chart);
        using Image image = multiplot.Render(width, height);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }

    private static Plot Draw(ChartPanel panel, double? sharedTop)
    {
        var plot = new Plot();
        if (ChartFont.Family is string family)
        {
            plot.Font.Set(family);
            plot.Legend.FontName = family;
            plot.Legend.SetBestFontOnEachRender = false;
        }
        // The baseline last, so that it is drawn over the plans' curves and bands.
        foreach (Curve curve in panel.Curves.Where(c => c.Points.Count > 0).OrderBy(c => c.Baseline))
        {
            double[] epochs = [.. curve.Points.Select(p => (double)p.Epoch)];
            Color color = curve.Baseline ? Colors.Black : s_palette.GetColor(curve.Color);
            if (curve.Points.Any(p => p.Std > 0))
            {
                var band = plot.Add.FillY(epochs, [.. curve.Points.Select(p => p.High)], [.. curve.Points.Select(p => p.Low)]);
                // The baseline's band lies over the others: lighter, so they still show through.
                band.FillColor = color.WithAlpha(curve.Baseline ? 0.1 : 0.2);
                band.LineWidth = 0;
            }
            var line = plot.Add.Scatter(epochs, [.. curve.Points.Select(p => p.Mean)], color);
            line.LegendText = curve.Label;
            line.LineWidth = curve.Baseline ? 3 : 2;
            line.MarkerSize = 5;
            if (curve.Dashed)
                line.LinePattern = LinePattern.Dashed;
        }
        foreach (TriggerMarks triggers in panel.Triggers)
        {
            // A large triangle under a small diamond: an epoch where both rules fired shows both.
            var (shape, size, color) = triggers.Kind == TriggerKind.Stuck
                ? (MarkerShape.FilledTriangleUp, 16f, Colors.Crimson)
                : (MarkerShape.FilledDiamond, 8f, Colors.DarkViolet);
            double[] epochs = [.. triggers.Marks.Select(m => (double)m.Epoch)];
            double[] levels = [.. triggers.Marks.Select(m => m.Level)];
            var marks = plot.Add.Markers(epochs, levels, shape, size, color);
            marks.LegendText = triggers.Label;
        }
        if (panel.FromZero)
        {
            double top = sharedTop ?? panel.Curves.SelectMany(c => c.Points).Select(p => p.High).DefaultIfEmpty(0).Max();
            plot.Axes.SetLimitsY(0, top > 0 ? top * 1.15 : 1);
        }
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("epoch");
        plot.YLabel(panel.YLabel);
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
