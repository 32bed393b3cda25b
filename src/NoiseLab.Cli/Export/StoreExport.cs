using System.Globalization;
using System.Text.Json;
using NoiseLab.Experiments;
using NoiseLab.Training;

namespace NoiseLab.Cli.Export;

/// <summary>
/// Writes a store as two tables: <c>runs</c>, one row per run of every sweep (configuration, plan, seed,
/// status, final figures, early stopping, state fingerprint, the full run spec as JSON, and the sharpness at the end where runs
/// measured it: <c>sharpness.top_eigenvalue</c> and <c>sharpness.trace</c> of the last stored epoch), and <c>epochs</c>,
/// one row per stored epoch (every figure of its record; each task metric, noise level and diagnostic in
/// a column of its own: <c>train_metrics.NAME</c>, <c>val_metrics.NAME</c>, <c>sigmas.NAME</c>, <c>diagnostics.NAME</c>).
/// </summary>
/// <remarks>
/// Epochs are streamed from the store twice (once for the column names, once for the rows), so an export
/// of any size holds at most one Parquet row group in memory; runs are read one sweep at a time (a sweep
/// has at most <see cref="SweepSpec.MaxRuns"/>). Each file is written to <c>NAME.part</c> and the two are
/// moved into place only once both are complete, so an error leaves the folder as it was.
/// </remarks>
internal static class StoreExport
{
    /// <summary>Epoch rows per Parquet row group unless told otherwise.</summary>
    public const int DefaultRowGroupSize = 10_000;

    private static readonly string[] s_epochFigures = ["train_loss", "train_accuracy", "val_loss", "val_accuracy", "grad_norm", "grad_norm_change", "weight_update_norm", "learning_rate"];

    /// <summary>The prefix of the diagnostics that <c>--sharpness</c> writes; the runs table gives their values at each run's last stored epoch.</summary>
    public const string SharpnessPrefix = "sharpness.";

    /// <summary>The columns of the runs table that every export has, before the test metrics.</summary>
    public static IReadOnlyList<ExportColumn> RunColumns { get; } =
    [
        new("sweep", ColumnKind.Text), new("run", ColumnKind.Text), new("configuration", ColumnKind.Text), new("plan", ColumnKind.Text),
        new("seed", ColumnKind.Integer), new("position", ColumnKind.Integer), new("status", ColumnKind.Text), new("error", ColumnKind.Text),
        new("attempts", ColumnKind.Integer), new("seconds", ColumnKind.Number), new("epochs", ColumnKind.Integer),
        new("test_loss", ColumnKind.Number), new("test_accuracy", ColumnKind.Number),
        new("early_stopping_monitor", ColumnKind.Text), new("stopped_epoch", ColumnKind.Integer), new("restored_epoch", ColumnKind.Integer),
        new("state_fingerprint", ColumnKind.Text), new("config", ColumnKind.Text),
    ];

    /// <summary>The file name of a table in a format.</summary>
    public static string FileName(string table, ExportFormat format) => table + (format == ExportFormat.Csv ? ".csv" : ".parquet");

