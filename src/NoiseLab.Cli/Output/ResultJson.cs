using System.Text.Json;
using System.Text.Json.Serialization;
using NoiseLab.Training;

namespace NoiseLab.Cli.Output;

/// <summary>The machine-readable result of <c>noiselab train --json</c>: snake_case keys, accuracies as fractions.</summary>
internal static class ResultJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record Document(double? TestAccuracy, double TestLoss, IReadOnlyDictionary<string, double> TestMetrics, IReadOnlyList<EpochRecord> History);

    public static string Serialize(TrainingResult result) =>
        JsonSerializer.Serialize(new Document(result.TestAccuracy, result.TestLoss, result.TestMetrics, result.History), s_options);
}
