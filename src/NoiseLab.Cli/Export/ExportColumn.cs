namespace NoiseLab.Cli.Export;

/// <summary>What a column of an exported table holds.</summary>
internal enum ColumnKind
{
    /// <summary>Text, or empty (null).</summary>
    Text,

    /// <summary>A 64-bit integer, or empty.</summary>
    Integer,

    /// <summary>A double, or empty; NaN and infinities are kept.</summary>
    Number,
}

/// <summary>One column of an exported table: its name in the header and the kind of its values.</summary>
internal sealed record ExportColumn(string Name, ColumnKind Kind);
