using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using Microsoft.Data.Sqlite;
using NoiseLab.Cli.Export;
using NoiseLab.Experiments;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using Parquet;
using Parquet.Schema;

namespace NoiseLab.Tests.Cli.Export;

/// <summary>
/// The exported tables read back (CSV with CsvHelper, Parquet with Parquet.Net's reader) equal the store:
/// every run's status, figures and fingerprint, every epoch record with all its dictionaries, on a store
/// that holds a finished, an early-stopped, a diverged (with NaN and infinite figures), a pruned and a pending run.
/// </summary>
public sealed class StoreExportTests : IDisposable
{
    private const string Spec = """
        name: tiny
        epochs: 4
        seeds: [0, 1, 2, 3]
        models: ["mlp:8"]
        optimizers:
          - {optimizer: momentum, lr: 0.05}
        noise:
          none: []
          input: ["input:gaussian:sigma=0.1"]
        """;

    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static EpochRecord Record(int epoch, double valLoss, bool noisy) => new()
    {
        Epoch = epoch, TrainLoss = 1.0 / epoch + 0.1, TrainAccuracy = 0.5 + epoch * 0.01, ValLoss = valLoss, ValAccuracy = 0.4 + epoch * 0.013,
        GradNorm = 2.5 / 3, GradNormChange = epoch == 1 ? 0 : -0.1, WeightUpdateNorm = Math.PI / epoch, LearningRate = 0.05,
        TrainMetrics = new Dictionary<string, double> { ["accuracy"] = 0.5 + epoch * 0.01 },
        ValMetrics = new Dictionary<string, double> { ["accuracy"] = 0.4 + epoch * 0.013 },
        Sigmas = noisy ? new Dictionary<string, double> { ["input"] = 0.1 / epoch } : new Dictionary<string, double>(),
        Diagnostics = noisy && epoch == 2 ? new Dictionary<string, double> { ["adaptive.stuck"] = 1 } : new Dictionary<string, double>(),
    };

    /// <summary>A store with runs in every state an export must keep.</summary>
    private string BuildStore()
    {
        string path = _folder.File("store.db");
        using RunStore store = RunStore.Open(path);
        StoredRuns.Fill(store, Spec, (n, id) =>
        {
            bool noisy = id.Contains("|input|", StringComparison.Ordinal);
            switch (n)
            {
                case 0 or 1 or 3:
                    StoredRuns.Finish(store, "tiny", id, [.. Enumerable.Range(1, 4).Select(e => Record(e, 0.9 - 0.1 * e + (n + 1) * 1e-3, noisy))],
                        StoredRuns.Result(0.31 + n + 1, 0.8 + (n + 1) / 100.0, $"fp{n + 1}"), seconds: 1.5 * (n + 1));
                    break;
                case 2:
                    StoredRuns.Finish(store, "tiny", id, [.. Enumerable.Range(1, 3).Select(e => Record(e, e == 1 ? 0.5 : 0.6, noisy))],
                        StoredRuns.Result(0.4, 0.85, "fp-early") with { EarlyStopping = new EarlyStoppingOutcome("val_loss", 3, 1, 0.5, 1) }, seconds: 2);
                    break;
                case 4:
                    store.RecordEpoch("tiny", id, StoredRuns.Worker, Record(1, 0.7, noisy));
                    store.RecordEpoch("tiny", id, StoredRuns.Worker, Record(2, double.NaN, noisy) with { TrainLoss = double.PositiveInfinity, GradNorm = double.NegativeInfinity });
                    store.Stop("tiny", id, StoredRuns.Worker, RunStatus.Diverged, "Training diverged at epoch 3, step 7: the loss is NaN.");
                    break;
                case 5:
                    store.RecordEpoch("tiny", id, StoredRuns.Worker, Record(1, 2.5, noisy));
                    store.RecordEpoch("tiny", id, StoredRuns.Worker, Record(2, 2.4, noisy));
                    store.Stop("tiny", id, StoredRuns.Worker, RunStatus.Pruned, "pruned after epoch 2: val_loss 2.4 is worse than the median 0.7 of 3 finished runs");
                    break;
            }
            return n < 5;
        });
        return path;
    }

