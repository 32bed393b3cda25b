using System.CommandLine;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Commands;

/// <summary><c>noiselab status --store S</c>: how many runs of each sweep are pending, running, finished or failed.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The SQLite store a sweep wrote.", Required = true };
        var command = new Command("status", "Show the runs of every sweep in a store by state: pending, running, finished, failed.") { store };
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            string path = parsed.GetValue(store)!;
            if (!File.Exists(path))
                throw new UsageException($"The store '{path}' does not exist; run 'noiselab sweep SPEC --store {path}' first.");
            using RunStore runStore = RunStore.Open(path);
            foreach (var (name, _) in runStore.Sweeps())
            {
                var counts = runStore.Runs(name).GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
                Console.Out.WriteLine($"{name}: " + string.Join(", ", new[] { "pending", "running", "finished", "failed" }
                    .Select(state => $"{counts.GetValueOrDefault(state)} {state}")));
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
