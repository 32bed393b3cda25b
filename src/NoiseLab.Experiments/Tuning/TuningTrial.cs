using NoiseLab.Experiments;

namespace NoiseLab.Tuning;

/// <summary>One run of a sigma search: a candidate sigma, a fold (null: the ordinary validation split), a seed, and the run that carries them out.</summary>
/// <param name="Sigma">The candidate noise level; 0 runs without the plan.</param>
/// <param name="Fold">The cross-validation fold used as the validation set, from 0; null for the validation split.</param>
/// <param name="Seed">The run seed.</param>
/// <param name="Run">The complete run: the base run with the plan at this sigma, this fold and this seed.</param>
public sealed record TuningTrial(double Sigma, int? Fold, long Seed, RunSpec Run);
