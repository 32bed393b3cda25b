namespace NoiseLab.Training;

/// <summary>Whether a monitored figure improves by going down (losses) or up (accuracies, F1).</summary>
public enum MonitorMode
{
    /// <summary>Lower is better: losses, MSE, MAE.</summary>
    Min,

    /// <summary>Higher is better: accuracies, F1.</summary>
    Max,
}
