namespace NoiseLab.Cli.Reports;

/// <summary>A PNG the report wrote: what it shows, and where, relative to the report folder (<c>plots/NAME.png</c>).</summary>
internal sealed record PlotFile(string Configuration, string Caption, string RelativePath, int Width, int Height);
