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
            using RunStore runStore = RunStore.OpenForReading(path);
            var sweeps = runStore.Sweeps();
            if (sweeps.Count == 0)
                Console.Out.WriteLine($"The store {StoreLocation.Redact(path)} holds no sweep yet; run 'noiselab sweep SPEC --store {StoreLocation.Redact(path)}' to start one.");
            foreach (var (name, _) in sweeps)
            {
                var runs = runStore.Runs(name);
                // A run whose worker process of this machine is gone is not running, whatever the store says:
                // it is interrupted and the next sweep resumes it (status reads; it changes nothing).
                bool Orphaned(StoredRun run) => run.Status == RunStatus.Running && run.Owner is string owner && Worker.IsDeadHere(owner);
                string State(StoredRun run) => Orphaned(run) ? RunStatus.Interrupted : run.Status;
                Console.Out.WriteLine($"{name}: " + string.Join(", ", RunStatus.All.Select(state => $"{runs.Count(r => State(r) == state)} {state}")));
                // A running run is only as alive as its heartbeat: show how old each one is.
                foreach (StoredRun run in runs.Where(r => r.Status == RunStatus.Running))
                {
                    if (Orphaned(run))
                    {
                        Console.Out.WriteLine($"  interrupted {run.Id}: its worker {run.Owner} has exited without settling it; the next sweep resumes it from its last checkpoint");
                        continue;
                    }
                    string age = run.Heartbeat is DateTimeOffset beat ? $"{Math.Max(0, (DateTimeOffset.UtcNow - beat).TotalSeconds):F0} s ago" : "never";
                    Console.Out.WriteLine($"  running {run.Id} on {run.Owner ?? "?"}, heartbeat {age}");
                }
                // Why a run stopped without a result: a failure, or an interruption it resumes from (a full disk, a lost store).
                foreach (StoredRun run in runs.Where(r => r.Status is RunStatus.Failed or RunStatus.Interrupted && r.Error is not null))
                    Console.Out.WriteLine($"  {run.Status} {run.Id}: {run.Error}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
