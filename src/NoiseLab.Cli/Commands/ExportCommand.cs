using System.CommandLine;
using NoiseLab.Cli.Export;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Commands;

/// <summary>
/// <c>noiselab export --store S --format csv|parquet --out DIR</c>: every run and every epoch of a store as
/// two tables (runs, epochs) for pandas, R, DuckDB or a spreadsheet, streamed so that any store fits.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The store a sweep wrote: an SQLite file or a postgres:// URL.", Required = true };
        var format = new Option<string>("--format") { Description = "csv (runs.csv, epochs.csv) or parquet (runs.parquet, epochs.parquet).", DefaultValueFactory = _ => "csv" };
        var output = new Option<string>("--out") { Description = "Folder for the two files; created if missing, files of an earlier export replaced.", DefaultValueFactory = _ => "export", HelpName = "DIR" };
        var rowGroup = new Option<int>("--row-group") { Description = "Parquet: epoch rows per row group, the most held in memory at once.", DefaultValueFactory = _ => StoreExport.DefaultRowGroupSize };
        var command = new Command("export", "Write a store's runs (configuration, plan, seed, status, final figures, early stopping, state fingerprint) and epochs (every figure of every epoch) as CSV or Parquet tables.")
        {
            store, format, output, rowGroup,
        };
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            string storePath = parsed.GetValue(store)!;
            ExportFormat kind = parsed.GetValue(format)!.ToLowerInvariant() switch
            {
                "csv" => ExportFormat.Csv,
                "parquet" => ExportFormat.Parquet,
                var other => throw new UsageException($"--format must be csv or parquet, not '{other}'."),
            };
            int rows = parsed.GetValue(rowGroup);
            if (rows < 1)
                throw new UsageException($"--row-group must be a positive number of rows; got {rows}.");
            string folder = parsed.GetValue(output)!;
            using RunStore runStore = RunStore.OpenForReading(storePath);
            OutputFolder.Prepare("--out", folder);
            ExportSummary summary;
            try
            {
                summary = StoreExport.Write(runStore, folder, kind, rows);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--out '{folder}': the export could not be written ({e.Message.Split(" : ", 2)[0].TrimEnd('.')}); pass a folder you can write to, with room.");
            }
            foreach (string file in summary.Files)
                Console.Out.WriteLine(file);
            Console.Error.WriteLine($"exported {summary.Runs} runs and {summary.Epochs} epochs");
            return ExitCodes.Success;
        }));
        return command;
    }
}
