using System.CommandLine;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Commands;

/// <summary><c>noiselab status --store S</c>: how many runs of each sweep are in each state.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The store a sweep wrote: an SQLite file or a postgres:// URL.", Required = true };
        var command = new Command("status", "Show the runs of every sweep in a store by state: pending, running, interrupted, finished, diverged, pruned, failed.") { store };
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            string path = parsed.GetValue(store)!;
            if (!RunStore.IsPostgres(path) && !File.Exists(path))
                throw new UsageException($"The store '{path}' does not exist; run 'noiselab sweep SPEC --store {path}' first.");
            using RunStore runStore = RunStore.Open(path);
            foreach (var (name, _) in runStore.Sweeps())
            {
                var counts = runStore.Counts(name);
                Console.Out.WriteLine($"{name}: " + string.Join(", ", RunStatus.All.Select(state => $"{counts.GetValueOrDefault(state)} {state}")));
                // A running run is only as alive as its heartbeat: show how old each one is.
                foreach (StoredRun run in runStore.Runs(name).Where(r => r.Status == RunStatus.Running))
                {
                    string age = run.Heartbeat is DateTimeOffset beat ? $"{Math.Max(0, (DateTimeOffset.UtcNow - beat).TotalSeconds):F0} s ago" : "never";
                    Console.Out.WriteLine($"  running {run.Id} on {run.Owner ?? "?"}, heartbeat {age}");
                }
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
