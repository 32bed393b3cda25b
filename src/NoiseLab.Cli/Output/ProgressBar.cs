using NoiseLab.Training;
using Spectre.Console;

namespace NoiseLab.Cli.Output;

/// <summary>An animated per-epoch progress bar for an interactive terminal.</summary>
internal sealed class ProgressBar(ProgressContext display) : TrainingCallback
{
    private ProgressTask? _task;

    public override void OnEpochStart(TrainingContext context) =>
        _task = display.AddTask($"epoch {context.Epoch}/{context.Options.Epochs}", maxValue: context.StepsPerEpoch);

    public override void OnAfterOptimizerStep(TrainingContext context) => _task?.Increment(1);

    public override void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        if (_task is null)
            return;
        _task.Description = record.ValAccuracy is double accuracy
            ? $"epoch {record.Epoch}/{context.Options.Epochs}  val acc {100 * accuracy:F2} %"
            : $"epoch {record.Epoch}/{context.Options.Epochs}  val loss {record.ValLoss:F4}";
        _task.StopTask();
    }
}
