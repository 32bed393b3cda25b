using NoiseLab.Data;
using NoiseLab.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>Loss and figures of a model over a data set, in eval mode, without gradients.</summary>
public static class Evaluation
{
    /// <summary>The sample-weighted mean loss and each of the objective's figures.</summary>
    public sealed record Result(double Loss, IReadOnlyDictionary<string, double> Metrics)
    {
        /// <summary>The accuracy, for objectives that report one.</summary>
        public double? Accuracy => Metrics.TryGetValue("accuracy", out double a) ? a : null;
    }

    /// <summary>
    /// Runs <paramref name="model"/> over <paramref name="data"/> in eval mode, in batches of
    /// <paramref name="batchSize"/>, and restores the model's previous mode afterwards.
    /// </summary>
    public static Result Run(nn.Module<Tensor, Tensor> model, InMemoryDataset data, Objective objective, int batchSize)
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
            BatchPlacement placement = BatchPlacement.Of(model);
            double lossSum = 0;
            var sums = new double[objective.SumCount];
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int length = Math.Min(batchSize, data.Count - start);
                var (inputs, targets) = data.Slice(start, length);
                (inputs, targets) = (placement.Place(inputs), placement.Place(targets));
                Tensor output = model.call(inputs);
                lossSum += objective.Loss(output, targets).ToDoubleHeld() * length;
                objective.AddMetricSums(output, targets, sums);
            }
            return new Result(lossSum / data.Count, objective.Finish(sums, data.Count));
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
