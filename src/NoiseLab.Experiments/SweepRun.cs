namespace NoiseLab.Experiments;

/// <summary>One run of a sweep: a point of its grid, with a stable identifier and the full run spec.</summary>
/// <param name="Id">Stable across expansions of the same spec: data, model, optimizer, clipping, noise plan and seed.</param>
/// <param name="NoisePlan">The plan's name in the spec ("none" for the baseline).</param>
/// <param name="Spec">Everything needed to train it.</param>
public sealed record SweepRun(string Id, string NoisePlan, RunSpec Spec);
