namespace NoiseLab.Training;

/// <summary>The training loss became NaN or infinite; the run cannot continue.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the step where the loss stopped being finite.</summary>
    public TrainingDivergedException(int epoch, long step, double loss)
        : base($"Training diverged: the loss became {loss} at epoch {epoch}, step {step}. Lower the learning rate (--lr), clip the gradient (--clip), or reduce the noise.")
    {
        Epoch = epoch;
        Step = step;
    }

    /// <summary>The epoch (from 1) where it happened.</summary>
    public int Epoch { get; }

    /// <summary>The global optimizer step (from 0) where it happened.</summary>
    public long Step { get; }
}
