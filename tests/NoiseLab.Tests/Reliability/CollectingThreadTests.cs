using System.Diagnostics;
using NoiseLab.Data;
using NoiseLab.Interop;
using NoiseLab.Models.Stacked;
using NoiseLab.Noise;
using NoiseLab.Randomness;
using NoiseLab.TensorBoard;
using NoiseLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Reliability;

/// <summary>
/// TorchSharp lets go of a tensor's wrapper once the wrapper's handle is passed to libtorch, so a temporary that
/// nothing holds (<c>p.detach().clone()</c> outside a dispose scope) can be finalized by a collection on another
/// thread while libtorch still reads it: a segmentation fault, found in `noiselab bench` and reproduced within 0.1 s
/// by collecting in a tight loop (a standalone loop of <see cref="ParameterSnapshot"/>s crashed within 0.1 s). Each
/// case runs one of the code paths found holding such a temporary, or a Scalar TorchSharp makes and does not hold,
/// under that loop. On the code before the fix the noise-level and clipping cases failed on their own ("Expected false
/// to be true" from a freed Scalar) and the eight run together crashed the test process; the snapshot's case alone
/// passed, the test process's heap making its collections slower than the standalone loop's.
/// </summary>
public sealed class CollectingThreadTests
{
    // Collects garbage and runs finalizers without pause on a thread of its own until disposed.
    private sealed class Collector : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;

        public Collector()
        {
            _thread = new Thread(() =>
            {
                // Young objects only: the temporaries live there, and a full collection of the test process's heap
                // would take long enough to leave most calls alone.
                while (!_stop)
                {
                    GC.Collect(0);
                    GC.WaitForPendingFinalizers();
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }

    // Each case calls one of NoiseLab's code paths that run outside a training step's dispose scope (or that a user's
    // loop may call without one) and returns a figure that must not change from call to call.
    public static TheoryData<string> Cases => new()
    {
        "parameter snapshot", "relative-to-rms noise level", "tagging loss", "gradient clipping", "noise on a transposed input",
        "stacked layer", "dataset prefix", "parameter histograms",
    };

    private static Func<double> Case(string name)
    {
        var generator = new Generator(3);
        switch (name)
        {
            case "parameter snapshot":
            {
                Parameter[] parameters = [new(randn(64, 64, generator: generator)), new(randn(64, generator: generator))];
                return () =>
                {
                    using var snapshot = new ParameterSnapshot(parameters);
                    return snapshot.DistanceToCurrent();
                };
            }
            case "relative-to-rms noise level":
            {
                Tensor target = randn(256, generator: generator);
                return () => NoiseScale.RelativeToRms.StandardDeviationFor(0.1, target);
            }
            case "tagging loss":
            {
                Tensor output = randn([4, 8, 5], generator: generator), targets = randint(0, 5, [4, 8], generator: generator);
                var objective = new TaggingObjective(["O", "B-X", "I-X", "B-Y", "I-Y"]);
                return () =>
                {
                    using Tensor loss = objective.Loss(output, targets);
                    return loss.ToDoubleHeld();
                };
            }
            case "gradient clipping":
            {
                var parameter = new Parameter(randn(32, 32, generator: generator));
                Tensor gradient = randn(32, 32, generator: generator);
                return () =>
                {
                    parameter.grad = gradient.clone();
                    GradientNorm.Clip([parameter], maxNorm: 1.0);
                    return GradientNorm.Compute([parameter]);
                };
            }
            case "noise on a transposed input":
            {
                Tensor input = randn(48, 32, generator: generator);
                return () =>
                {
                    using Tensor transposed = input.t();
                    using Tensor noisy = NoiseFunctional.AddNoise(transposed, NoiseDistribution.Gaussian, 0.5, new NoiseKey(1, 2, 3));
                    using Tensor sum = noisy.sum();
                    return sum.ToDoubleHeld();
                };
            }
            case "stacked layer":
            {
                var layers = new[] { nn.Linear(16, 8), nn.Linear(16, 8) };
                return () =>
                {
                    using var stacked = new StackedLinear([layers[0], null, layers[1]]);
                    using Tensor sum = stacked.Weight.sum();
                    return sum.ToDoubleHeld();
                };
            }
            case "dataset prefix":
            {
                var dataset = new InMemoryDataset(randn([50, 6], generator: generator), randint(0, 3, [50], generator: generator));
                return () =>
                {
                    InMemoryDataset prefix = dataset.Take(20);
                    using Tensor sum = prefix.Features.sum();
                    double value = sum.ToDoubleHeld();
                    prefix.Dispose();
                    return value;
                };
            }
            case "parameter histograms":
            {
                var model = nn.Linear(16, 4);
                using (Tensor output = model.call(randn(8, 16, generator: generator)))
                using (Tensor total = output.sum())
                    total.backward();
                return () => TensorBoardLogger.ParameterHistograms(model).Sum(h => h.Sum);
            }
            default:
                throw new ArgumentException(name);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Code_run_while_another_thread_collects_gives_the_same_figure_every_time(string name)
    {
        Func<double> run = Case(name);
        double expected = run();
        int calls = 0;
        using (new Collector())
        {
            // At least 200 calls, and more for as long as a second allows: the collections slow every call down.
            var clock = Stopwatch.StartNew();
            while (calls < 200 || clock.Elapsed < TimeSpan.FromSeconds(1))
            {
                Assert.Equal(expected, run());
                calls++;
            }
        }
    }
}
