using NoiseLab.Experiments;

namespace NoiseLab.Cli.Reports;

/// <summary>
/// The epoch histories of one configuration of a sweep (see <see cref="SweepReport.ConfigurationOf"/>),
/// by noise plan: the baseline "none" first, then the others by name, as the report's tables order them.
/// </summary>
internal sealed record ConfigurationHistory(string Configuration, IReadOnlyList<PlanHistory> Plans)
{
    /// <summary>
    /// Reads the histories of <paramref name="sweep"/>'s finished runs, and of those that diverged or were pruned
    /// (<see cref="PlanHistory.Stopped"/>), from <paramref name="store"/>, by configuration.
    /// </summary>
    public static IReadOnlyList<ConfigurationHistory> Load(RunStore store, string sweep)
    {
        ArgumentNullException.ThrowIfNull(store);
        return [.. store.Runs(sweep)
            .Where(run => run.Status is RunStatus.Finished or RunStatus.Diverged or RunStatus.Pruned)
            .OrderBy(run => run.Id, StringComparer.Ordinal)
            .Select(run => (Configuration: SweepReport.ConfigurationOf(run.Id), run.Plan, Finished: run.Status == RunStatus.Finished, History: store.Epochs(sweep, run.Id)))
            // A run that diverged in its first epoch stored none, and is still a failure in its plan's success rate.
            .Where(run => run.History.Count > 0 || !run.Finished)
            .GroupBy(run => run.Configuration)
            .OrderBy(configuration => configuration.Key, StringComparer.Ordinal)
            .Select(configuration => new ConfigurationHistory(configuration.Key, [.. configuration
                .GroupBy(run => run.Plan)
                .OrderBy(plan => plan.Key == "none" ? "" : plan.Key, StringComparer.Ordinal)
                .Select(plan => new PlanHistory(plan.Key, [.. plan.Where(run => run.Finished).Select(run => run.History)])
                {
                    Stopped = [.. plan.Where(run => !run.Finished).Select(run => run.History)],
                })]))];
    }
}
