using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Training;

public sealed class ForecastingTests
{
    [Fact]
    public void Regression_figures_are_mse_and_mae_in_the_targets_units()
    {
        var objective = new RegressionObjective(scale: 2.0);
        var sums = new double[2];
        using Tensor output = tensor(new float[] { 1, 2, 3 }, [3, 1]);
        using Tensor target = tensor(new float[] { 1.5f, 2, 1 }, [3, 1]);

        objective.AddMetricSums(output, target, sums);

        // Errors in units: (−0.5, 0, 2)·2 = (−1, 0, 4).
        Assert.Equal(["mse", "mae"], objective.MetricNames);
        Assert.Equal(1 + 0 + 16, sums[0], 5);
        Assert.Equal(1 + 0 + 4, sums[1], 5);
        Assert.Equal((0.25 + 0 + 4) / 3, objective.Loss(output, target).item<float>(), 5);
    }

    [Fact]
    public void An_lstm_forecaster_beats_persistence_on_seattles_minimum_temperature()
    {
        // 30-day windows of Seattle's daily minimum temperature (°C), predicting the next day.
        TrainingResult result = RunExecutor.Execute(new RunSpec
        {
            DataSet = DataSetCatalog.SeattleTemperature,
            Data = new DataOptions { AllowDownload = false },
            Model = ModelSpec.Parse("lstm"),
            Optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.005),
            LearningRateSchedule = "cosine",
            Trainer = new TrainerOptions { Epochs = 20, BatchSize = 128, Seed = 0 },
            Threads = 2,
        });

        // Persistence ("tomorrow = today") on the same validation windows, in °C.
        using TimeSeriesData series = TimeSeriesCsv.Window(TimeSeriesCsv.ReadColumn(TimeSeriesCsv.SeattleWeather, "temp_min"), "seattle", 30);
        using Tensor lastDay = series.Validation.Features.select(1, -1);
        double persistence = lastDay.sub(series.Validation.Targets).abs().mean().item<float>() * series.Std;

        double lstm = result.History[^1].ValMetrics["mae"];
        Assert.InRange(persistence, 1.70, 1.80);          // 1.758 °C, computed independently while writing the test
        Assert.True(lstm < persistence, $"LSTM validation MAE {lstm:F3} °C against persistence {persistence:F3} °C");
        Assert.Null(result.TestAccuracy);
        Assert.Equal(result.TestLoss * series.Std * series.Std, result.TestMetrics["mse"], 3);
    }
}
