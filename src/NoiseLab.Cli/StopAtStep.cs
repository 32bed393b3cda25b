using NoiseLab.Training;

namespace NoiseLab.Cli;

/// <summary>Ends training at the start of the next step once a stop is requested (Ctrl-C, SIGTERM), so that the step in flight finishes.</summary>
internal sealed class StopAtStep(CancellationToken stop) : TrainingCallback
{
    public override void OnStepStart(TrainingContext context) => stop.ThrowIfCancellationRequested();
}
