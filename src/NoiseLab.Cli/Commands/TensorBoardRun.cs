using NoiseLab.Experiments;
using NoiseLab.TensorBoard;

namespace NoiseLab.Cli.Commands;

/// <summary>What <c>train --tensorboard DIR [--tensorboard-histograms]</c> asks for: a logger per run, with its settings as hyperparameters.</summary>
/// <param name="Directory">The folder given to --tensorboard.</param>
/// <param name="Histograms">Whether to write parameter and gradient histograms each epoch.</param>
internal sealed record TensorBoardRun(string Directory, bool Histograms)
{
    /// <summary>
    /// A logger for <paramref name="spec"/> in <see cref="Directory"/> itself, or in its subfolder for
    /// <paramref name="runId"/> (one per restart); the restarts of one command share one HParams group.
    /// </summary>
    /// <exception cref="UsageException">The folder cannot be written: the user's to fix, so not a failure with a trace.</exception>
    public TensorBoardLogger Open(RunSpec spec, string? runId)
    {
        try
        {
            TensorBoardLogger logger = runId is null ? new TensorBoardLogger(Directory) : TensorBoardLogger.ForRun(Directory, runId);
            logger.Hyperparameters = RunHyperparameters.Of(spec);
            logger.HyperparameterGroup = runId is null ? null : "restarts";
            logger.Histograms = Histograms;
            return logger;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--tensorboard: cannot write an event file into '{Directory}': {e.Message}");
        }
    }
}
