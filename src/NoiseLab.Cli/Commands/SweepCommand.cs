using System.CommandLine;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Commands;

/// <summary><c>noiselab sweep SPEC</c>: runs a grid of runs into a crash-safe store, skipping what is done.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "The sweep spec (YAML; see experiments/README.md)." };
        var store = new Option<string?>("--store") { Description = "The SQLite store (default: results/NAME.db). Finished runs in it are skipped." };
        var threads = new Option<int>("--threads") { Description = "TorchSharp threads per run. Default: all cores.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("sweep", "Run every run of a sweep spec that the store does not hold yet, storing each epoch and the final figures.")
        {
            spec, store, threads,
        };
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            string path = parsed.GetValue(spec)!;
            SweepSpec sweep = SweepSpec.Load(path);
            if (parsed.GetValue(threads) < 1)
                throw new UsageException($"--threads must be a positive number; got {parsed.GetValue(threads)}.");
            string storePath = parsed.GetValue(store) ?? Path.Combine("results", sweep.Name + ".db");
            using RunStore runStore = RunStore.Open(storePath);
            var (trained, skipped, failed) = SweepRunner.Run(sweep, File.ReadAllText(path), runStore, parsed.GetValue(threads), Console.Error.WriteLine);
            Console.Out.WriteLine($"sweep {sweep.Name}: {sweep.Runs.Count} runs, {trained} trained now, {skipped} already done, {failed} failed; store {storePath}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
