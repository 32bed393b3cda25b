using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Training;

namespace NoiseLab.Tuning;

/// <summary>
/// Finds the sigma of one noise plan that scores best on held-out data: every candidate is trained
/// on every fold (or once on the validation split) with every seed, each run scored by
/// <see cref="TuningMetric"/>, and <see cref="SigmaSearchResult.Choose"/> picks the best and the
/// one-standard-error sigma. All candidates see the same folds and seeds, so they differ only in sigma;
/// the test split is never used to choose.
/// </summary>
public sealed class SigmaSearch
{
    private readonly SigmaSearchOptions _options;

    /// <summary>Checks <paramref name="options"/>; nothing runs yet.</summary>
    /// <exception cref="ArgumentException">No seeds or repeated seeds, or fewer than two folds.</exception>
    public SigmaSearch(SigmaSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Seeds.Count == 0)
            throw new ArgumentException("A search needs at least one seed.", nameof(options));
        if (options.Seeds.Distinct().Count() != options.Seeds.Count)
            throw new ArgumentException($"The seeds {string.Join(",", options.Seeds)} repeat one; each seed should be a different run.", nameof(options));
        if (options.Folds is < 2)
            throw new ArgumentException($"Cross-validation needs at least 2 folds; got {options.Folds}.", nameof(options));
        _options = options;
    }

    /// <summary>Every run of the search: by candidate sigma, then fold, then seed.</summary>
    public IReadOnlyList<TuningTrial> Trials()
    {
        int?[] folds = _options.Folds is int k ? [.. Enumerable.Range(0, k).Select(i => (int?)i)] : [null];
        var trials = new List<TuningTrial>();
        foreach (double sigma in _options.Sigmas.Values)
        {
            foreach (int? fold in folds)
            {
                foreach (long seed in _options.Seeds)
                    trials.Add(new TuningTrial(sigma, fold, seed, RunFor(sigma, fold, seed)));
            }
        }
        return trials;
    }

    /// <summary>Runs every trial and chooses.</summary>
    /// <param name="execute">Carries out one run; <see cref="RunExecutor.Execute(RunSpec, IEnumerable{TrainingCallback}?, Action{string}?, NoiseLab.Checkpoints.CheckpointFolder?, NoiseLab.Checkpoints.TrainingCheckpoint?)"/> by default.</param>
    /// <param name="onTrial">Told each trial's score as it finishes (for progress lines).</param>
    /// <exception cref="InvalidOperationException">Training diverged for some run of every candidate.</exception>
    public SigmaSearchResult Run(Func<RunSpec, TrainingResult>? execute = null, Action<TuningTrial, TrialScore>? onTrial = null)
    {
        execute ??= spec => RunExecutor.Execute(spec);
        TuningMetric? metric = null;
        var scores = new Dictionary<double, List<TrialScore>>();
        foreach (TuningTrial trial in Trials())
        {
            double? score = null;
            try
            {
                var (trialMetric, value) = TuningMetric.Score(execute(trial.Run));
                metric ??= trialMetric;
                score = value;
            }
            catch (TrainingDivergedException)
            {
                // A diverged run has no score; its candidate cannot be chosen.
            }
            var result = new TrialScore(trial.Fold, trial.Seed, score);
            if (!scores.TryGetValue(trial.Sigma, out List<TrialScore>? list))
                scores[trial.Sigma] = list = [];
            list.Add(result);
            onTrial?.Invoke(trial, result);
        }
        CandidateSummary[] candidates = [.. scores.Select(e => CandidateSummary.Of(e.Key, e.Value))];
        return SigmaSearchResult.Choose(metric ?? TuningMetric.ValidationLoss, candidates);
    }

    private RunSpec RunFor(double sigma, int? fold, long seed)
    {
        RunSpec run = _options.Run;
        string? plan = _options.Plan.WithSigma(sigma);
        return run with
        {
            Noise = plan is null ? run.Noise : [.. run.Noise, plan],
            Data = fold is int i ? run.Data with { Fold = new CrossValidationFold(_options.Folds!.Value, i, _options.FoldSeed) } : run.Data,
            Trainer = run.Trainer with { Seed = seed },
        };
    }
}
