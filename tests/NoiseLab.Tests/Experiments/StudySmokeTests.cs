using NoiseLab.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Experiments;

/// <summary>
/// The committed study specs keep working: the first cell of each (its first run) trains one epoch on a few
/// hundred samples and ends with test figures. The studies themselves are experiments, run by
/// scripts/reproduce.sh, never by the tests.
/// </summary>
public sealed class StudySmokeTests
{
    [SkippableTheory]
    [InlineData("seed002-adaptive-fashion.yaml")]
    [InlineData("seed002-gap-fashion.yaml")]
    [InlineData("seed002-gap-more-fashion.yaml")]
    [InlineData("seed003-perturbed-gd.yaml")]
    [InlineData("seed004-table1-mnist10k.yaml")]
    public void One_epoch_of_the_first_cell_trains_to_test_figures(string file)
    {
        SweepSpec spec = SweepSpec.Load(Checkout.File("experiments", file));
        SweepRun first = spec.Runs[0];
        Skip.If(first.Spec.DataSet == NoiseLab.Data.Mnist10k.Name && !Mnist10kPresent() && Environment.GetEnvironmentVariable("NOISELAB_REQUIRE_MNIST_10K") != "1",
            "MNIST-10k is not fetched; ./scripts/setup.sh fetches it.");
        RunSpec smoke = first.Spec with
        {
            Data = first.Spec.Data with { LimitTrain = 256 },
            Trainer = first.Spec.Trainer with { Epochs = 1 },
            Threads = 1,
        };

        var result = RunExecutor.Execute(smoke);

        Assert.Single(result.History);
        Assert.InRange(result.TestAccuracy!.Value, 0, 1);
        Assert.True(double.IsFinite(result.TestLoss), $"test loss {result.TestLoss}");
    }

    private static bool Mnist10kPresent()
    {
        var options = new NoiseLab.Data.DataOptions();
        return NoiseLab.Data.DataFolders.Candidates(NoiseLab.Data.Mnist10k.Name, options, systemFolder: null)
            .Any(f => NoiseLab.Data.Mnist10k.Family.IsComplete(f) || NoiseLab.Data.MnistDigitsJson.IsComplete(Path.Combine(f, NoiseLab.Data.Mnist10k.DigitsFolder)));
    }
}
