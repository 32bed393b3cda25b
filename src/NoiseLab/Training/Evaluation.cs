using NoiseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>Mean loss and accuracy of a model over a data set, in eval mode, without gradients.</summary>
public static class Evaluation
{
    /// <summary>
    /// Runs <paramref name="model"/> over <paramref name="data"/> in eval mode, in batches of
    /// <paramref name="batchSize"/>, and restores the model's previous mode afterwards.
    /// </summary>
    /// <returns>The sample-weighted mean loss and the fraction of correct predictions.</returns>
    public static (double Loss, double Accuracy) Run(nn.Module<Tensor, Tensor> model, InMemoryDataset data, Objective objective, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);

        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double lossSum = 0;
            long correct = 0;
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int length = Math.Min(batchSize, data.Count - start);
                var (inputs, targets) = data.Slice(start, length);
                Tensor output = model.call(inputs);
                lossSum += objective.Loss(output, targets).item<float>() * (double)length;
                correct += objective.CountCorrect(output, targets);
            }
            return (lossSum / data.Count, (double)correct / data.Count);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
