using NoiseLab.Training;

namespace NoiseLab.Tests.Support;

/// <summary>Epoch records with only the figures a test cares about; the required ones default to fixed values.</summary>
internal static class Records
{
    public static EpochRecord Epoch(int epoch, double? valAccuracy = null, double trainLoss = 1, double valLoss = 1, double learningRate = 0.1,
        IReadOnlyDictionary<string, double>? sigmas = null, IReadOnlyDictionary<string, double>? diagnostics = null,
        IReadOnlyDictionary<string, double>? valMetrics = null) => new()
    {
        Epoch = epoch, TrainLoss = trainLoss, ValLoss = valLoss, ValAccuracy = valAccuracy, GradNorm = 1, WeightUpdateNorm = 0.1,
        LearningRate = learningRate,
        Sigmas = sigmas ?? new Dictionary<string, double>(),
        Diagnostics = diagnostics ?? new Dictionary<string, double>(),
        ValMetrics = valMetrics ?? new Dictionary<string, double>(),
    };
}
