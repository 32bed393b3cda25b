namespace NoiseLab.Cli.Reports;

/// <summary>One epoch at which a controller fired in at least one seed: drawn at <paramref name="Level"/>, the mean σ it chose for the next epoch.</summary>
internal sealed record TriggerMark(int Epoch, double Level, int Seeds);

/// <summary>The epochs at which one controller's rule of one <see cref="TriggerKind"/> fired, for one noise plan.</summary>
internal sealed record TriggerMarks(string Label, TriggerKind Kind, IReadOnlyList<TriggerMark> Marks);
