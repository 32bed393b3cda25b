using System.Diagnostics;
using BenchmarkDotNet.Running;
using NoiseLab.Benchmarks;

// dotnet run -c Release --project benchmarks/NoiseLab.Benchmarks -- --filter '*'   (BenchmarkDotNet)
// dotnet run -c Release --project benchmarks/NoiseLab.Benchmarks -- interleaved [ROUNDS]
//   alternates the bare loop and the trainer ROUNDS times (default 30) and prints the median ratio,
//   which is steadier than back-to-back runs on a shared machine.
// dotnet run -c Release --project benchmarks/NoiseLab.Benchmarks -- noise [ROUNDS]
//   the per-step cost of each place of noise against the trainer without noise (interleaved).
// dotnet run -c Release --project benchmarks/NoiseLab.Benchmarks -- generator
//   samples into 10^7 floats: NoiseLab vs libtorch normal_/uniform_ and fill_/copy_ (interleaved).
// NOISELAB_BENCH_THREADS overrides the TorchSharp thread count (default: all cores).
if (args.Length > 0 && args[0] == "noise")
{
    int threads = int.TryParse(Environment.GetEnvironmentVariable("NOISELAB_BENCH_THREADS"), out int t) ? t : Environment.ProcessorCount;
    TorchSharp.torch.set_num_threads(threads);
    NoiseOverhead.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15);
    return;
}
if (args.Length > 0 && args[0] == "probe") { Probe.Run(); return; }
if (args.Length > 0 && args[0] == "generator")
{
    foreach (int threads in new[] { 1, 2 })
    {
        var bench = new GeneratorBenchmarks { Threads = threads };
        bench.Setup();
        Interleaved.Compare($"generator: 10^7 floats, {threads} thread(s)", ("libtorch normal_", bench.TorchNormal),
            [("NoiseLab Gaussian", bench.NoiseLabGaussian), ("libtorch uniform_", bench.TorchUniform), ("NoiseLab uniform", bench.NoiseLabUniform),
             ("bound: fill_", bench.Fill), ("bound: copy_", bench.Copy)], rounds: 20);
        bench.Cleanup();
    }
    return;
}
if (args.Length > 0 && args[0] == "interleaved")
{
    int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 30;
    var bench = new TrainerOverheadBenchmarks();
    bench.Setup();
    for (int i = 0; i < 3; i++)
    {
        bench.BareLoop();
        bench.Trainer();
    }
    var ratios = new List<double>();
    var bare = new List<double>();
    var trainer = new List<double>();
    for (int i = 0; i < rounds; i++)
    {
        // Alternate which goes first, so that drift on a shared machine does not favour either.
        bool bareFirst = i % 2 == 0;
        double first = Time(bareFirst ? bench.BareLoop : bench.Trainer);
        double second = Time(bareFirst ? bench.Trainer : bench.BareLoop);
        bare.Add(bareFirst ? first : second);
        trainer.Add(bareFirst ? second : first);
        ratios.Add(trainer[^1] / bare[^1]);
    }
    bench.Cleanup();
    static double Time(Func<double> run)
    {
        long start = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
    Console.WriteLine($"threads {TorchSharp.torch.get_num_threads()}, {rounds} interleaved rounds of {TrainerOverheadBenchmarks.Steps} steps, mlp:500,500, batch 128");
    Console.WriteLine($"bare loop   median {Quantile(bare, 0.5):F1} ms (p25 {Quantile(bare, 0.25):F1}, p75 {Quantile(bare, 0.75):F1})");
    Console.WriteLine($"trainer     median {Quantile(trainer, 0.5):F1} ms (p25 {Quantile(trainer, 0.25):F1}, p75 {Quantile(trainer, 0.75):F1})");
    Console.WriteLine($"ratio trainer/bare: median {Quantile(ratios, 0.5):F3} (p25 {Quantile(ratios, 0.25):F3}, p75 {Quantile(ratios, 0.75):F3})");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
