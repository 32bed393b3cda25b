namespace NoiseLab.Cli.Reports;

/// <summary>Which rule of the adaptive controller fired (diagnostics <c>NAME.stuck</c> and <c>NAME.overfitting</c>).</summary>
internal enum TriggerKind
{
    /// <summary>Training is stuck: gradient noise for the next epoch.</summary>
    Stuck,

    /// <summary>The model overfits: weight noise for the next epoch.</summary>
    Overfitting,
}
