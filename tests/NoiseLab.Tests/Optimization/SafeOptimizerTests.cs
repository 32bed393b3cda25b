using NoiseLab.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Optimization;

/// <summary>
/// NoiseLab's optimizers are TorchSharp's, bit for bit, with the step's Scalars held alive: TorchSharp's temporary
/// Scalars can be finalized by a garbage collection on another thread while libtorch reads them.
/// </summary>
public sealed class SafeOptimizerTests
{
    public static TheoryData<string> Kinds => ["sgd", "momentum", "momentum-decay", "adam", "adam-decay", "adamw"];

    private static (optim.Optimizer Safe, optim.Optimizer Original) Build(string kind, IEnumerable<Parameter> safe, IEnumerable<Parameter> original) => kind switch
    {
        "sgd" => (new SafeSgd(safe, 0.1), optim.SGD(original, 0.1)),
        "momentum" => (new SafeSgd(safe, 0.05, momentum: 0.9), optim.SGD(original, 0.05, momentum: 0.9)),
        "momentum-decay" => (new SafeSgd(safe, 0.05, momentum: 0.9, weightDecay: 1e-2), optim.SGD(original, 0.05, momentum: 0.9, weight_decay: 1e-2)),
        "adam" => (new SafeAdam(safe, 0.01), optim.Adam(original, 0.01)),
        "adam-decay" => (new SafeAdam(safe, 0.01, weightDecay: 1e-2), optim.Adam(original, 0.01, weight_decay: 1e-2)),
        "adamw" => (new SafeAdamW(safe, 0.01, weightDecay: 1e-2), optim.AdamW(original, 0.01, weight_decay: 1e-2)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such optimizer in this test"),
    };

    private static Sequential Model(long seed)
    {
        torch.manual_seed(seed);
        return nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3));
    }

    private static void Step(Sequential model, optim.Optimizer optimizer, Tensor inputs, Tensor targets)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        nn.functional.cross_entropy(model.call(inputs), targets).backward();
        optimizer.step();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_steps_exactly_as_torchsharp_s_own_optimizer(string kind)
    {
        using Sequential safeModel = Model(4), originalModel = Model(4);
        var (safe, original) = Build(kind, safeModel.parameters(), originalModel.parameters());
        var generator = new Generator(9);
        for (int step = 0; step < 25; step++)
        {
            using Tensor inputs = randn(new long[] { 16, 6 }, generator: generator);
            using Tensor targets = randint(0, 3, [16], generator: generator);
            Step(safeModel, safe, inputs, targets);
            Step(originalModel, original, inputs, targets);
        }

        foreach (var (a, b) in safeModel.parameters().Zip(originalModel.parameters()))
            Assert.Equal(b.data<float>().ToArray(), a.data<float>().ToArray());
        Assert.IsAssignableFrom<OptimizerHelper>(safe);
    }

    // With a thread collecting garbage without pause, TorchSharp's own steps fail now and then (a freed Scalar); these never.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Steps_never_read_a_finalized_scalar_while_another_thread_collects_garbage(string kind)
    {
        using Sequential model = Model(1), unused = Model(1);
        var (safe, _) = Build(kind, model.parameters(), unused.parameters());
        using Tensor inputs = randn(16, 6);
        using Tensor targets = randint(0, 3, [16]);
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        try
        {
            for (int step = 0; step < 1500; step++)
                Step(model, safe, inputs, targets);
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        Assert.All(model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }
}
