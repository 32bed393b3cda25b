using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Support;

/// <summary>
/// Drives a callback's moments by hand on a real model, optimizer and context, so a test can look
/// at the weights, inputs and gradients between moments.
/// </summary>
internal sealed class StepHarness : IDisposable
{
    public StepHarness(nn.Module<Tensor, Tensor> model, TrainerOptions? options = null, double lr = 0.1)
    {
        Model = model;
        Optimizer = optim.SGD(model.parameters(), lr);
        Context = new TrainingContext(model, Optimizer, options ?? new TrainerOptions { Seed = 42 }, stepsPerEpoch: 10) { Epoch = 1 };
    }

    public nn.Module<Tensor, Tensor> Model { get; }

    public optim.Optimizer Optimizer { get; }

    public TrainingContext Context { get; }

    public float[][] Weights() => [.. Context.Parameters.Select(p => p.data<float>().ToArray())];

    /// <summary>Forward and backward on (inputs, targets) with cross-entropy, as the trainer does.</summary>
    public void Backward(Tensor inputs, Tensor targets)
    {
        Optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(Model.forward(inputs), targets);
        loss.backward();
        Context.Loss = loss;
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
    }
}
