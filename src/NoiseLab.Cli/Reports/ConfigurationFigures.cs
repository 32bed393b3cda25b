using System.Globalization;
using NoiseLab.Experiments;
using NoiseLab.Training;

namespace NoiseLab.Cli.Reports;

/// <summary>
/// The report's figures of one configuration, as data: learning curves, noise levels with the
/// adaptive controller's triggers, the learning-rate schedule and sharpness. Each curve is a noise
/// plan's (or an injector's) mean over seeds with a ±std band (<see cref="EpochBand"/>); a noise plan
/// keeps its color, its index among the configuration's plans, in every figure.
/// </summary>
internal static class ConfigurationFigures
{
    private const string SigmaNext = ".sigma_next";
    private const string StuckSuffix = ".stuck";
    private const string OverfittingSuffix = ".overfitting";

    /// <summary>
    /// Every figure that <paramref name="configuration"/>'s records hold data for, in the report's order; a run counts as
    /// a success when its validation accuracy reaches <paramref name="successAt"/>, and <paramref name="target"/> is the
    /// report's time-to-target threshold for the configuration, if it has one.
    /// </summary>
    public static IEnumerable<Chart> All(ConfigurationHistory configuration, double successAt, ReachTarget? target = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // A configuration whose every run diverged has no learning curves, only its success rate (0 from where they stopped).
        bool finished = configuration.Plans.Any(p => p.Seeds.Count > 0);
        if (finished)
            yield return LearningCurves(configuration);
        if (SuccessRate(configuration, successAt) is Chart success)
            yield return success;
        if (!finished)
            yield break;
        if (TimeToTarget(configuration, target) is Chart reach)
            yield return reach;
        if (Sigmas(configuration) is Chart sigmas)
            yield return sigmas;
        yield return LearningRate(configuration);
        if (Sharpness(configuration) is Chart sharpness)
            yield return sharpness;
    }

