using NoiseLab.Cli.Reports;
using NoiseLab.Experiments;
using NoiseLab.Training;
using static NoiseLab.Tests.Support.Records;

namespace NoiseLab.Tests.Cli.Reports;

public sealed class ConfigurationFiguresTests
{
    private const string Configuration = "fashion-mnist|mlp:8|momentum:0.05|clip=none";

    [Fact]
    public void Learning_curves_show_validation_accuracy_and_both_losses_with_a_curve_per_plan()
    {
        var history = new ConfigurationHistory(Configuration,
        [
            new PlanHistory("none", [[Epoch(1, valAccuracy: 0.5, trainLoss: 2.0, valLoss: 2.5)], [Epoch(1, valAccuracy: 0.7, trainLoss: 1.0, valLoss: 1.5)]]),
            new PlanHistory("input", [[Epoch(1, valAccuracy: 0.4, trainLoss: 3.0, valLoss: 3.5)]]),
        ]);

        Chart chart = ConfigurationFigures.LearningCurves(history);

        Assert.Equal("learning curves: " + Configuration, chart.Title);
        Assert.Equal(["validation accuracy", "training loss", "validation loss"], chart.Panels.Select(p => p.YLabel));
        Assert.All(chart.Panels, panel =>
        {
            Assert.Equal(["none", "input"], panel.Curves.Select(c => c.Label));
            Assert.Equal([0, 1], panel.Curves.Select(c => c.Color));
        });
        EpochBand none = Assert.Single(chart.Panels[0].Curves[0].Points);
        Assert.Equal(0.6, none.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), none.Std, 12);   // (0.1² + 0.1²) / (2 − 1)
        Assert.Equal(new EpochBand(1, 3.0, 0, 1), Assert.Single(chart.Panels[1].Curves[1].Points));
        Assert.Equal(new EpochBand(1, 2.0, Math.Sqrt(0.5), 2), Assert.Single(chart.Panels[2].Curves[0].Points));
    }

    [Fact]
    public void A_task_without_accuracy_plots_its_first_validation_metric()
    {
        var metrics = new Dictionary<string, double> { ["mse"] = 4.0, ["mae"] = 1.5 };
        var history = new ConfigurationHistory("weather|lstm|adam:0.01|clip=none", [new PlanHistory("none", [[Epoch(1, valMetrics: metrics)]])]);

        Chart chart = ConfigurationFigures.LearningCurves(history);

        Assert.Equal("validation mse", chart.Panels[0].YLabel);
        Assert.Equal(new EpochBand(1, 4.0, 0, 1), Assert.Single(chart.Panels[0].Curves[0].Points));
    }

    [Fact]
    public void The_noise_level_averages_each_injector_over_seeds_and_marks_the_epochs_the_controller_fired()
    {
        static Dictionary<string, double> Decision(double stuck, double overfitting, double next) =>
            new() { ["adaptive.stuck"] = stuck, ["adaptive.overfitting"] = overfitting, ["adaptive.sigma_next"] = next, ["adaptive.cooldown"] = 0 };
        IReadOnlyList<EpochRecord> seed0 =
        [
            Epoch(1, diagnostics: Decision(0, 0, 0)),
            Epoch(2, diagnostics: Decision(1, 0, 0.02)),
            Epoch(3, sigmas: new Dictionary<string, double> { ["adaptive.gradient"] = 0.02 }, diagnostics: Decision(0, 1, 0.01)),
        ];
        IReadOnlyList<EpochRecord> seed1 =
        [
            Epoch(1, diagnostics: Decision(0, 0, 0)),
            Epoch(2, diagnostics: Decision(1, 1, 0.04)),
            Epoch(3, sigmas: new Dictionary<string, double> { ["adaptive.gradient"] = 0.04, ["adaptive.weight"] = 0.04 }, diagnostics: Decision(0, 0, 0)),
        ];
        var history = new ConfigurationHistory(Configuration,
        [
            new PlanHistory("none", [[Epoch(1), Epoch(2), Epoch(3)]]),
            new PlanHistory("adaptive", [seed0, seed1]),
        ]);

        Chart chart = ConfigurationFigures.Sigmas(history)!;

        ChartPanel panel = Assert.Single(chart.Panels);   // "none" has no level, so no panel
        Assert.Equal("σ, plan adaptive", panel.YLabel);
        Assert.True(panel.FromZero);
        Assert.Equal(["σ adaptive.gradient", "σ adaptive.weight", "adaptive next σ"], panel.Curves.Select(c => c.Label));
        Assert.Equal([false, false, true], panel.Curves.Select(c => c.Dashed));
        // An epoch without a level is an epoch without that noise: σ = 0 there.
        AssertBand(panel.Curves[0], (0, 0), (0, 0), (0.03, Math.Sqrt(0.0002)));
        AssertBand(panel.Curves[1], (0, 0), (0, 0), (0.02, Math.Sqrt(0.0008)));
        AssertBand(panel.Curves[2], (0, 0), (0.03, Math.Sqrt(0.0002)), (0.005, Math.Sqrt(0.00005)));

        Assert.Equal(["adaptive stuck", "adaptive overfitting"], panel.Triggers.Select(t => t.Label));
        Assert.Equal([TriggerKind.Stuck, TriggerKind.Overfitting], panel.Triggers.Select(t => t.Kind));
        TriggerMark stuck = Assert.Single(panel.Triggers[0].Marks);
        Assert.Equal((2, 2), (stuck.Epoch, stuck.Seeds));
        Assert.Equal(0.03, stuck.Level, 12);
        Assert.Equal([(2, 1), (3, 1)], panel.Triggers[1].Marks.Select(m => (m.Epoch, m.Seeds)));
        Assert.Equal(0.03, panel.Triggers[1].Marks[0].Level, 12);
        Assert.Equal(0.005, panel.Triggers[1].Marks[1].Level, 12);
    }

    [Fact]
    public void A_configuration_without_noise_levels_has_no_noise_level_figure()
    {
        var history = new ConfigurationHistory(Configuration, [new PlanHistory("none", [[Epoch(1, valAccuracy: 0.5), Epoch(2, valAccuracy: 0.6)]])]);

        Assert.Null(ConfigurationFigures.Sigmas(history));
        Assert.Null(ConfigurationFigures.Sharpness(history));
        Assert.Equal(["learning curves", "learning rate"], ConfigurationFigures.All(history, successAt: 0.5).Select(c => c.Name));
    }

    [Fact]
    public void The_success_rate_at_each_epoch_counts_diverged_runs_as_failures_from_where_they_stopped()
    {
        var history = new ConfigurationHistory(Configuration,
        [
            // Three finished runs: one succeeds from epoch 2, one from epoch 3, one early-stopped at epoch 2 above the bar.
            new PlanHistory("none", [
                [Epoch(1, valAccuracy: 0.1), Epoch(2, valAccuracy: 0.6), Epoch(3, valAccuracy: 0.7)],
                [Epoch(1, valAccuracy: 0.1), Epoch(2, valAccuracy: 0.4), Epoch(3, valAccuracy: 0.5)],
                [Epoch(1, valAccuracy: 0.2), Epoch(2, valAccuracy: 0.9)]])
            {
                // One run above the bar at epoch 1 that diverged at epoch 2 (its last record has no accuracy).
                Stopped = [[Epoch(1, valAccuracy: 0.8), Epoch(2, valAccuracy: double.NaN)]],
            },
            // Every run of this plan diverged, two after epoch 1: no learning curve, but a success rate;
            // and one diverged in its first epoch, before it stored any.
            new PlanHistory("eta1", []) { Stopped = [[Epoch(1, valAccuracy: 0.55)], [Epoch(1, valAccuracy: 0.3)], []] },
        ]);

        Chart chart = ConfigurationFigures.SuccessRate(history, successAt: 0.5)!;

        Assert.Equal("success rate: " + Configuration, chart.Title);
        ChartPanel panel = Assert.Single(chart.Panels);
        Assert.Equal("runs with val acc ≥ 0.5", panel.YLabel);
        Assert.Equal(["none", "eta1"], panel.Curves.Select(c => c.Label));
        Assert.Equal([0.25, 0.5, 0.75], panel.Curves[0].Points.Select(p => p.Mean));
        Assert.All(panel.Curves[0].Points, p => Assert.Equal(4, p.Runs));
        Assert.Equal([1 / 3.0, 0.0, 0.0], panel.Curves[1].Points.Select(p => p.Mean));
        // The learning curves leave the plan without finished runs out, and the other plan keeps its color.
        Assert.Equal(["none"], ConfigurationFigures.LearningCurves(history).Panels[0].Curves.Select(c => c.Label));
        Assert.Equal(["learning curves", "success rate", "learning rate"], ConfigurationFigures.All(history, successAt: 0.5).Select(c => c.Name));
    }

    [Fact]
    public void A_configuration_whose_every_run_diverged_shows_only_its_success_rate_and_single_runs_show_none()
    {
        var diverged = new ConfigurationHistory(Configuration, [new PlanHistory("none", []) { Stopped = [[Epoch(1, valAccuracy: 0.6)], [Epoch(1, valAccuracy: 0.2)]] }]);
        var single = new ConfigurationHistory(Configuration, [new PlanHistory("none", [[Epoch(1, valAccuracy: 0.6)]]), new PlanHistory("input", [[Epoch(1, valAccuracy: 0.7)]])]);

        Assert.Equal(["success rate"], ConfigurationFigures.All(diverged, successAt: 0.5).Select(c => c.Name));
        Assert.Equal([0.5], Assert.Single(ConfigurationFigures.SuccessRate(diverged, 0.5)!.Panels).Curves[0].Points.Select(p => p.Mean));
        Assert.Null(ConfigurationFigures.SuccessRate(single, 0.5));
    }

    [Fact]
    public void A_forecasters_time_to_target_shows_its_validation_mae_and_the_share_of_runs_that_reached_the_target_by_each_epoch()
    {
        static IReadOnlyList<EpochRecord> Mae(params double[] values) =>
            [.. values.Select((mae, i) => Epoch(i + 1, valMetrics: new Dictionary<string, double> { ["mse"] = mae * mae, ["mae"] = mae }))];
        const string forecast = "seattle-temp|lstm|adam:0.005|clip=none";
        var history = new ConfigurationHistory(forecast,
        [
            new PlanHistory("none", [Mae(3, 2.5, 2.0), Mae(3, 2.5, 2.4)]),
            // One run reaches 2.0 at epoch 1 and rises again; one diverged at epoch 2 without reaching it.
            new PlanHistory("fast", [Mae(1.9, 2.2, 2.1)]) { Stopped = [Mae(2.6, double.NaN)] },
        ]);
        var target = new ReachTarget(forecast, "val_mae", 2.0, 2);

        Chart chart = ConfigurationFigures.TimeToTarget(history, target)!;

        Assert.Equal("time to target: " + forecast, chart.Title);
        // The learning curves show the validation MSE; the runs are timed on the MAE, which this figure adds.
        Assert.Equal("validation mse", ConfigurationFigures.LearningCurves(history).Panels[0].YLabel);
        Assert.Equal(["validation mae", "runs with validation mae ≤ 2"], chart.Panels.Select(p => p.YLabel));
        EpochBand third = chart.Panels[0].Curves[0].Points[2];
        Assert.Equal((3, 2), (third.Epoch, third.Runs));
        Assert.Equal(2.2, third.Mean, 12);
        Assert.Equal(Math.Sqrt(0.08), third.Std, 12);   // (0.2² + 0.2²) / (2 − 1)
        ChartPanel reached = chart.Panels[1];
        Assert.True(reached.FromZero);
        Assert.Equal(["none", "fast"], reached.Curves.Select(c => c.Label));
        Assert.Equal([0.0, 0.0, 0.5], reached.Curves[0].Points.Select(p => p.Mean));
        Assert.Equal([0.5, 0.5, 0.5], reached.Curves[1].Points.Select(p => p.Mean));
        Assert.All(reached.Curves.SelectMany(c => c.Points), p => Assert.Equal(2, p.Runs));
        Assert.Equal(["learning curves", "time to target", "learning rate"], ConfigurationFigures.All(history, successAt: 0.5, target).Select(c => c.Name));
    }

    [Fact]
    public void A_classifier_has_no_time_to_target_figure_its_success_rate_says_the_same()
    {
        var history = new ConfigurationHistory(Configuration,
            [new PlanHistory("none", [[Epoch(1, valAccuracy: 0.6)], [Epoch(1, valAccuracy: 0.8)]]), new PlanHistory("input", [[Epoch(1, valAccuracy: 0.7)]])]);

        Assert.Null(ConfigurationFigures.TimeToTarget(history, new ReachTarget(Configuration, "val_accuracy", 0.7, 2)));
        Assert.Null(ConfigurationFigures.TimeToTarget(history, target: null));
        Assert.Equal(["learning curves", "success rate", "learning rate"],
            ConfigurationFigures.All(history, successAt: 0.5, new ReachTarget(Configuration, "val_accuracy", 0.7, 2)).Select(c => c.Name));
    }

    [Fact]
    public void One_learning_rate_curve_stands_for_plans_that_share_the_schedule_and_one_per_plan_otherwise()
    {
        IReadOnlyList<EpochRecord> Schedule(params double[] rates) => [.. rates.Select((rate, i) => Epoch(i + 1, learningRate: rate))];
        var shared = new ConfigurationHistory(Configuration, [new PlanHistory("none", [Schedule(0.1, 0.05)]), new PlanHistory("input", [Schedule(0.1, 0.05), Schedule(0.1, 0.05), Schedule(0.1, 0.05)])]);
        var apart = new ConfigurationHistory(Configuration, [new PlanHistory("none", [Schedule(0.1, 0.05)]), new PlanHistory("input", [Schedule(0.1, 0.01)])]);

        ChartPanel sharedPanel = Assert.Single(ConfigurationFigures.LearningRate(shared).Panels);
        ChartPanel apartPanel = Assert.Single(ConfigurationFigures.LearningRate(apart).Panels);

        Curve all = Assert.Single(sharedPanel.Curves);
        Assert.Equal("all plans", all.Label);
        Assert.Equal([(1, 4), (2, 4)], all.Points.Select(p => (p.Epoch, p.Runs)));
        Assert.Equal([0.1, 0.05], all.Points.Select(p => Math.Round(p.Mean, 12)));
        Assert.All(all.Points, p => Assert.Equal(0, p.Std, 12));
        Assert.Equal(["none", "input"], apartPanel.Curves.Select(c => c.Label));
        Assert.Equal(0.01, apartPanel.Curves[1].Points[1].Mean);
    }

    [Fact]
    public void Sharpness_is_plotted_at_the_epochs_it_was_measured()
    {
        static EpochRecord Measured(int epoch, double eigenvalue) => Epoch(epoch, diagnostics: new Dictionary<string, double> { ["sharpness.top_eigenvalue"] = eigenvalue });
        var history = new ConfigurationHistory(Configuration,
        [
            new PlanHistory("none", [[Epoch(1), Measured(2, 10), Epoch(3), Measured(4, 6)], [Epoch(1), Measured(2, 14), Epoch(3), Measured(4, 8)]]),
        ]);

        Chart chart = ConfigurationFigures.Sharpness(history)!;

        ChartPanel panel = Assert.Single(chart.Panels);   // no trace was measured
        Assert.Equal("top Hessian eigenvalue", panel.YLabel);
        Assert.Equal([new EpochBand(2, 12, Math.Sqrt(8), 2), new EpochBand(4, 7, Math.Sqrt(2), 2)], Assert.Single(panel.Curves).Points);
    }

    private static void AssertBand(Curve curve, params (double Mean, double Std)[] expected)
    {
        Assert.Equal(expected.Length, curve.Points.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(i + 1, curve.Points[i].Epoch);
            Assert.Equal(expected[i].Mean, curve.Points[i].Mean, 12);
            Assert.Equal(expected[i].Std, curve.Points[i].Std, 12);
        }
    }
}
