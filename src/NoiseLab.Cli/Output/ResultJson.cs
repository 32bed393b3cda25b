using System.Text.Json;
using System.Text.Json.Serialization;
using NoiseLab.Experiments;
using NoiseLab.Randomness;
using NoiseLab.Training;
using NoiseLab.Tuning;

namespace NoiseLab.Cli.Output;

/// <summary>The machine-readable results of <c>noiselab train --json</c> and <c>noiselab tune --json</c>: snake_case keys, accuracies as fractions.</summary>
internal static class ResultJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record Document(double? TestAccuracy, double TestLoss, IReadOnlyDictionary<string, double> TestMetrics, IReadOnlyList<EpochRecord> History, EarlyStoppingOutcome? EarlyStopping, string Generator);

    private sealed record RestartRun(long Seed, double? TestAccuracy, double? TestLoss, string? Diverged);

    private sealed record RestartDocument(int Runs, int Diverged, double Best, double Mean, double Std, double SuccessAt, double SuccessRate, IReadOnlyList<RestartRun> Results, string Generator);

    private sealed record TuneScore(
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Fold,
        long Seed,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Score);

    private sealed record TuneCandidate(
        double Sigma,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Plan,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Mean,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Std,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? StdError,
        int Count,
        int Diverged,
        IReadOnlyList<TuneScore> Scores);

    private sealed record TuneChoice(double Sigma, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Plan, double Mean, double Std, double StdError, int Count);

    private sealed record TuneDocument(
        string Noise,
        string Metric,
        bool HigherIsBetter,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Folds,
        IReadOnlyList<long> Seeds,
        IReadOnlyList<TuneCandidate> Candidates,
        TuneChoice Best,
        TuneChoice OneStandardError,
        string Generator);

    /// <summary>
    /// A sigma search: the plan, the metric, the folds (null: the validation split) and seeds, each candidate
    /// with its summary and every fold/seed's score (null: diverged), the best and the one-standard-error choice,
    /// and the noise generator the trials drew with.
    /// </summary>
    public static string Serialize(SigmaSearchResult result, NoisePlanTemplate plan, int? folds, IReadOnlyList<long> seeds, NoiseGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(plan);
        TuneChoice Choice(CandidateSummary c) => new(c.Sigma, plan.WithSigma(c.Sigma), c.Mean!.Value, c.Std!.Value, c.StdError!.Value, c.Count);
        return JsonSerializer.Serialize(new TuneDocument(plan.Text, result.Metric.Name, result.Metric.HigherIsBetter, folds, seeds,
            [.. result.Candidates.Select(c => new TuneCandidate(c.Sigma, plan.WithSigma(c.Sigma), c.Mean, c.Std, c.StdError, c.Count, c.Diverged,
                [.. c.Scores.Select(s => new TuneScore(s.Fold, s.Seed, s.Score))]))],
            Choice(result.Best), Choice(result.OneStandardError), generator.Name), s_options);
    }

    /// <summary>Restarts: the summary over the finished ones, each seed's test figures or, for one that diverged, why, and the noise generator they drew with.</summary>
    public static string Serialize(RestartSummary summary, IReadOnlyList<(long Seed, TrainingResult? Result, string? Diverged)> runs, NoiseGenerator generator) =>
        JsonSerializer.Serialize(new RestartDocument(summary.Runs, summary.Diverged, summary.Best, summary.Mean, summary.Std, summary.SuccessAt, summary.SuccessRate,
            [.. runs.Select(r => new RestartRun(r.Seed, r.Result?.TestAccuracy, r.Result?.TestLoss, r.Diverged))], generator.Name), s_options);

    /// <summary>One run: its test figures, history, early stopping, and the noise generator it drew with.</summary>
    public static string Serialize(TrainingResult result, NoiseGenerator generator) =>
        JsonSerializer.Serialize(new Document(result.TestAccuracy, result.TestLoss, result.TestMetrics, result.History, result.EarlyStopping, generator.Name), s_options);
}
