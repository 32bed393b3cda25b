namespace NoiseLab.Experiments.Pruning;

/// <summary>A pruner stopped the run; the message says at which epoch and against what median.</summary>
public sealed class RunPrunedException(string message) : Exception(message);
