using System.CommandLine;
using NoiseLab.Cli.Reports;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Commands;

/// <summary><c>noiselab report --store S --out DIR</c>: tables, verdicts and plots of every sweep in a store.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The store a sweep wrote: an SQLite file or a postgres:// URL.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for report.md, index.html and plots/ (PNG learning curves, noise levels, learning rate, sharpness).", DefaultValueFactory = _ => "report" };
        var command = new Command("report", "Summarize a store's sweeps: test accuracy over seeds per configuration and noise plan, each plan against no noise (bootstrap CI, Welch p, Holm correction, verdict), the generalization gap (val − train loss, train − val accuracy) per plan and against no noise, the epochs each plan takes to reach no noise's median final validation figure (censored at epochs + 1), the top Hessian eigenvalue and trace at the end where runs measured them, and plots per configuration: learning curves, success rate or time to target, noise levels with the adaptive controller's triggers, learning rate and sharpness.")
        {
            store, output,
        };
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            string storePath = parsed.GetValue(store)!;
            using RunStore runStore = RunStore.OpenForReading(storePath);
            if (runStore.Sweeps().Count == 0)
                throw new UsageException($"The store {StoreLocation.Redact(storePath)} holds no sweep, so there is nothing to report; run 'noiselab sweep SPEC --store {StoreLocation.Redact(storePath)}' first.");
            string folder = parsed.GetValue(output)!;
            OutputFolder.Prepare("--out", folder);
            string markdown;
            try
            {
                markdown = ReportFolder.Write(runStore, folder, Console.Error);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A disk that fills, or a folder taken away, while the report is written.
                throw new UsageException($"--out '{folder}': the report could not be written ({e.Message.Split(" : ", 2)[0].TrimEnd('.')}); pass a folder you can write to, with room.");
            }
            Console.Out.Write(markdown);
            Console.Out.WriteLine($"report: {Path.GetFullPath(Path.Combine(folder, "index.html"))}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