    // Reads a table back, whatever its format, as rows of column name → cell (null for empty).
    private static async Task<List<Dictionary<string, object?>>> ReadBack(string folder, string table, ExportFormat format) =>
        format == ExportFormat.Csv ? ReadCsv(Path.Combine(folder, table + ".csv")) : await ReadParquet(Path.Combine(folder, table + ".parquet"));

    private static List<Dictionary<string, object?>> ReadCsv(string path)
    {
        using CsvReader reader = CsvReader.FromFile(path);
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
            rows.Add(reader.Headers.ToDictionary(h => h, h => (object?)(reader.GetString(h) is { Length: > 0 } text ? text : null)));
        return rows;
    }

    private static async Task<List<Dictionary<string, object?>>> ReadParquet(string path)
    {
        await using FileStream file = File.OpenRead(path);
        await using ParquetReader reader = await ParquetReader.CreateAsync(file);
        var rows = new List<Dictionary<string, object?>>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            int count = (int)group.RowCount;
            var columns = new Dictionary<string, object?[]>();
            foreach (DataField field in reader.Schema.DataFields)
            {
                if (field.ClrType == typeof(long))
                {
                    var values = new long?[count];
                    await group.ReadAsync(field, values.AsMemory());
                    columns[field.Name] = [.. values.Select(v => (object?)v)];
                }
                else if (field.ClrType == typeof(double))
                {
                    var values = new double?[count];
                    await group.ReadAsync(field, values.AsMemory());
                    columns[field.Name] = [.. values.Select(v => (object?)v)];
                }
                else
                {
                    var values = new string?[count];
                    await group.ReadAsync(field, values.AsMemory());
                    columns[field.Name] = [.. values];
                }
            }
            for (int i = 0; i < count; i++)
                rows.Add(columns.ToDictionary(c => c.Key, c => c.Value[i]));
        }
        return rows;
    }

    private static double? Number(object? cell) => cell switch
    {
        null => null,
        double d => d,
        string s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"not a number: {cell}"),
    };

    private static long? Integer(object? cell) => cell switch
    {
        null => null,
        long l => l,
        string s => long.Parse(s, CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"not an integer: {cell}"),
    };

    private static EpochRecord ToRecord(Dictionary<string, object?> row)
    {
        Dictionary<string, double> Prefixed(string prefix) => row.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal) && c.Value is not null)
            .ToDictionary(c => c.Key[prefix.Length..], c => Number(c.Value)!.Value);
        return new EpochRecord
        {
            Epoch = (int)Integer(row["epoch"])!.Value, TrainLoss = Number(row["train_loss"])!.Value, TrainAccuracy = Number(row["train_accuracy"]),
            ValLoss = Number(row["val_loss"])!.Value, ValAccuracy = Number(row["val_accuracy"]), GradNorm = Number(row["grad_norm"])!.Value,
            GradNormChange = Number(row["grad_norm_change"])!.Value, WeightUpdateNorm = Number(row["weight_update_norm"])!.Value,
            LearningRate = Number(row["learning_rate"])!.Value,
            TrainMetrics = Prefixed("train_metrics."), ValMetrics = Prefixed("val_metrics."), Sigmas = Prefixed("sigmas."), Diagnostics = Prefixed("diagnostics."),
        };
    }

    // EpochRecord's equality compares doubles with ==, under which NaN differs from itself; an export must keep NaN.
    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public async Task The_exported_tables_read_back_equal_to_the_store(string formatName)
    {
        ExportFormat format = formatName == "csv" ? ExportFormat.Csv : ExportFormat.Parquet;
        string path = BuildStore();
        string folder = _folder.File("out-" + format);
        using RunStore store = RunStore.Open(path);

        ExportSummary summary = StoreExport.Write(store, folder, format, rowGroupSize: 4);

        IReadOnlyList<StoredRun> runs = store.Runs("tiny");
        Assert.Equal(8, summary.Runs);
        Assert.Equal(["diverged", "finished", "finished", "finished", "finished", "pending", "pending", "pruned"], runs.Select(r => r.Status).Order());
        var runRows = await ReadBack(folder, "runs", format);
        Assert.Equal(runs.Select(r => r.Id).Order(StringComparer.Ordinal), runRows.Select(r => (string)r["run"]!).Order(StringComparer.Ordinal));
        foreach (StoredRun run in runs)
        {
            Dictionary<string, object?> row = runRows.Single(r => (string)r["run"]! == run.Id);
            Assert.Equal(("tiny", run.Plan, run.Status, run.Error, run.Config), ((string?)row["sweep"], (string?)row["plan"], (string?)row["status"], (string?)row["error"], (string?)row["config"]));
            Assert.Equal(SweepReport.ConfigurationOf(run.Id), row["configuration"]);
            Assert.Equal(long.Parse(run.Id.Split("seed=")[1], CultureInfo.InvariantCulture), Integer(row["seed"]));
            Assert.Equal((long?)run.Position, Integer(row["position"]));
            Assert.Equal(run.Seconds, Number(row["seconds"]));
            Assert.Equal(store.EpochCount("tiny", run.Id), Integer(row["epochs"]));
            using JsonDocument? result = run.Result is null ? null : JsonDocument.Parse(run.Result);
            Assert.Equal(result?.RootElement.GetProperty("test_loss").GetDouble(), Number(row["test_loss"]));
            Assert.Equal(result?.RootElement.GetProperty("test_accuracy").GetDouble(), Number(row["test_accuracy"]));
            Assert.Equal(result?.RootElement.GetProperty("test_metrics").GetProperty("accuracy").GetDouble(), Number(row["test_metrics.accuracy"]));
            Assert.Equal(result?.RootElement.GetProperty("state_fingerprint").GetString(), row["state_fingerprint"]);
        }
        Dictionary<string, object?> pruned = runRows.Single(r => (string?)r["status"] == RunStatus.Pruned);
        Assert.Equal((2L, null, null), (Integer(pruned["epochs"]), Number(pruned["test_accuracy"]), pruned["state_fingerprint"]));
        Assert.StartsWith("pruned after epoch 2", (string?)pruned["error"], StringComparison.Ordinal);
        Dictionary<string, object?> early = runRows.Single(r => (string?)r["state_fingerprint"] == "fp-early");
        Assert.Equal(("val_loss", 3L, 1L), ((string?)early["early_stopping_monitor"], Integer(early["stopped_epoch"]), Integer(early["restored_epoch"])));

        var epochRows = await ReadBack(folder, "epochs", format);
        Assert.Equal(summary.Epochs, epochRows.Count);
        Assert.Equal(4 + 4 + 3 + 4 + 2 + 2, epochRows.Count);
        foreach (StoredRun run in runs)
        {
            EpochRecord[] exported = [.. epochRows.Where(r => (string)r["run"]! == run.Id).Select(ToRecord)];
            Assert.Equal(store.Epochs("tiny", run.Id), exported);   // NaN and infinities included: EpochRecord.Equals takes NaN as NaN
        }
        Assert.Contains(epochRows, r => Number(r["val_loss"]) is double v && double.IsNaN(v));
        Assert.Contains(epochRows, r => Number(r["train_loss"]) is double.PositiveInfinity);
        Assert.Equal(format == ExportFormat.Parquet ? 4 : 0, summary.LargestBuffer);
        Assert.Empty(Directory.GetFiles(folder, "*.part"));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public async Task The_runs_table_gives_each_runs_sharpness_at_its_last_stored_epoch(string formatName)
    {
        ExportFormat format = formatName == "csv" ? ExportFormat.Csv : ExportFormat.Parquet;
        string path = _folder.File("sharp.db");
        static Dictionary<string, double> Sharpness(double eigenvalue, double trace) => new() { ["sharpness.top_eigenvalue"] = eigenvalue, ["sharpness.trace"] = trace };
        using (RunStore created = RunStore.Open(path))
        {
            StoredRuns.Fill(created, Spec, (n, id) =>
            {
                EpochRecord[] history = [.. Enumerable.Range(1, 4).Select(e => Record(e, 0.5, noisy: false) with { Diagnostics = Sharpness(100 + e, 1000 + e) })];
                if (n == 1)
                    history[^1] = history[^1] with { Diagnostics = new Dictionary<string, double> { ["adaptive.stuck"] = 0 } };   // measured, but not at the end
                StoredRuns.Finish(created, "tiny", id, history, StoredRuns.Result(0.3, 0.8));
                return n < 1;
            });
        }
        using RunStore store = RunStore.Open(path);

        StoreExport.Write(store, _folder.File("sharp-" + format), format);

        var rows = await ReadBack(_folder.File("sharp-" + format), "runs", format);
        Dictionary<string, object?> measured = rows.Single(r => Integer(r["position"]) == 0), unmeasured = rows.Single(r => Integer(r["position"]) == 1);
        Assert.Equal((104.0, 1004.0), (Number(measured["sharpness.top_eigenvalue"]), Number(measured["sharpness.trace"])));
        Assert.Equal((null, null), (Number(unmeasured["sharpness.top_eigenvalue"]), Number(unmeasured["sharpness.trace"])));
        Assert.All(rows.Where(r => (string?)r["status"] == RunStatus.Pending), r => Assert.Null(r["sharpness.trace"]));
        // A store without sharpness keeps the runs table it had: no such column.
        string plain = BuildStore();
        using RunStore other = RunStore.Open(plain);
        StoreExport.Write(other, _folder.File("plain-" + format), format);
        Assert.DoesNotContain((await ReadBack(_folder.File("plain-" + format), "runs", format))[0].Keys, key => key.StartsWith("sharpness.", StringComparison.Ordinal));
    }

    /// <summary>
    /// A store of 100,000 epochs: the export streams them (never more than one row group of 4,096 rows in
    /// memory), and the tables hold every row. Memory is shown by the buffer, not by timing.
    /// </summary>
    [Fact]
    public async Task A_store_of_100000_epochs_exports_in_row_groups_of_bounded_size()
    {
        string path = _folder.File("big.db");
        using (RunStore created = RunStore.Open(path))
            created.Register(SweepSpec.Parse(Spec, "tiny.yaml"), Spec);
        var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO epochs (sweep, run, epoch, record) VALUES ('tiny', $run, $epoch, $record)";
            var run = insert.Parameters.Add("$run", SqliteType.Text);
            var epoch = insert.Parameters.Add("$epoch", SqliteType.Integer);
            var record = insert.Parameters.Add("$record", SqliteType.Text);
            for (int i = 0; i < 100_000; i++)
            {
                run.Value = $"run-{i / 1000:D3}";
                epoch.Value = i % 1000 + 1;
                record.Value = JsonSerializer.Serialize(Record(i % 1000 + 1, i * 1e-5, noisy: i % 2 == 0), json);
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        using RunStore store = RunStore.Open(path);

        ExportSummary parquet = StoreExport.Write(store, _folder.File("parquet"), ExportFormat.Parquet, rowGroupSize: 4096);
        ExportSummary csv = StoreExport.Write(store, _folder.File("csv"), ExportFormat.Csv);

        Assert.Equal(100_000, parquet.Epochs);
        Assert.Equal(4096, parquet.LargestBuffer);
        await using (FileStream file = File.OpenRead(Path.Combine(_folder.File("parquet"), "epochs.parquet")))
        await using (ParquetReader reader = await ParquetReader.CreateAsync(file))
        {
            Assert.Equal((100_000 + 4095) / 4096, reader.RowGroupCount);
            Assert.Equal(100_000, reader.RowGroups.Sum(g => g.RowCount));
            Assert.All(reader.RowGroups, g => Assert.InRange(g.RowCount, 1, 4096));
        }
        Assert.Equal(100_000, csv.Epochs);
        Assert.Equal(0, csv.LargestBuffer);
        Assert.Equal(100_001, File.ReadLines(Path.Combine(_folder.File("csv"), "epochs.csv")).LongCount());
        Assert.Equal(100_000, store.StreamEpochs().LongCount());
    }
}