    /// <summary>Writes runs and epochs of every sweep in <paramref name="store"/> into <paramref name="folder"/>.</summary>
    public static ExportSummary Write(RunStore store, string folder, ExportFormat format, int rowGroupSize = DefaultRowGroupSize)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);
        string runsPath = Path.Combine(folder, FileName("runs", format));
        string epochsPath = Path.Combine(folder, FileName("epochs", format));
        var parts = new[] { runsPath + ".part", epochsPath + ".part" };
        try
        {
            int runs = WriteRuns(store, parts[0], format, rowGroupSize);
            var (epochs, largest) = WriteEpochs(store, parts[1], format, rowGroupSize);
            File.Move(parts[0], runsPath, overwrite: true);
            File.Move(parts[1], epochsPath, overwrite: true);
            return new ExportSummary(runs, epochs, largest, [runsPath, epochsPath]);
        }
        catch
        {
            foreach (string part in parts)
                File.Delete(part);
            throw;
        }
    }

    private static TableWriter Open(string path, IReadOnlyList<ExportColumn> columns, ExportFormat format, int rowGroupSize) =>
        format == ExportFormat.Csv ? new CsvTableWriter(path, columns) : new ParquetTableWriter(path, columns, rowGroupSize);

    private static int WriteRuns(RunStore store, string path, ExportFormat format, int rowGroupSize)
    {
        var sweeps = store.Sweeps().Select(s => s.Name).ToList();
        // Test metrics differ by task (accuracy; MSE and MAE; entity F1): one column for each name any run has.
        var metrics = new SortedSet<string>(StringComparer.Ordinal);
        // Sharpness at the end (--sharpness): each run's last stored epoch's sharpness.* diagnostics, a column for each name any run has.
        var sharpness = new SortedSet<string>(StringComparer.Ordinal);
        var finalSharpness = new Dictionary<(string Sweep, string Run), IReadOnlyDictionary<string, double>>();
        foreach (string sweep in sweeps)
        {
            foreach (StoredRun run in store.Runs(sweep))
            {
                if (Result(run) is { } result && result.TryGetProperty("test_metrics", out JsonElement m) && m.ValueKind == JsonValueKind.Object)
                    metrics.UnionWith(m.EnumerateObject().Select(p => p.Name));
                if (store.Epochs(sweep, run.Id) is [.., var last])
                {
                    var measured = last.Diagnostics.Where(d => d.Key.StartsWith(SharpnessPrefix, StringComparison.Ordinal)).ToDictionary(d => d.Key, d => d.Value);
                    sharpness.UnionWith(measured.Keys);
                    finalSharpness[(sweep, run.Id)] = measured;
                }
            }
        }
        ExportColumn[] columns = [.. RunColumns, .. metrics.Select(name => new ExportColumn("test_metrics." + name, ColumnKind.Number)),
            .. sharpness.Select(name => new ExportColumn(name, ColumnKind.Number))];
        using TableWriter writer = Open(path, columns, format, rowGroupSize);
        int count = 0;
        foreach (string sweep in sweeps)
        {
            foreach (StoredRun run in store.Runs(sweep).OrderBy(r => r.Position).ThenBy(r => r.Id, StringComparer.Ordinal))
            {
                JsonElement? result = Result(run);
                JsonElement? stop = result is { } r && r.TryGetProperty("early_stopping", out JsonElement s) && s.ValueKind == JsonValueKind.Object ? s : null;
                writer.WriteRow([
                    sweep, run.Id, SweepReport.ConfigurationOf(run.Id), run.Plan, Seed(run.Config), (long)run.Position, run.Status, run.Error,
                    (long)run.Attempts, run.Seconds, store.EpochCount(sweep, run.Id),
                    Number(result, "test_loss"), Number(result, "test_accuracy"),
                    stop is { } e && e.TryGetProperty("monitor", out JsonElement monitor) ? monitor.GetString() : null,
                    Integer(stop, "stopped_epoch"), Integer(stop, "restored_epoch"),
                    result is { } f && f.TryGetProperty("state_fingerprint", out JsonElement fingerprint) && fingerprint.ValueKind == JsonValueKind.String ? fingerprint.GetString() : null,
                    run.Config,
                    .. metrics.Select(name => result is { } t && t.TryGetProperty("test_metrics", out JsonElement m) && m.ValueKind == JsonValueKind.Object
                        && m.TryGetProperty(name, out JsonElement value) ? (object?)ReadNumber(value) : null),
                    .. sharpness.Select(name => finalSharpness.TryGetValue((sweep, run.Id), out var measured) && measured.TryGetValue(name, out double value) ? (object?)value : null),
                ]);
                count++;
            }
        }
        writer.Complete();
        return count;
    }

    private static (long Rows, int Largest) WriteEpochs(RunStore store, string path, ExportFormat format, int rowGroupSize)
    {
        var trainMetrics = new SortedSet<string>(StringComparer.Ordinal);
        var valMetrics = new SortedSet<string>(StringComparer.Ordinal);
        var sigmas = new SortedSet<string>(StringComparer.Ordinal);
        var diagnostics = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, _, record) in store.StreamEpochs())
        {
            trainMetrics.UnionWith(record.TrainMetrics.Keys);
            valMetrics.UnionWith(record.ValMetrics.Keys);
            sigmas.UnionWith(record.Sigmas.Keys);
            diagnostics.UnionWith(record.Diagnostics.Keys);
        }
        ExportColumn[] columns =
        [
            new("sweep", ColumnKind.Text), new("run", ColumnKind.Text), new("epoch", ColumnKind.Integer),
            .. s_epochFigures.Select(name => new ExportColumn(name, ColumnKind.Number)),
            .. Prefixed("train_metrics.", trainMetrics), .. Prefixed("val_metrics.", valMetrics),
            .. Prefixed("sigmas.", sigmas), .. Prefixed("diagnostics.", diagnostics),
        ];
        using TableWriter writer = Open(path, columns, format, rowGroupSize);
        long count = 0;
        var row = new object?[columns.Length];
        foreach (var (sweep, run, r) in store.StreamEpochs())
        {
            int i = 0;
            row[i++] = sweep;
            row[i++] = run;
            row[i++] = (long)r.Epoch;
            foreach (double? figure in new[] { r.TrainLoss, r.TrainAccuracy, r.ValLoss, r.ValAccuracy, r.GradNorm, r.GradNormChange, r.WeightUpdateNorm, r.LearningRate })
                row[i++] = figure;
            foreach (var (names, values) in new[] { (trainMetrics, r.TrainMetrics), (valMetrics, r.ValMetrics), (sigmas, r.Sigmas), (diagnostics, r.Diagnostics) })
            {
                foreach (string name in names)
                    row[i++] = values.TryGetValue(name, out double value) ? value : null;
            }
            writer.WriteRow(row);
            count++;
        }
        writer.Complete();
        return (count, writer.LargestBuffer);
    }

    private static IEnumerable<ExportColumn> Prefixed(string prefix, IEnumerable<string> names) =>
        names.Select(name => new ExportColumn(prefix + name, ColumnKind.Number));

    private static JsonElement? Result(StoredRun run)
    {
        if (run.Result is null)
            return null;
        using JsonDocument json = JsonDocument.Parse(run.Result);
        return json.RootElement.Clone();
    }

    private static long? Seed(string config)
    {
        using JsonDocument json = JsonDocument.Parse(config);
        return json.RootElement.TryGetProperty("trainer", out JsonElement trainer) && trainer.TryGetProperty("seed", out JsonElement seed)
            && seed.ValueKind == JsonValueKind.Number ? seed.GetInt64() : null;
    }

    private static double? Number(JsonElement? element, string name) =>
        element is { } e && e.TryGetProperty(name, out JsonElement value) ? ReadNumber(value) : null;

    private static long? Integer(JsonElement? element, string name) =>
        element is { } e && e.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    // The store writes NaN and infinities as the strings "NaN", "Infinity" and "-Infinity".
    private static double? ReadNumber(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double special) => special,
        _ => null,
    };
}
