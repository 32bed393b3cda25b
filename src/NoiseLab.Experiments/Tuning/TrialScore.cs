namespace NoiseLab.Tuning;

/// <summary>The score of one run of a search: one fold (null: the ordinary validation split) and one seed.</summary>
/// <param name="Fold">The cross-validation fold that was the validation set, from 0; null when the validation split was.</param>
/// <param name="Seed">The run seed (weights, shuffling, noise).</param>
/// <param name="Score">The run's <see cref="TuningMetric"/> score; null when training diverged.</param>
public sealed record TrialScore(int? Fold, long Seed, double? Score);
