using System.Globalization;
using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Training;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Runs per hour of one cell of seed 004's Table 1 — restarts of the 20×50 deepmlp (simple init, SGD lr 0.1, clip 10,
/// annealed gradient noise η = 0.01) on Fashion-MNIST, a fixed number of steps each — trained stacked against one at a
/// time, in interleaved rounds of the same process on the same data: sweep.table1.runs_per_hour.stacked and
/// .one_at_a_time, and sweep.table1.stacked_speedup (median of the rounds' ratios, with quartiles). The data set is
/// loaded once for both, so the figures compare training and evaluation alone; a sweep's own costs per run (its data
/// load, store writes, checkpoints) come on top, once per stacked run against once per run. Returns the one-at-a-time
/// cell's median time in milliseconds (<see cref="StackingCeiling"/> sets its bound against it).
/// </summary>
internal static class Table1CellThroughput
{
    public static double Run(int restarts, int steps, int rounds, int threads, BenchResults results, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(log);
        const int Batch = 128;
        var cell = new RunSpec
        {
            DataSet = MnistFamily.FashionMnist.Name,
            Data = new DataOptions { LimitTrain = steps * Batch, Validation = new ValidationSplit(Size: 2000) },
            Model = ModelSpec.Parse("deepmlp:init=simple"),
            Optimizer = new OptimizerSpec(OptimizerKind.Sgd, 0.1),
            Noise = ["gradient:annealed:eta=0.01"],
            Trainer = new TrainerOptions { Epochs = 1, BatchSize = Batch, ClipNorm = 10 },
            Threads = threads,
        };
        RunSpec[] runs = [.. Enumerable.Range(0, restarts).Select(seed => cell with { Trainer = cell.Trainer with { Seed = seed } })];
        using DataSplits data = DataSetCatalog.Load(cell.DataSet, cell.Data, log: null);
        var oneAtATime = new Interleaved.Case("one_at_a_time", $"{restarts} restarts one at a time", () =>
        {
            foreach (RunSpec run in runs)
                RunExecutor.Execute(run, data);
        });
        var stacked = new Interleaved.Case("stacked", $"{restarts} restarts stacked", () =>
        {
            if (StackedRunExecutor.Execute(runs, data).Any(o => o?.Result is null))
                throw new InvalidOperationException("A restart of the bench's Table 1 cell did not finish.");
        });
        var timings = Interleaved.Compare(oneAtATime, [stacked], rounds);
        Interleaved.Print(log, $"Table 1 cell: {restarts} restarts of deepmlp 20x50, {steps} steps of {Batch} each, Fashion-MNIST, {threads} thread(s)", timings);
        foreach (CaseTiming timing in timings)
            results.Add($"sweep.table1.runs_per_hour.{timing.Key}", restarts / (timing.Milliseconds.Median / 1000) * 3600);
        Spread ratio = timings[1].Ratio;
        results.AddSpread("sweep.table1.stacked_speedup", new Spread(1 / ratio.Median, 1 / ratio.P75, 1 / ratio.P25));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stacked: {1 / ratio.Median:F2}x the runs per hour of one at a time"));
        return timings[0].Milliseconds.Median;
    }
}
