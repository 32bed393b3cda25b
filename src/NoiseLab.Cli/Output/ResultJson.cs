using System.Text.Json;
using System.Text.Json.Serialization;
using NoiseLab.Experiments;
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

    private sealed record RestartRun(long Seed, double? TestAccuracy, double TestLoss);

    private sealed record RestartDocument(int Runs, double Best, double Mean, double Std, double SuccessAt, double SuccessRate, IReadOnlyList<RestartRun> Results);

    public static string Serialize(RestartSummary summary, IReadOnlyList<(long Seed, TrainingResult Result)> runs) =>
        JsonSerializer.Serialize(new RestartDocument(summary.Runs, summary.Best, summary.Mean, summary.Std, summary.SuccessAt, summary.SuccessRate,
            [.. runs.Select(r => new RestartRun(r.Seed, r.Result.TestAccuracy, r.Result.TestLoss))]), s_options);

    public static string Serialize(TrainingResult result) =>
        JsonSerializer.Serialize(new Document(result.TestAccuracy, result.TestLoss, result.TestMetrics, result.History), s_options);
}
