using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Training.Stacked;

/// <summary>
/// Every place of noise and the adaptive controller act per replica: replica r draws from its single run's key,
/// on its slices, at its moments, so that its noise bits, and so its whole run, are its single run's.
/// </summary>
public sealed class StackedNoiseTests
{
    private const int Epochs = 4;
    private static readonly long?[] s_seeds = [4, 1, 8];

    private static StackedRuns Runs(params string[] plans) => new(
        ModelSpec.Parse("deepmlp:layers=2,width=16,init=he,dropout=0.1"), new OptimizerSpec(OptimizerKind.Adam, 0.01),
        new TrainerOptions { Epochs = Epochs, BatchSize = 32, ClipNorm = 1.0 })
    {
        Callbacks = (_, model) => [.. plans.Select(plan => NoiseSpec.Parse(plan, Epochs).Create(model))],
    };

    public static TheoryData<string[]> Plans => new()
    {
        { ["gradient:gaussian:sigma=0.05"] },
        { ["gradient:annealed:eta=0.01"] },
        { ["gradient:uniform:sigma=0.02,relative=true"] },
        { ["weight:gaussian:sigma=0.002"] },
        { ["weight:uniform:sigma=0.002,scope=layerwise,relative=true"] },
        { ["perturb:gaussian:sigma=0.01"] },
        { ["perturb:uniform:sigma=0.01,scope=layerwise"] },
        { ["perturb:anti:sigma=0.005"] },
        { ["input:gaussian:sigma=0.3"] },
        { ["input:uniform:sigma=0.2,relative=true,decay=0.8"] },
        { ["adaptive:min_epochs=1,window=2,grad_plateau=10,val_plateau=10,consecutive=2,cd_min=1,cd_max=1,sigma_min=0.001,sigma_max=0.01"] },
        { ["input:gaussian:sigma=0.1", "weight:gaussian:sigma=0.001", "perturb:anti:sigma=0.01", "gradient:annealed:eta=0.01"] },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void At_one_thread_each_noisy_replica_is_its_noisy_single_run_bit_for_bit(string[] plans)
    {
        using var threads = new ThreadCount(1);
        using DataSplits data = Blobs.Create(train: 160, features: 16, classes: 4);
        StackedRuns runs = Runs(plans);

        var outcomes = runs.Stacked(data, s_seeds);

        for (int slot = 0; slot < s_seeds.Length; slot++)
        {
            long seed = s_seeds[slot]!.Value;
            TrainingResult single = runs.Single(data, seed);
            TrainingResult replica = outcomes[slot]!.Result!;
            Assert.Equal(single.History, replica.History);
            Assert.Equal((single.TestLoss, single.TestAccuracy, single.StateFingerprint), (replica.TestLoss, replica.TestAccuracy, replica.StateFingerprint));
            Assert.NotEqual(Runs().Single(data, seed).History[^1].TrainLoss, single.History[^1].TrainLoss);
        }
    }

    [Fact]
    public void The_adaptive_controller_decides_per_replica_and_records_each_replicas_decisions()
    {
        using var threads = new ThreadCount(1);
        using DataSplits data = Blobs.Create(train: 160, features: 16, classes: 4);
        // Stuck when the gradient norm changes by less than 60 % an epoch: replicas get there at different epochs.
        StackedRuns runs = Runs("adaptive:min_epochs=1,window=2,grad_plateau=0.6,val_plateau=1e-12,overfit_epochs=100,consecutive=2,cd_min=1,cd_max=1");

        var outcomes = runs.Stacked(data, s_seeds);

        var decisions = outcomes.Select(o => string.Join(",", o!.Result!.History.Select(r => $"{r.Diagnostics["adaptive.stuck"]}/{r.Diagnostics["adaptive.cooldown"]}"))).ToList();
        for (int slot = 0; slot < s_seeds.Length; slot++)
            Assert.Equal(runs.Single(data, s_seeds[slot]!.Value).History, outcomes[slot]!.Result!.History);
        Assert.True(decisions.Distinct().Count() > 1, $"every replica decided alike: {string.Join(" | ", decisions)}");
        Assert.Contains(outcomes, o => o!.Result!.History.Any(r => r.Sigmas.ContainsKey("adaptive.gradient")));
    }

    /// <summary>Keeps each step's gradient at its moment: before gradient noise (first) or after it (second).</summary>
    private sealed class GradientTap(List<float[]> taken) : TrainingCallback
    {
        public override void OnAfterClipping(TrainingContext context)
        {
            if (context.Step < 3)
                taken.Add([.. context.Parameters.SelectMany(p => p.grad!.data<float>().ToArray())]);
        }
    }

    [Fact]
    public void A_replicas_gradient_noise_is_its_single_runs_noise_bit_for_bit()
    {
        using var threads = new ThreadCount(1);
        using DataSplits data = Blobs.Create(train: 96, features: 16, classes: 4);
        var taps = new Dictionary<(long Seed, bool Stacked), (List<float[]> Before, List<float[]> After)>();
        bool stacked = true;
        var runs = Runs() with
        {
            Callbacks = (seed, model) =>
            {
                var tap = taps[(seed, stacked)] = ([], []);
                return [new GradientTap(tap.Before), NoiseSpec.Parse("gradient:gaussian:sigma=0.05", Epochs).Create(model), new GradientTap(tap.After)];
            },
        };

        runs.Stacked(data, s_seeds);
        stacked = false;
        foreach (long? seed in s_seeds)
            runs.Single(data, seed!.Value);

        foreach (long seed in s_seeds.Select(s => s!.Value))
        {
            var (singleBefore, singleAfter) = taps[(seed, false)];
            var (replicaBefore, replicaAfter) = taps[(seed, true)];
            for (int step = 0; step < 3; step++)
            {
                float[] singleNoise = [.. singleAfter[step].Zip(singleBefore[step], (a, b) => a - b)];
                float[] replicaNoise = [.. replicaAfter[step].Zip(replicaBefore[step], (a, b) => a - b)];
                Assert.Equal(singleNoise, replicaNoise);
                Assert.Contains(singleNoise, n => n != 0);
            }
        }
    }

    /// <summary>Makes a run's loss infinite at one step by putting infinity into its first weight.</summary>
    private sealed class BlowUp(long atStep) : TrainingCallback
    {
        public override void OnStepStart(TrainingContext context)
        {
            if (context.Step != atStep)
                return;
            using var noGrad = no_grad();
            context.Parameters[0].fill_(double.PositiveInfinity);
        }
    }

    /// <summary>Keeps every epoch record it sees, as a sweep's store does.</summary>
    private sealed class EpochLog(List<EpochRecord> records) : TrainingCallback
    {
        public override void OnEpochEnd(TrainingContext context, EpochRecord record) => records.Add(record);
    }

    [Fact]
    public void A_diverging_replica_ends_as_its_single_run_diverges_while_the_others_finish_as_their_single_runs()
    {
        using var threads = new ThreadCount(1);
        using DataSplits data = Blobs.Create(train: 160, features: 16, classes: 4);
        const long Diverging = 1;
        var logs = new Dictionary<long, List<EpochRecord>>();
        var runs = Runs("input:gaussian:sigma=0.1") with
        {
            Callbacks = (seed, model) =>
            [
                NoiseSpec.Parse("input:gaussian:sigma=0.1", Epochs).Create(model),
                new EpochLog(logs[seed] = []),
                .. seed == Diverging ? new TrainingCallback[] { new BlowUp(atStep: 12) } : [],
            ],
        };
        var finished = new List<long>();

        var outcomes = runs.Stacked(data, s_seeds, outcome => finished.Add(outcome.Seed));
        var replicaLogs = logs.ToDictionary(e => e.Key, e => e.Value.ToList());

        var diverged = Assert.Single(outcomes, o => o!.Error is not null)!;
        Assert.Equal(Diverging, diverged.Seed);
        Assert.True(diverged.Diverged);
        var single = Assert.Throws<TrainingDivergedException>(() => runs.Single(data, Diverging));
        Assert.Equal(single.Message, diverged.Error!.Message);
        Assert.Equal((3, 12L), (single.Epoch, single.Step));
        Assert.Equal(logs[Diverging], replicaLogs[Diverging]);
        Assert.Equal(2, replicaLogs[Diverging].Count);
        Assert.Equal([Diverging, 4, 8], finished);
        foreach (long seed in new long[] { 4, 8 })
        {
            TrainingResult alone = runs.Single(data, seed);
            TrainingResult replica = outcomes.Single(o => o!.Seed == seed)!.Result!;
            Assert.Equal(alone.History, replica.History);
            Assert.Equal(alone.StateFingerprint, replica.StateFingerprint);
        }
    }
}
