using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Training;

namespace NoiseLab.Tests.Data;

public sealed class SyntheticTasksTests
{
    [Fact]
    public void Adding_problem_has_two_markers_one_per_half_and_targets_their_sum()
    {
        using DataSplits data = SyntheticTasks.Create("adding", length: 10, trainCount: 50, validationCount: 5, testCount: 5);

        float[] inputs = data.Train.Features.data<float>().ToArray();
        float[] targets = data.Train.Targets.data<float>().ToArray();
        Assert.True(data.IsRegression);
        for (int s = 0; s < 50; s++)
        {
            int[] marked = [.. Enumerable.Range(0, 10).Where(i => inputs[(s * 10 + i) * 2 + 1] == 1)];
            Assert.Equal(2, marked.Length);
            Assert.True(marked[0] < 5 && marked[1] >= 5);
            Assert.Equal(inputs[(s * 10 + marked[0]) * 2] + inputs[(s * 10 + marked[1]) * 2], targets[s], 6);
        }
    }

    [Fact]
    public void Majority_labels_say_which_token_occurs_more_often()
    {
        using DataSplits data = SyntheticTasks.Create("majority", length: 8, trainCount: 30, validationCount: 5, testCount: 5);

        long[] ids = data.Train.Features.data<long>().ToArray();
        long[] labels = data.Train.Targets.data<long>().ToArray();
        Assert.Equal([30L, 9], data.Train.Features.shape);   // even lengths become odd, so there is no tie
        for (int s = 0; s < 30; s++)
            Assert.Equal(ids.Skip(s * 9).Take(9).Count(t => t == 3) > 4 ? 1 : 0, labels[s]);
    }

    [Fact]
    public void A_transformer_learns_the_majority_task_well_above_chance()
    {
        TrainingResult result = RunExecutor.Execute(new RunSpec
        {
            DataSet = "synthetic:majority:length=21,train=1000",
            Model = ModelSpec.Parse("transformer"),
            Optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.005),
            Trainer = new TrainerOptions { Epochs = 5, Seed = 0 },
            Threads = 2,
        });

        Assert.True(result.TestAccuracy >= 0.9, $"test accuracy {result.TestAccuracy}");
    }

    [Fact]
    public void An_unknown_task_is_named()
    {
        var error = Assert.Throws<DataSetException>(() => SyntheticTasks.Create("parity", 8));

        Assert.Equal("Unknown synthetic task 'parity'; choose majority or adding (synthetic:TASK[:length=N]).", error.Message);
    }
}
