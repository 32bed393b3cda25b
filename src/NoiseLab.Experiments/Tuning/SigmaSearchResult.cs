namespace NoiseLab.Tuning;

/// <summary>
/// What a sigma search found: every candidate's summary, the best candidate, and the one-standard-error
/// choice. Only eligible candidates (no diverged run) can be chosen.
/// <list type="bullet">
/// <item><b>Best</b>: the best mean score (ties go to the smaller sigma).</item>
/// <item><b>One standard error</b>: the largest sigma whose mean is within one standard error of the
/// best's mean — at least best mean − best SE when higher is better, at most best mean + best SE when
/// lower is better, SE being the best's std/√n over its folds × seeds. Noise regularizes more as sigma
/// grows, so this is the most regularized candidate that the scores cannot tell from the best
/// (Hastie, Tibshirani and Friedman's one-standard-error rule). It can be the best itself.</item>
/// </list>
/// </summary>
public sealed class SigmaSearchResult
{
    private SigmaSearchResult(TuningMetric metric, IReadOnlyList<CandidateSummary> candidates, CandidateSummary best, CandidateSummary oneStandardError)
    {
        Metric = metric;
        Candidates = candidates;
        Best = best;
        OneStandardError = oneStandardError;
    }

    /// <summary>What the scores measure, and in which direction is better.</summary>
    public TuningMetric Metric { get; }

    /// <summary>Every candidate, by increasing sigma.</summary>
    public IReadOnlyList<CandidateSummary> Candidates { get; }

    /// <summary>The candidate with the best mean score.</summary>
    public CandidateSummary Best { get; }

    /// <summary>The largest sigma within one standard error of <see cref="Best"/>.</summary>
    public CandidateSummary OneStandardError { get; }

    /// <summary>Applies the two rules to <paramref name="candidates"/> scored by <paramref name="metric"/>.</summary>
    /// <exception cref="InvalidOperationException">No candidate is eligible: some run of each diverged.</exception>
    public static SigmaSearchResult Choose(TuningMetric metric, IReadOnlyList<CandidateSummary> candidates)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(candidates);
        CandidateSummary[] ordered = [.. candidates.OrderBy(c => c.Sigma)];
        CandidateSummary[] eligible = [.. ordered.Where(c => c.Eligible)];
        if (eligible.Length == 0)
            throw new InvalidOperationException("Training diverged for every candidate sigma; nothing can be chosen. Try smaller sigmas or a smaller learning rate.");
        CandidateSummary best = eligible[0];
        foreach (CandidateSummary candidate in eligible.Skip(1))
        {
            if (metric.IsBetter(candidate.Mean!.Value, best.Mean!.Value))
                best = candidate;
        }
        double bestMean = best.Mean!.Value, bestError = best.StdError!.Value;
        CandidateSummary oneStandardError = eligible
            .Where(c => metric.HigherIsBetter ? c.Mean >= bestMean - bestError : c.Mean <= bestMean + bestError)
            .MaxBy(c => c.Sigma)!;
        return new SigmaSearchResult(metric, ordered, best, oneStandardError);
    }
}