    /// <summary>
    /// The share of each noise plan's runs whose validation accuracy at each epoch reaches <paramref name="successAt"/>:
    /// the success rate of the tables as it would have been had training stopped at that epoch (seed 004's success
    /// against training time). Finished, diverged and pruned runs count: one that diverged or was pruned is a failure
    /// from the epoch it stopped at on, and one that early stopping ended keeps its last epoch's accuracy. Null when
    /// the runs record no validation accuracy or no plan has two runs (a rate over one run says little).
    /// </summary>
    public static Chart? SuccessRate(ConfigurationHistory configuration, double successAt)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var all = configuration.Plans.SelectMany(p => p.Seeds.Concat(p.Stopped)).ToList();
        if (!all.Any(history => history.Any(r => r.ValAccuracy is not null)) || configuration.Plans.All(p => p.Seeds.Count + p.Stopped.Count < 2))
            return null;
        int last = all.Max(history => history.Count == 0 ? 0 : history.Max(r => r.Epoch));
        if (last == 0)
            return null;
        var curves = configuration.Plans.Select((plan, color) =>
        {
            var runs = plan.Seeds.Select(h => (History: h, Stopped: false)).Concat(plan.Stopped.Select(h => (History: h, Stopped: true))).ToList();
            EpochBand[] points = [.. Enumerable.Range(1, last).Select(epoch =>
                new EpochBand(epoch, runs.Count(run => Succeeded(run.History, run.Stopped, epoch, successAt)) / (double)runs.Count, 0, runs.Count))];
            return new Curve(plan.Plan, color, points, Baseline: plan.Plan == "none");
        });
        ChartPanel panel = new($"runs with val acc ≥ {successAt:0.###}", [.. curves]) { FromZero = true };
        return new Chart("success rate", configuration.Configuration, [panel]);
    }

    /// <summary>
    /// For a task without validation accuracy (forecasting), which has no success-rate figure: the share of each noise plan's runs
    /// that have reached <paramref name="target"/> by each epoch (<see cref="ReachTarget.ReachedAt"/>; finished, diverged and pruned
    /// runs count, as in the report's time-to-target table), under the validation figure the runs are timed on when the learning
    /// curves show another (MAE beside their MSE). Null without a target, for a task with validation accuracy (the success rate
    /// says the same against <c>success_at</c>), or when no plan has two runs.
    /// </summary>
    public static Chart? TimeToTarget(ConfigurationHistory configuration, ReachTarget? target)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var all = configuration.Plans.SelectMany(p => p.Seeds.Concat(p.Stopped)).ToList();
        if (target is null || all.Any(history => history.Any(r => r.ValAccuracy is not null)) || configuration.Plans.All(p => p.Seeds.Count + p.Stopped.Count < 2))
            return null;
        int last = all.Max(history => history.Count == 0 ? 0 : history.Max(r => r.Epoch));
        if (last == 0)
            return null;
        var panels = new List<ChartPanel>();
        string label = "validation " + (target.Figure.StartsWith("val_", StringComparison.Ordinal) ? target.Figure[4..] : target.Figure);
        if (ValidationFigure(configuration)?.Label != label)
        {
            var monitor = new EpochMonitor(target.Figure);
            panels.Add(PerPlan(configuration, label, monitor.TryRead));
        }
        var curves = configuration.Plans.Select((plan, color) =>
        {
            int?[] reached = [.. plan.Seeds.Concat(plan.Stopped).Select(target.ReachedAt)];
            EpochBand[] points = [.. Enumerable.Range(1, last).Select(epoch =>
                new EpochBand(epoch, reached.Count(e => e <= epoch) / (double)reached.Length, 0, reached.Length))];
            return new Curve(plan.Plan, color, points, Baseline: plan.Plan == "none");
        });
        string threshold = string.Create(CultureInfo.InvariantCulture, $"{(target.HigherIsBetter ? "≥" : "≤")} {target.Value:0.####}");
        panels.Add(new ChartPanel($"runs with {label} {threshold}", [.. curves]) { FromZero = true });
        return new Chart("time to target", configuration.Configuration, panels);
    }

    private static bool Succeeded(IReadOnlyList<EpochRecord> history, bool stopped, int epoch, double successAt)
    {
        EpochRecord? record = history.LastOrDefault(r => r.Epoch <= epoch);
        if (record is null || (stopped && record.Epoch < epoch))
            return false;
        return record.ValAccuracy is double accuracy && double.IsFinite(accuracy) && accuracy >= successAt;
    }

    /// <summary>
    /// Validation accuracy (or, for tasks without one, the first validation metric: MSE in forecasting),
    /// training loss and validation loss, one curve per noise plan.
    /// </summary>
    public static Chart LearningCurves(ConfigurationHistory configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var panels = new List<ChartPanel>();
        if (ValidationFigure(configuration) is var (label, figure))
            panels.Add(PerPlan(configuration, label, figure));
        panels.Add(PerPlan(configuration, "training loss", r => r.TrainLoss));
        panels.Add(PerPlan(configuration, "validation loss", r => r.ValLoss));
        return new Chart("learning curves", configuration.Configuration, panels);
    }

    /// <summary>
    /// One panel per noise plan that has noise levels: each injector's σ (<see cref="EpochRecord.Sigmas"/>),
    /// each controller's planned σ for the next epoch (dashed), and marks at the epochs where the controller
    /// found training stuck or overfitting. Null when no plan of the configuration records a level.
    /// </summary>
    public static Chart? Sigmas(ConfigurationHistory configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var panels = new List<ChartPanel>();
        foreach (PlanHistory plan in configuration.Plans)
        {
            EpochRecord[] records = [.. plan.Seeds.SelectMany(history => history)];
            string[] injectors = [.. records.SelectMany(r => r.Sigmas.Keys).Distinct().Order(StringComparer.Ordinal)];
            string[] controllers = [.. records.SelectMany(r => r.Diagnostics.Keys)
                .Select(ControllerName).OfType<string>().Distinct().Order(StringComparer.Ordinal)];
            if (injectors.Length == 0 && controllers.Length == 0)
                continue;

            var curves = new List<Curve>();
            var triggers = new List<TriggerMarks>();
            // An injector reports its level only at the steps where it injects; the adaptive controller's
            // noise is off for whole epochs, and an epoch without a level had σ = 0.
            foreach (string injector in injectors)
                curves.Add(new Curve($"σ {injector}", curves.Count, EpochBand.Over(plan.Seeds, r => r.Sigmas.GetValueOrDefault(injector))));
            foreach (string controller in controllers)
            {
                IReadOnlyList<EpochBand> next = EpochBand.Over(plan.Seeds, r => Diagnostic(r, controller + SigmaNext));
                if (next.Count > 0)
                    curves.Add(new Curve($"{controller} next σ", curves.Count, next, Dashed: true));
                triggers.AddRange(Triggers(plan, controller, next));
            }
            panels.Add(new ChartPanel($"σ, plan {plan.Plan}", curves) { Triggers = triggers, FromZero = true });
        }
        // One σ axis for every plan's panel, so that their levels compare at a glance.
        return panels.Count == 0 ? null : new Chart("noise level", configuration.Configuration, panels) { SharedYAxis = true };
    }

    /// <summary>
    /// The learning rate at each epoch's end: one curve, "all plans", when every noise plan followed the
    /// same schedule (the usual case: the schedule belongs to the configuration), else one per plan.
    /// </summary>
    public static Chart LearningRate(ConfigurationHistory configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ChartPanel panel = PerPlan(configuration, "learning rate", r => r.LearningRate);
        if (panel.Curves.Count > 1 && panel.Curves.All(c => SameLevels(c.Points, panel.Curves[0].Points)))
            panel = panel with { Curves = [new Curve("all plans", 0, EpochBand.Over(configuration.Plans.SelectMany(p => p.Seeds), r => r.LearningRate))] };
        return new Chart("learning rate", configuration.Configuration, [panel with { FromZero = true }]);
    }

    /// <summary>
    /// The loss's top Hessian eigenvalue and Hessian trace at the epochs where they were measured
    /// (diagnostics <c>sharpness.top_eigenvalue</c> and <c>sharpness.trace</c>), one curve per noise
    /// plan; null when no run measured either.
    /// </summary>
    public static Chart? Sharpness(ConfigurationHistory configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        (string Key, string Label)[] figures = [("sharpness.top_eigenvalue", "top Hessian eigenvalue"), ("sharpness.trace", "Hessian trace")];
        ChartPanel[] panels = [.. figures
            .Where(f => configuration.Plans.Any(p => p.Seeds.Any(history => history.Any(r => r.Diagnostics.ContainsKey(f.Key)))))
            .Select(f => PerPlan(configuration, f.Label, r => Diagnostic(r, f.Key)))];
        return panels.Length == 0 ? null : new Chart("sharpness", configuration.Configuration, panels);
    }

    // A plan none of whose runs finished draws no curve, but keeps its color index, as in every other figure.
    private static ChartPanel PerPlan(ConfigurationHistory configuration, string label, Func<EpochRecord, double?> figure) =>
        new(label, [.. configuration.Plans
            .Select((plan, color) => new Curve(plan.Plan, color, EpochBand.Over(plan.Seeds, figure), Baseline: plan.Plan == "none"))
            .Where((curve, color) => configuration.Plans[color].Seeds.Count > 0)]);

    // Equal epochs and means up to rounding: a mean over three seeds of the same rate can differ from it in the last bit.
    private static bool SameLevels(IReadOnlyList<EpochBand> a, IReadOnlyList<EpochBand> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Epoch == p.Second.Epoch
            && Math.Abs(p.First.Mean - p.Second.Mean) <= 1e-9 * Math.Max(Math.Abs(p.First.Mean), Math.Abs(p.Second.Mean)));

    private static (string Label, Func<EpochRecord, double?> Figure)? ValidationFigure(ConfigurationHistory configuration)
    {
        EpochRecord[] records = [.. configuration.Plans.SelectMany(p => p.Seeds).SelectMany(history => history)];
        if (records.Any(r => r.ValAccuracy is not null))
            return ("validation accuracy", r => r.ValAccuracy);
        string? metric = records.SelectMany(r => r.ValMetrics.Keys).FirstOrDefault();
        return metric is null ? null : ($"validation {metric}", r => r.ValMetrics.TryGetValue(metric, out double value) ? value : null);
    }

    private static IEnumerable<TriggerMarks> Triggers(PlanHistory plan, string controller, IReadOnlyList<EpochBand> next)
    {
        foreach (var (kind, suffix) in new[] { (TriggerKind.Stuck, StuckSuffix), (TriggerKind.Overfitting, OverfittingSuffix) })
        {
            TriggerMark[] marks = [.. plan.Seeds
                .SelectMany(history => history)
                .Where(r => Diagnostic(r, controller + suffix) >= 0.5)
                .GroupBy(r => r.Epoch)
                .OrderBy(epoch => epoch.Key)
                .Select(epoch => new TriggerMark(epoch.Key, next.FirstOrDefault(b => b.Epoch == epoch.Key)?.Mean ?? 0, epoch.Count()))];
            if (marks.Length > 0)
                yield return new TriggerMarks($"{controller} {suffix[1..]}", kind, marks);
        }
    }

    // The controller a decision diagnostic belongs to: "adaptive" for adaptive.sigma_next, adaptive.stuck, adaptive.overfitting.
    private static string? ControllerName(string key) =>
        new[] { SigmaNext, StuckSuffix, OverfittingSuffix }.FirstOrDefault(s => key.EndsWith(s, StringComparison.Ordinal)) is string suffix
            ? key[..^suffix.Length]
            : null;

    private static double? Diagnostic(EpochRecord record, string key) => record.Diagnostics.TryGetValue(key, out double value) ? value : null;
}
