using Parquet;
using Parquet.Schema;

namespace NoiseLab.Cli.Export;

/// <summary>
/// A table as Parquet (Parquet.Net): rows are buffered column by column up to <see cref="RowGroupSize"/>
/// and written as one row group, so memory holds at most one row group whatever the table's length.
/// Text columns are nullable strings, integers nullable int64, numbers nullable doubles.
/// </summary>
internal sealed class ParquetTableWriter : TableWriter
{
    private readonly FileStream _file;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly Array[] _buffers;
    private int _count;

    public ParquetTableWriter(string path, IReadOnlyList<ExportColumn> columns, int rowGroupSize) : base(columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        RowGroupSize = rowGroupSize;
        _fields = [.. columns.Select(c => c.Kind switch
        {
            ColumnKind.Text => (DataField)new DataField<string>(c.Name, nullable: true),
            ColumnKind.Integer => new DataField<long?>(c.Name),
            _ => new DataField<double?>(c.Name),
        })];
        _buffers = [.. columns.Select(c => c.Kind switch
        {
            ColumnKind.Text => (Array)new string?[rowGroupSize],
            ColumnKind.Integer => new long?[rowGroupSize],
            _ => new double?[rowGroupSize],
        })];
        _file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(_fields), _file).GetAwaiter().GetResult();
    }

    /// <summary>The most rows in one row group.</summary>
    public int RowGroupSize { get; }

    public override void WriteRow(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        for (int i = 0; i < _buffers.Length; i++)
        {
            switch (_buffers[i])
            {
                case string?[] text: text[_count] = (string?)row[i]; break;
                case long?[] integers: integers[_count] = (long?)row[i]; break;
                case double?[] numbers: numbers[_count] = (double?)row[i]; break;
            }
        }
        _count++;
        LargestBuffer = Math.Max(LargestBuffer, _count);
        if (_count == RowGroupSize)
            Flush();
    }

    public override void Complete()
    {
        if (_count > 0)
            Flush();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _file.Flush(flushToDisk: true);
    }

    public override void Dispose()
    {
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _file.Dispose();
    }

    private void Flush()
    {
        using (ParquetRowGroupWriter group = _writer.CreateRowGroup())
        {
            for (int i = 0; i < _fields.Length; i++)
            {
                switch (_buffers[i])
                {
                    case string?[] text: group.WriteAsync(_fields[i], new ArraySegment<string>(text!, 0, _count)).GetAwaiter().GetResult(); break;
                    case long?[] integers: group.WriteAsync(_fields[i], new ReadOnlyMemory<long?>(integers, 0, _count)).GetAwaiter().GetResult(); break;
                    case double?[] numbers: group.WriteAsync(_fields[i], new ReadOnlyMemory<double?>(numbers, 0, _count)).GetAwaiter().GetResult(); break;
                }
            }
            group.CompleteValidate();
        }
        _count = 0;
    }
}
