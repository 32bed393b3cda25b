namespace NoiseLab.Cli.Export;

/// <summary>
/// Writes one table row by row. A row is one value per column, in column order: string for text,
/// long for integers, double for numbers, null for an empty cell.
/// </summary>
internal abstract class TableWriter : IDisposable
{
    protected TableWriter(IReadOnlyList<ExportColumn> columns) => Columns = columns;

    /// <summary>The table's columns.</summary>
    public IReadOnlyList<ExportColumn> Columns { get; }

    /// <summary>The most rows held in memory at once so far (a Parquet row group; none for CSV).</summary>
    public int LargestBuffer { get; protected set; }

    /// <summary>Appends a row.</summary>
    public abstract void WriteRow(object?[] row);

    /// <summary>Writes whatever is buffered and the file's footer; the file is complete after this.</summary>
    public abstract void Complete();

    /// <inheritdoc />
    public abstract void Dispose();
}
