using System.Globalization;
using BenchmarkDotNet.Running;
using NoiseLab.Benchmarks;
using NoiseLab.Cli.Bench;

// dotnet run -c Release --project benchmarks/NoiseLab.Benchmarks -- --filter '*'   (BenchmarkDotNet)
// dotnet run -c Release --project benchmarks/NoiseLab.Benchmarks -- interleaved [ROUNDS]
//   alternates the bare loop and the trainer ROUNDS times (default 30) and prints the median ratio,
//   which is steadier than back-to-back runs on a shared machine.
// dotnet run -c Release --project benchmarks/NoiseLab.Benchmarks -- noise [ROUNDS]
//   the per-step cost of each place of noise on mlp:500,500 against the trainer without noise (interleaved).
// dotnet run -c Release --project benchmarks/NoiseLab.Benchmarks -- generator [ROUNDS]
//   samples into 10^7 floats: NoiseLab vs libtorch normal_/uniform_ and fill_/copy_ (interleaved).
// dotnet run -c Release --project benchmarks/NoiseLab.Benchmarks -- contention [ROUNDS]
//   a Gaussian draw right after a matrix product on one thread against all threads, by size:
//   the evidence for NoiseSampler.ParallelThreshold.
// These modes run the same code as 'noiselab bench' (src/NoiseLab.Cli/Bench), which measures all
// sections in one run and prints them as JSON with --json.
// NOISELAB_BENCH_THREADS overrides the TorchSharp thread count (default: all cores).
int threads = int.TryParse(Environment.GetEnvironmentVariable("NOISELAB_BENCH_THREADS"), out int t) ? t : Environment.ProcessorCount;
int Rounds(int fallback) => args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : fallback;
string mode = args.Length > 0 ? args[0] : "";
switch (mode)
{
    case "noise":
    {
        TorchSharp.torch.set_num_threads(threads);
        using var mlp = Workload.Mlp(100, 128);
        StepOverhead.Run(mlp, Workload.WeightAndInputCases("fc1"), Rounds(12), new BenchResults(), Console.Out);
        return;
    }
    case "generator":
        RngThroughput.Run(10_000_000, Rounds(20), new BenchResults(), Console.Out);
        return;
    case "contention":
        TorchSharp.torch.set_num_threads(threads);
        ContendedDraw.Run(Rounds(50));
        return;
    case "probe":
        Probe.Run();
        return;
    case "interleaved":
    {
        var bench = new TrainerOverheadBenchmarks();
        bench.Setup();
        var timings = Interleaved.Compare(
            new Interleaved.Case("bare", "bare loop", () => { bench.BareLoop(); }),
            [new("trainer", "trainer", () => { bench.Trainer(); })],
            Rounds(30), warmup: 3);
        Interleaved.Print(Console.Out, $"threads {TorchSharp.torch.get_num_threads()}, interleaved rounds of {TrainerOverheadBenchmarks.Steps} steps, mlp:500,500, batch 128", timings);
        bench.Cleanup();
        return;
    }
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return;
}
