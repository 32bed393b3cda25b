using System.CommandLine;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Commands;

/// <summary><c>noiselab report --store S --out DIR</c>: tables and verdicts of every sweep in a store.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The store a sweep wrote: an SQLite file or a postgres:// URL.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for report.md and index.html.", DefaultValueFactory = _ => "report" };
        var command = new Command("report", "Summarize a store's sweeps: test accuracy over seeds per configuration and noise plan, and each plan against no noise (bootstrap CI, Welch p, Holm correction, verdict).")
        {
            store, output,
        };
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            string storePath = parsed.GetValue(store)!;
            if (!RunStore.IsPostgres(storePath) && !File.Exists(storePath))
                throw new UsageException($"The store '{storePath}' does not exist; run 'noiselab sweep SPEC --store {storePath}' first.");
            using RunStore runStore = RunStore.Open(storePath);
            string folder = parsed.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var markdown = new System.Text.StringBuilder();
            var html = new System.Text.StringBuilder();
            foreach (var (name, spec) in runStore.Sweeps())
            {
                SweepReport report = SweepReport.Build(runStore, name, SweepSpec.Parse(spec, name).SuccessAt);
                markdown.AppendLine(report.ToMarkdown());
                html.Append(report.ToHtml());
            }
            // Written to temporary files and moved, so a failure never leaves half a report.
            WriteAtomically(Path.Combine(folder, "report.md"), markdown.ToString());
            WriteAtomically(Path.Combine(folder, "index.html"), html.ToString());
            Console.Out.Write(markdown.ToString());
            Console.Out.WriteLine($"report: {Path.GetFullPath(Path.Combine(folder, "index.html"))}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteAtomically(string path, string text)
    {
        File.WriteAllText(path + ".part", text);
        File.Move(path + ".part", path, overwrite: true);
    }
}
