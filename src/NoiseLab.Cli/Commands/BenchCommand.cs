using System.CommandLine;
using System.Globalization;
using NoiseLab.Cli.Bench;

namespace NoiseLab.Cli.Commands;

/// <summary>
/// <c>noiselab bench</c>: what noise costs. Per-step overhead of each place of noise as noisy / plain
/// step time (median of interleaved rounds, with quartiles), noise generation against libtorch and
/// against a plain fill, allocations per step, peak memory of before-GD on simplecnn, and sweep
/// throughput with --jobs 1 and 2. <c>--quick</c> is a CI smoke run; the full run is for people.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Small sizes, under a minute: checks that every figure can be measured, not a measurement to quote." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every figure under stable keys (overhead.gradient, rng.gaussian_speedup_vs_torch, alloc.bytes_per_step.gradient, ...); tables go to stderr." };
        var threads = new Option<int>("--threads") { Description = "TorchSharp threads for the training steps. Default: all cores.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var only = new Option<string[]>("--only") { Description = $"Run only these sections: {string.Join(", ", BenchSuite.Sections)} (repeatable). Default: all." };
        var memoryChild = new Option<string?>("--memory-child") { Description = "Internal: run one peak-memory probe and print its peak.", Hidden = true };
        var command = new Command("bench", "Measure what noise costs: per-step overhead of each place of noise, generator speed, allocations, memory and sweep throughput.")
        {
            quick, json, threads, only, memoryChild,
        };
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            BenchSizes sizes = parsed.GetValue(quick) ? BenchSizes.Quick : BenchSizes.Full;
            int threadCount = parsed.GetValue(threads);
            if (threadCount < 1)
                throw new UsageException($"--threads must be a positive number; got {threadCount}.");
            if (parsed.GetValue(memoryChild) is string kind)
            {
                TorchSharp.torch.set_num_threads(threadCount);
                PeakMemory.RunChild(kind, sizes.MemorySteps, sizes.MemoryBatch, Console.Out);
                return ExitCodes.Success;
            }
            string[] sections = parsed.GetValue(only) is { Length: > 0 } chosen ? chosen : [.. BenchSuite.Sections];
            if (sections.FirstOrDefault(s => !BenchSuite.Sections.Contains(s)) is string unknown)
                throw new UsageException($"--only takes {string.Join(", ", BenchSuite.Sections)}; got '{unknown}'.");
            bool asJson = parsed.GetValue(json);
            TextWriter log = asJson ? Console.Error : Console.Out;
            IReadOnlyList<string> Child(string probe) =>
                ["bench", "--memory-child", probe, "--threads", threadCount.ToString(CultureInfo.InvariantCulture), .. parsed.GetValue(quick) ? new[] { "--quick" } : []];
            BenchResults results = BenchSuite.Run(sizes, threadCount, sections, Child, log);
            if (asJson)
            {
                using Stream stdout = Console.OpenStandardOutput();
                results.WriteJson(stdout);
                stdout.Write("\n"u8);
            }
            else
            {
                log.WriteLine();
                results.WriteText(log);
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
