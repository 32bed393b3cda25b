using NoiseLab.Training;

namespace NoiseLab.Optimization;

/// <summary>Sets the optimizer's learning rate from a <see cref="LearningRateSchedule"/> at the start of every step.</summary>
public sealed class LearningRateScheduler(LearningRateSchedule schedule) : TrainingCallback
{
    /// <inheritdoc />
    public override void OnStepStart(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double rate = schedule.At(context.Step, (long)context.StepsPerEpoch * context.Options.Epochs);
        foreach (var group in context.Optimizer.ParamGroups)
            group.LearningRate = rate;
    }
}
