using System.Globalization;
using CsvHelper;

namespace NoiseLab.Cli.Export;

/// <summary>
/// A table as CSV (CsvHelper; comma-separated, UTF-8, quoted where a field needs it): a header row, then one line per row as it comes.
/// Numbers are written in round-trip form ("R"), so reading them back gives the stored double bit for bit;
/// an empty cell is a null.
/// </summary>
internal sealed class CsvTableWriter : TableWriter
{
    private readonly CsvWriter _csv;

    public CsvTableWriter(string path, IReadOnlyList<ExportColumn> columns) : base(columns)
    {
        _csv = CsvWriter.ToFile(path, CsvWriterOptions.Default);
        foreach (ExportColumn column in columns)
            _csv.WriteField(column.Name);
        _csv.EndRecord();
    }

    public override void WriteRow(object?[] row)
    {
        foreach (object? value in row)
        {
            _csv.WriteField(value switch
            {
                null => "",
                double number => number.ToString("R", CultureInfo.InvariantCulture),
                long integer => integer.ToString(CultureInfo.InvariantCulture),
                string text => text,
                _ => throw new ArgumentException($"A table cell must be text, a long or a double, not {value.GetType().Name}.", nameof(row)),
            });
        }
        _csv.EndRecord();
    }

    public override void Complete() => _csv.Flush();

    public override void Dispose() => _csv.Dispose();
}
