namespace NoiseLab.Cli.Export;

/// <summary>What <see cref="StoreExport.Write"/> wrote.</summary>
/// <param name="Runs">Rows of the runs table.</param>
/// <param name="Epochs">Rows of the epochs table.</param>
/// <param name="LargestBuffer">The most epoch rows held in memory at once (one Parquet row group; 0 for CSV).</param>
/// <param name="Files">The files written, in the order they were put in place.</param>
internal sealed record ExportSummary(int Runs, long Epochs, int LargestBuffer, IReadOnlyList<string> Files);
