namespace NoiseLab.Experiments;

/// <summary>
/// Seed 004's way of reporting random restarts: the best score, the mean ± standard deviation
/// (sample, n − 1), and the fraction of runs that reach a threshold (the success rate). Runs that
/// diverged have no score but count as failures in the success rate; they are never dropped silently.
/// </summary>
public sealed record RestartSummary(int Runs, double Best, double Mean, double Std, double SuccessAt, double SuccessRate, int Diverged = 0)
{
    /// <summary>Summarizes <paramref name="scores"/> (e.g. test accuracies) against <paramref name="successAt"/>.</summary>
    /// <param name="scores">The finished runs' scores; at least one.</param>
    /// <param name="successAt">The score a run must reach to count as a success.</param>
    /// <param name="diverged">Runs that diverged: failures for the success rate.</param>
    public static RestartSummary Of(IReadOnlyList<double> scores, double successAt, int diverged = 0)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentOutOfRangeException.ThrowIfNegative(diverged);
        if (scores.Count == 0)
            throw new ArgumentException("There are no runs to summarize.", nameof(scores));
        double mean = scores.Average();
        double std = scores.Count > 1 ? Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / (scores.Count - 1)) : 0;
        return new RestartSummary(scores.Count, scores.Max(), mean, std, successAt, scores.Count(s => s >= successAt) / (double)(scores.Count + diverged), diverged);
    }
}
