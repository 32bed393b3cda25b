namespace NoiseLab.Training;

/// <summary>What <see cref="EarlyStopping"/> did in a run.</summary>
/// <param name="Monitor">The figure it watched.</param>
/// <param name="StoppedEpoch">The epoch after which it stopped training; null when the run used all its epochs.</param>
/// <param name="BestEpoch">The epoch with the best value of the figure (0 when no epoch had a finite one).</param>
/// <param name="BestValue">That value.</param>
/// <param name="RestoredEpoch">The epoch whose weights the model holds at the end when they were restored; null when they were not.</param>
public sealed record EarlyStoppingOutcome(string Monitor, int? StoppedEpoch, int BestEpoch, double BestValue, int? RestoredEpoch);
