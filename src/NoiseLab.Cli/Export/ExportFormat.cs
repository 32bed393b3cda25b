namespace NoiseLab.Cli.Export;

/// <summary>The file formats <c>noiselab export</c> writes.</summary>
internal enum ExportFormat
{
    /// <summary>Comma-separated text with a header row (runs.csv, epochs.csv), numbers in round-trip form.</summary>
    Csv,

    /// <summary>Apache Parquet (runs.parquet, epochs.parquet), Snappy-compressed, in row groups of bounded size.</summary>
    Parquet,
}
