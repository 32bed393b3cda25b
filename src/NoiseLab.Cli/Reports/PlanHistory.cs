using NoiseLab.Training;

namespace NoiseLab.Cli.Reports;

/// <summary>The epoch histories of one noise plan's finished runs in one configuration, one per seed.</summary>
internal sealed record PlanHistory(string Plan, IReadOnlyList<IReadOnlyList<EpochRecord>> Seeds);
