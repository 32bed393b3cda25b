namespace NoiseLab.Tuning;

/// <summary>
/// One candidate sigma's scores over folds × seeds, summarized: the mean, the sample standard deviation
/// (n − 1; 0 for one score) and the standard error std/√n of the scored runs. Runs that diverged have no
/// score; they are counted apart, and a candidate with any is not eligible to be chosen.
/// </summary>
public sealed class CandidateSummary
{
    private CandidateSummary(double sigma, TrialScore[] scores)
    {
        Sigma = sigma;
        Scores = scores;
        double[] values = [.. scores.Where(s => s.Score is not null).Select(s => s.Score!.Value)];
        Count = values.Length;
        Diverged = scores.Length - values.Length;
        if (Count == 0)
            return;
        double mean = values.Average();
        Mean = mean;
        Std = Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (Count - 1)) : 0;
        StdError = Std / Math.Sqrt(Count);
    }

    /// <summary>Summarizes <paramref name="scores"/>, the runs of candidate <paramref name="sigma"/>.</summary>
    public static CandidateSummary Of(double sigma, IEnumerable<TrialScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        TrialScore[] all = [.. scores];
        if (all.Length == 0)
            throw new ArgumentException($"Candidate sigma {SigmaGrid.Format(sigma)} has no runs to summarize.", nameof(scores));
        return new CandidateSummary(sigma, all);
    }

    /// <summary>The noise level; 0 is the no-noise baseline.</summary>
    public double Sigma { get; }

    /// <summary>Each fold and seed's score, in the order run.</summary>
    public IReadOnlyList<TrialScore> Scores { get; }

    /// <summary>Runs with a score.</summary>
    public int Count { get; }

    /// <summary>Runs whose training diverged.</summary>
    public int Diverged { get; }

    /// <summary>The mean score; null when no run has one.</summary>
    public double? Mean { get; }

    /// <summary>The sample standard deviation of the scores; null when no run has one.</summary>
    public double? Std { get; }

    /// <summary>The standard error of the mean, <see cref="Std"/>/√<see cref="Count"/>; null when no run has a score.</summary>
    public double? StdError { get; }

    /// <summary>Whether every run has a score, so the candidate can be chosen.</summary>
    public bool Eligible => Diverged == 0 && Count > 0;
}
