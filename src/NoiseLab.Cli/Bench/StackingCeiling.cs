using System.Globalization;
using static TorchSharp.torch;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// What stacking could gain at most on the Table 1 cell. The matrix products of the cell's training steps — forward
/// X·W and backward dY·Wᵀ and Xᵀ·dY for each of deepmlp 20×50's 21 layers, at batch 128 — are timed alone, one restart
/// at a time with <c>mm</c> against all restarts at once with <c>bmm</c>, interleaved in the same process:
/// sweep.table1.matmul_speedup (median of the rounds' ratios) and each side's rate, sweep.table1.matmul_gflops.*
/// (2 flops per multiply-add). A stacked cell does at least its batched products, so the cell's one-at-a-time time
/// over the stacked products' time bounds the stacked speedup from above, as if everything else a stacked step does
/// (elementwise work, clipping, noise, the optimizer, evaluation) cost nothing: sweep.table1.stacked_speedup_bound.
/// </summary>
internal static class StackingCeiling
{
    private static readonly int[] s_widths = [784, .. Enumerable.Repeat(50, 20), 10];

    public static void Run(int restarts, int steps, int rounds, double oneAtATimeCellMilliseconds, BenchResults results, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(log);
        const int Batch = 128;
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        int layers = s_widths.Length - 1;
        Tensor[] x = new Tensor[layers], w = new Tensor[layers], dy = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            x[l] = randn([restarts, Batch, s_widths[l]], generator: generator);
            w[l] = randn([restarts, s_widths[l], s_widths[l + 1]], generator: generator);
            dy[l] = randn([restarts, Batch, s_widths[l + 1]], generator: generator);
        }
        // Each restart's own contiguous copies, as a single run holds them; the transposes are views, made once.
        Tensor[][] Slices(Tensor[] stacked) => [.. stacked.Select(t => Enumerable.Range(0, restarts).Select(r => t[r].contiguous()).ToArray())];
        Tensor[][] xs = Slices(x), ws = Slices(w), dys = Slices(dy);
        Tensor[][] wts = [.. ws.Select(layer => layer.Select(t => t.t()).ToArray())], xts = [.. xs.Select(layer => layer.Select(t => t.t()).ToArray())];
        Tensor[] wt = [.. w.Select(t => t.transpose(1, 2))], xt = [.. x.Select(t => t.transpose(1, 2))];

        var oneAtATime = new Interleaved.Case("one_at_a_time", $"products of {restarts} restarts, one at a time (mm)", () =>
        {
            for (int step = 0; step < steps; step++)
            {
                for (int r = 0; r < restarts; r++)
                {
                    for (int l = 0; l < layers; l++)
                    {
                        mm(xs[l][r], ws[l][r]).Dispose();
                        mm(dys[l][r], wts[l][r]).Dispose();
                        mm(xts[l][r], dys[l][r]).Dispose();
                    }
                }
            }
        });
        var stacked = new Interleaved.Case("stacked", $"products of {restarts} restarts, stacked (bmm)", () =>
        {
            for (int step = 0; step < steps; step++)
            {
                for (int l = 0; l < layers; l++)
                {
                    bmm(x[l], w[l]).Dispose();
                    bmm(dy[l], wt[l]).Dispose();
                    bmm(xt[l], dy[l]).Dispose();
                }
            }
        });
        var timings = Interleaved.Compare(oneAtATime, [stacked], rounds);
        Interleaved.Print(log, $"Stacking's ceiling: the matrix products alone of {steps} steps of the Table 1 cell", timings);

        double flops = 0;
        for (int l = 0; l < layers; l++)
            flops += 3.0 * 2 * Batch * s_widths[l] * s_widths[l + 1];
        flops *= (double)restarts * steps;
        foreach (CaseTiming timing in timings)
            results.Add($"sweep.table1.matmul_gflops.{timing.Key}", flops / (timing.Milliseconds.Median / 1000) / 1e9);
        Spread ratio = timings[1].Ratio;
        results.AddSpread("sweep.table1.matmul_speedup", new Spread(1 / ratio.Median, 1 / ratio.P75, 1 / ratio.P25));
        double bound = oneAtATimeCellMilliseconds / timings[1].Milliseconds.Median;
        results.Add("sweep.table1.stacked_speedup_bound", bound);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the stacked products run {1 / ratio.Median:F2}x as fast as one at a time " +
            $"({flops / (timings[0].Milliseconds.Median / 1000) / 1e9:F1} against {flops / (timings[1].Milliseconds.Median / 1000) / 1e9:F1} GFLOP/s); " +
            $"a stacked cell costing its products alone would be {bound:F2}x the one-at-a-time cell"));
    }
}
